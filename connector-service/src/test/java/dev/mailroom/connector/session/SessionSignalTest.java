package dev.mailroom.connector.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.connector.push.PushWatcher;
import dev.mailroom.events.model.MailboxPath;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/** How the signals waiting for a session are folded into what it does next. */
class SessionSignalTest {

  @Test
  void theWatchersStringsBecomeTypedSignals() {
    assertThat(SessionSignal.fromPush(PushWatcher.RELIST)).isEqualTo(new SessionSignal.Relist());
    assertThat(SessionSignal.fromPush(PushWatcher.FAILED))
        .isEqualTo(new SessionSignal.PushFailed(null));
    assertThat(SessionSignal.fromPush("Archive"))
        .isEqualTo(new SessionSignal.MailboxChanged(MailboxPath.of("Archive")));
  }

  @Test
  void everyWaitingSignalIsTakenEachMailboxOnceInTheOrderHeard() {
    var queue = new LinkedBlockingQueue<SessionSignal>();
    queue.add(new SessionSignal.MailboxChanged(MailboxPath.of("INBOX")));
    queue.add(new SessionSignal.Relist());
    queue.add(new SessionSignal.MailboxChanged(MailboxPath.of("Archive")));
    var heard =
        SessionSignal.Heard.drain(
            new SessionSignal.MailboxChanged(MailboxPath.of("Archive")), queue);
    assertThat(queue).isEmpty();
    assertThat(heard.relist()).isTrue();
    assertThat(heard.pushFailed()).isNull();
    assertThat(heard.mailboxes()).containsExactly(MailboxPath.of("Archive"), MailboxPath.INBOX);
  }

  @Test
  void aPushFailureWithItsCauseIsKeptOverOneWithout() {
    var queue = new LinkedBlockingQueue<SessionSignal>();
    Error cause = new StackOverflowError();
    queue.add(new SessionSignal.PushFailed(cause));
    queue.add(new SessionSignal.PushFailed(null));
    var heard = SessionSignal.Heard.drain(new SessionSignal.PushFailed(null), queue);
    assertThat(heard.pushFailed().cause()).isSameAs(cause);
  }
}
