package dev.mailroom.connector.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.connector.checkpoint.MailboxState;
import dev.mailroom.connector.publish.FaultyPublisher;
import dev.mailroom.events.mail.MessageExpunged;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import jakarta.mail.MessagingException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A mailbox's end runs its steps (publishing its status, the checkpoint a restart trusts) only once
 * every event before them was acknowledged, however often it is finished. The incident this pins: a
 * broker frozen during a first sync expired part of a mailbox's events; the failed finish was
 * followed by the quiet one of the failure's clean-up, which found the acknowledgements already
 * waited for and published the status; after a restart the status said the mailbox was complete and
 * its missing messages were never sent.
 */
class MailboxTailTest {

  static final AccountId ACCOUNT = AccountId.random();
  static final MailboxPath PATH = MailboxPath.of("Projekte/\u00dcberblick");
  static final UidValidity UV = UidValidity.of(7);

  /** Nothing here publishes: a failure other than "too large" is not sent again. */
  final MailboxEvents events =
      new MailboxEvents(
          ACCOUNT,
          new FaultyPublisher(
              null, e -> true, 1, () -> new AssertionError("nothing may be published")),
          Clock.systemUTC());

  final MailboxState state = new MailboxState(UV);
  final AtomicInteger stepsRun = new AtomicInteger();

  @Test
  void aTailWithAnUnacknowledgedEventNeverRunsItsStepsNotEvenWhenFinishedAgain() throws Exception {
    Acks older = new Acks();
    sent(older, 5, acknowledged());
    Acks previous = new Acks();
    sent(previous, 4, expired());
    sent(previous, 3, acknowledged());
    MailboxTail tail = tail(older, previous);

    assertThatThrownBy(tail::finish)
        .isInstanceOf(MailboxEvents.EventsNotAcknowledgedException.class)
        .hasMessageContaining("Expiring 1 record(s)");
    tail.finishQuietly(); // the clean-up after that failure
    assertThatThrownBy(tail::finish).isInstanceOf(MessagingException.class);

    assertThat(stepsRun).hasValue(0);
    // What the broker took is known (not sent again); the expired one is sent again.
    assertThat(state.known().uids()).containsExactlyInAnyOrder(5L, 3L);
  }

  @Test
  void theQuietFinishAfterAFailureRecordsWhatTheFailedOneDidNotGetTo() throws Exception {
    Acks older = new Acks();
    sent(older, 9, expired());
    Acks previous = new Acks();
    sent(previous, 8, acknowledged());
    MailboxTail tail = tail(older, previous);

    assertThatThrownBy(tail::finish)
        .isInstanceOf(MailboxEvents.EventsNotAcknowledgedException.class);
    assertThat(state.known().uids()).isEmpty(); // it stopped at the older batch
    tail.finishQuietly();

    assertThat(state.known().uids()).containsExactly(8L);
    assertThat(stepsRun).hasValue(0);
  }

  @Test
  void aTailWhoseEventsWereAllAcknowledgedRunsItsStepsOnce() throws Exception {
    Acks older = new Acks();
    sent(older, 2, acknowledged());
    Acks previous = new Acks();
    sent(previous, 1, acknowledged());
    MailboxTail tail = tail(older, previous);

    assertThat(tail.finish()).isSameAs(MailboxTail.NONE);

    assertThat(stepsRun).hasValue(1);
    assertThat(state.known().uids()).containsExactlyInAnyOrder(2L, 1L);
  }

  private MailboxTail tail(Acks older, Acks previous) {
    return new MailboxTail(events, Publishing.NONE, older, previous, state, 3, List.of())
        .then(stepsRun::incrementAndGet);
  }

  /** An event of {@code uid} handed to the producer; its acknowledgement makes the UID known. */
  private void sent(Acks acks, long uid, CompletableFuture<Void> outcome) {
    acks.add(
        new MessageExpunged(ACCOUNT, PATH, UV, Uid.of(uid), Instant.now()),
        outcome,
        () -> state.known().put(uid, List.of()));
  }

  private static CompletableFuture<Void> acknowledged() {
    return CompletableFuture.completedFuture(null);
  }

  private static CompletableFuture<Void> expired() {
    return CompletableFuture.failedFuture(
        new TimeoutException(
            "Expiring 1 record(s) for mailroom.mail.v1-1:120000 ms has passed since batch creation"));
  }
}
