package dev.mailroom.connector.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.connector.MailTopic;
import dev.mailroom.connector.SessionManagers;
import dev.mailroom.connector.TestAccounts;
import dev.mailroom.connector.TestDovecot;
import dev.mailroom.connector.session.SessionManager;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Two connector instances in one consumer group share the accounts and never hold the same one;
 * when one dies, its accounts resume on the other, against the real Kafka and Dovecot.
 *
 * <p>Both "instances" live in this JVM: each is its own ownership consumer (same group, a topic of
 * this test with six partitions) with its own {@link SessionManager}, so its own IMAP sessions. The
 * death is {@link AccountOwnership#halt()}, which closes the consumer without leaving the group,
 * and the release of all its sessions, which drops its IMAP connections. The group then notices
 * only through the session timeout, as it would for a killed process; the test lowers that timeout
 * to the broker's minimum (6 s) to stay fast.
 *
 * <p>What it does not prove: a process that stops without closing its connections (the broker and
 * Dovecot see the sockets close here, a SIGKILL on another host could leave them half-open), nor a
 * paused instance (a long GC) that comes back after its partitions moved.
 */
@QuarkusTest
class TwoInstancesFailoverTest {

  static final int PARTITIONS = 6;
  static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);

  @Inject SessionManagers managers;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @ConfigProperty(name = "mailroom.topic.mail")
  String mailTopic;

  @Test
  void twoInstancesNeverHoldTheSameAccountAndTheSurvivorTakesOverTheDeadOnesAccounts()
      throws Exception {
    String topic = "connector-test.failover-accounts." + UUID.randomUUID();
    String group = "connector-test-failover-" + UUID.randomUUID();
    SessionManager sessionsA = managers.another();
    SessionManager sessionsB = managers.another();
    AccountOwnership a = new AccountOwnership(sessionsA, topic, consumerProperties(group));
    AccountOwnership b = new AccountOwnership(sessionsB, topic, consumerProperties(group));
    Map<AccountId, String[]> logins = new HashMap<>();
    ConcurrentLinkedQueue<String> overlaps = new ConcurrentLinkedQueue<>();
    Thread watcher =
        Thread.ofPlatform().daemon().start(() -> watchForOverlap(sessionsA, sessionsB, overlaps));
    try (TestKafka kafka = TestKafka.fromEnvironment()) {
      kafka.createTopic(topic, PARTITIONS);
      String password = "Failover-pw-" + System.nanoTime();
      List<String> users = TestDovecot.newUsers("failover", password, PARTITIONS);
      for (int i = 0; i < PARTITIONS; i++) {
        String user = users.get(i);
        AccountId id = AccountId.random();
        logins.put(id, new String[] {user, password});
        // A chosen partition for each, so that both instances get accounts.
        TestAccounts.define(kafka, topic, i, TestAccounts.onDovecot(id, user, password));
      }
      a.start();
      b.start();

      // The first to join takes every partition; the second's join moves half of them over.
      awaitTrue(
          "every account held, by both instances",
          () ->
              !sessionsA.held().isEmpty()
                  && !sessionsB.held().isEmpty()
                  && union(sessionsA.held(), sessionsB.held()).equals(logins.keySet()),
          Duration.ofSeconds(30));
      Set<AccountId> heldByA = sessionsA.held();
      Set<AccountId> heldByB = sessionsB.held();
      assertThat(heldByA).doesNotContainAnyElementsOf(heldByB);

      // A dies: it stops heartbeating without leaving the group, and its connections are gone.
      a.halt();
      heldByA.forEach(sessionsA::release);
      Instant died = Instant.now();
      awaitTrue(
          "the survivor holds every account",
          () -> sessionsB.held().equals(logins.keySet()),
          SESSION_TIMEOUT.plusSeconds(20));
      Duration takeover = Duration.between(died, Instant.now());
      assertThat(takeover)
          .as("moved once the dead instance's session timed out, not before")
          .isGreaterThanOrEqualTo(SESSION_TIMEOUT.minusSeconds(1));

      // Mail that arrives afterwards in one of the dead instance's accounts reaches the mail topic.
      AccountId moved = heldByA.iterator().next();
      String subject = "after failover " + UUID.randomUUID();
      try (Store client = TestDovecot.login(logins.get(moved)[0], logins.get(moved)[1])) {
        TestDovecot.append(client, "INBOX", subject, "<" + UUID.randomUUID() + "@failover.test>");
      }
      var events =
          MailTopic.read(
              kafka,
              mailTopic,
              moved,
              seen ->
                  MailTopic.of(seen, MessageAdded.class).stream()
                      .anyMatch(m -> subject.equals(m.subject())),
              Duration.ofSeconds(30));
      assertThat(MailTopic.of(events, MessageAdded.class))
          .extracting(MessageAdded::subject)
          .contains(subject);
      assertThat(overlaps).as("an account held by both instances at once").isEmpty();
    } finally {
      watcher.interrupt();
      a.stop();
      b.stop();
      sessionsA.held().forEach(sessionsA::release);
      sessionsB.held().forEach(sessionsB::release);
    }
  }

  private Properties consumerProperties(String group) {
    // The broker's smallest session timeout (group.min.session.timeout.ms), so that a dead
    // instance is noticed in seconds rather than the default 15 s.
    return AccountOwnership.consumerProperties(bootstrap, group, SESSION_TIMEOUT);
  }

  private static void watchForOverlap(
      SessionManager a, SessionManager b, ConcurrentLinkedQueue<String> overlaps) {
    while (!Thread.currentThread().isInterrupted()) {
      // A, then B, then A again: an account A held before and after B was seen holding it was
      // held by both at once, whereas one that moves between the reads is not counted.
      Set<AccountId> both = new HashSet<>(a.held());
      both.retainAll(b.held());
      both.retainAll(a.held());
      if (!both.isEmpty()) {
        overlaps.add(both.toString());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static Set<AccountId> union(Set<AccountId> a, Set<AccountId> b) {
    Set<AccountId> all = new HashSet<>(a);
    all.addAll(b);
    return all;
  }

  private static void awaitTrue(String what, BooleanSupplier condition, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what + " within " + within).isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
