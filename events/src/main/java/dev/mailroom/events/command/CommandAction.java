package dev.mailroom.events.command;

/**
 * What a command does. New actions are added within the version; a reader refuses one it does not
 * know.
 */
public enum CommandAction {
  /** Add and remove flags and keywords ({@link FlagEdit}) on every target. */
  FLAGS,
  /**
   * Move every target to {@link CommandRequested#destination}: RFC 6851 MOVE, else COPY, \Deleted
   * and UID EXPUNGE of those UIDs (RFC 4315); never a plain EXPUNGE.
   */
  MOVE,
  /**
   * Delete every target for good: \Deleted, then UID EXPUNGE of those UIDs (RFC 4315); never a
   * plain EXPUNGE. The gateway allows it only for messages in the Trash or Junk mailbox.
   */
  DELETE,
  /** Create the mailbox {@link CommandRequested#destination}. */
  CREATE_MAILBOX,
  /** Rename {@link CommandRequested#mailbox} to {@link CommandRequested#destination}. */
  RENAME_MAILBOX,
  /** Delete the (empty) mailbox {@link CommandRequested#mailbox}. */
  DELETE_MAILBOX
}
