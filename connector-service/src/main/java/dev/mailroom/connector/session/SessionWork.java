package dev.mailroom.connector.session;

/**
 * Something done on an account's IMAP connection, on its session's own thread, between two syncs: a
 * command from the account's owner, a server-side search, the copy of a sent message. Handed to the
 * session with {@link SessionManager#submit}, it never races the session's own use of the
 * connection, and the events of what it changed come from the session's next sync of the mailboxes
 * it names ({@link SessionContext#resync}), in order with every other event.
 *
 * <p>Work waits while the session reconnects and runs once it is connected again and has caught up.
 * A work whose future is already done when its turn comes (its submitter timed out or cancelled) is
 * skipped. A failure of the work completes its future; if the connection died with it, the session
 * also reconnects as after any failure.
 */
@FunctionalInterface
public interface SessionWork<T> {

  T run(SessionContext context) throws Exception;
}
