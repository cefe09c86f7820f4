package dev.mailroom.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.connection.ConnectionEstablished;
import dev.mailroom.events.connection.ConnectionFailed;
import dev.mailroom.events.connection.FailureCategory;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.mail.Store;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** A real Dovecot mailbox becomes events on a real Kafka, first sync and later changes alike. */
@QuarkusTest
class ImapToKafkaTest {

  static final TestKafka kafka = TestKafka.shared();

  @ConfigProperty(name = "mailroom.topic.accounts")
  String accountsTopic;

  @ConfigProperty(name = "mailroom.topic.mail")
  String mailTopic;

  @ConfigProperty(name = "mailroom.topic.connection")
  String connectionTopic;

  @Test
  void everyFolderIsSyncedAndLaterMailArrivesWithinSeconds() throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = TestDovecot.newUser("conn", password);
    try (Store client = TestDovecot.login(user, password)) {
      TestDovecot.append(client, "INBOX", "first", "<first@test>");
      TestDovecot.append(client, "INBOX", "second", null);
      TestDovecot.append(client, "Projects", "plan", "<plan@test>");
    }
    AccountId id = AccountId.random();
    kafka.createTopic(accountsTopic, 3);
    kafka.send(accountsTopic, TestAccounts.onDovecot(id, user, password));

    List<MailroomEvent> synced =
        events(
            mailTopic,
            id,
            seen ->
                statusOf(seen, "INBOX") && statusOf(seen, "Projects") && added(seen).size() >= 3);
    assertThat(added(synced))
        .extracting(m -> m.mailbox().value() + "/" + m.subject())
        .containsExactlyInAnyOrder("INBOX/first", "INBOX/second", "Projects/plan");
    MessageAdded second =
        added(synced).stream().filter(m -> m.subject().equals("second")).findFirst().orElseThrow();
    assertThat(second.messageId()).isNotNull(); // Angus gave it one on saveChanges
    assertThat(added(synced))
        .allSatisfy(
            m -> {
              assertThat(m.modSeq()).as("Dovecot has CONDSTORE").isNotNull();
              assertThat(m.from())
                  .extracting(a -> a.address())
                  .containsExactly("sender@example.com");
            });
    // Newest first within a mailbox: INBOX's UID 2 is published before UID 1.
    assertThat(
            added(synced).stream()
                .filter(m -> m.mailbox().value().equals("INBOX"))
                .map(m -> m.uid().value()))
        .containsExactly(2L, 1L);

    Instant appended = Instant.now();
    try (Store client = TestDovecot.login(user, password)) {
      TestDovecot.append(client, "Projects", "later", "<later@test>");
    }
    List<MailroomEvent> after =
        events(
            mailTopic, id, seen -> added(seen).stream().anyMatch(m -> m.subject().equals("later")));
    assertThat(added(after)).anySatisfy(m -> assertThat(m.subject()).isEqualTo("later"));
    assertThat(Duration.between(appended, Instant.now())).isLessThan(Duration.ofSeconds(10));

    List<MailroomEvent> connections = events(connectionTopic, id, seen -> !seen.isEmpty());
    assertThat(connections.getFirst())
        .isInstanceOfSatisfying(
            ConnectionEstablished.class,
            ok -> assertThat(ok.capabilities()).contains("IDLE", "CONDSTORE"));
  }

  @Test
  void wrongPasswordIsReportedAsSuchAndNeverPublished() throws Exception {
    String user = TestDovecot.newUser("wrongpw", "the-right-one");
    AccountId id = AccountId.random();
    String wrong = "Wrong-Secret-" + System.nanoTime();
    kafka.createTopic(accountsTopic, 3);
    kafka.send(accountsTopic, TestAccounts.onDovecot(id, user, wrong));

    List<MailroomEvent> connections = events(connectionTopic, id, seen -> !seen.isEmpty());
    assertThat(connections.getFirst())
        .isInstanceOfSatisfying(
            ConnectionFailed.class,
            failed ->
                assertThat(failed.category()).isEqualTo(FailureCategory.AUTHENTICATION_FAILED));
    for (String topic : List.of(accountsTopic, connectionTopic, mailTopic)) {
      kafka
          .readUntil(topic, seen -> false, Duration.ofSeconds(2))
          .forEach(
              r ->
                  assertThat(r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8))
                      .doesNotContain(wrong));
    }
  }

  private static List<MailroomEvent> events(
      String topic, AccountId id, Predicate<List<MailroomEvent>> until) {
    var records =
        kafka.readUntil(topic, seen -> until.test(decode(seen, id)), Duration.ofSeconds(30));
    return decode(records, id);
  }

  private static List<MailroomEvent> decode(
      List<ConsumerRecord<String, byte[]>> records, AccountId id) {
    return records.stream()
        .filter(r -> id.toString().equals(r.key()))
        .map(r -> EventCodec.decode(TestKafka.header(r, CloudEventHeaders.TYPE), r.value()))
        .toList();
  }

  private static List<MessageAdded> added(List<MailroomEvent> events) {
    return events.stream()
        .filter(MessageAdded.class::isInstance)
        .map(MessageAdded.class::cast)
        .toList();
  }

  private static boolean statusOf(List<MailroomEvent> events, String mailbox) {
    return events.stream()
        .anyMatch(e -> e instanceof MailboxStatus s && s.path().value().equals(mailbox));
  }
}
