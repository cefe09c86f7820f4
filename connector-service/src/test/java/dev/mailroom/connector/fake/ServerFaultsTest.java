package dev.mailroom.connector.fake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.connector.MailTopic;
import dev.mailroom.connector.TestAccounts;
import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.connection.ConnectionFailed;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.mail.MessageSkipped;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Replies a real server will not give, from a scripted server: one message whose FETCH reply the
 * client cannot parse is skipped with a {@code message.skipped} event while the others go on, and a
 * BYE in the middle of a FETCH is reported as a connection failure and then recovered from without
 * losing or repeating a message; mailbox names in invalid modified UTF-7 and raw 8-bit header bytes
 * cost neither the account nor its other mailboxes.
 */
@QuarkusTest
class ServerFaultsTest {

  static final TestKafka kafka = TestKafka.shared();

  @ConfigProperty(name = "mailroom.topic.accounts")
  String accountsTopic;

  @ConfigProperty(name = "mailroom.topic.mail")
  String mailTopic;

  @ConfigProperty(name = "mailroom.topic.connection")
  String connectionTopic;

  @Test
  void anUnparseableMessageIsSkippedAndTheOthersArrive() throws Exception {
    try (var server =
        new ScriptedImapServer(
            3,
            seq ->
                seq == 2
                    // An unbalanced BODYSTRUCTURE and an absurd size: the parser refuses the whole
                    // reply.
                    ? "UID 2 FLAGS () RFC822.SIZE 99999999999999999999 BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CHARSET\""
                    : ScriptedImapServer.goodMessage(seq),
            0)) {
      AccountId id = define(server.port());
      List<MailroomEvent> events = untilStatus(id, Duration.ofSeconds(40));
      assertThat(onlySecondSkipped(events)).isNotBlank();
    }
  }

  /**
   * A message nested deeper than the client's parser can follow (a server that does not cap MIME
   * nesting): the parser's recursion ends in a StackOverflowError, an Error that failed the session
   * and, on every reconnect, failed it again at the same batch. Now its reply is dropped as one
   * that cannot be parsed: the message is skipped with that reason, the others arrive, and the
   * connection never fails.
   */
  @Test
  void aMessageNestedTooDeeplyToParseIsSkippedAndTheOthersArrive() throws Exception {
    List<MailroomEvent> events = syncWithSecondMessageNested(50_000);
    assertThat(onlySecondSkipped(events)).contains("cannot be read");
  }

  /**
   * Nested 1,000 levels, which the parser follows however warm its code: the connector's own walks
   * for the text and the attachments recursed once per level too (at 4,000 levels they overflowed
   * where the parser had not, and built section numbers of 8,000 characters). They stop at 100
   * levels, so the message is announced without what lies deeper, and its attachment list says it
   * was cut.
   */
  @Test
  void aMessageNestedAThousandLevelsIsAnnouncedWithoutItsDeepestParts() throws Exception {
    List<MailroomEvent> events = syncWithSecondMessageNested(1_000);
    List<MessageAdded> added = MailTopic.of(events, MessageAdded.class);
    assertThat(added).extracting(m -> m.uid().value()).containsExactlyInAnyOrder(1L, 2L, 3L);
    assertThat(added)
        .filteredOn(m -> m.uid().value() == 2L)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.textBody()).isNull();
              assertThat(m.attachments()).isEmpty();
              assertThat(m.truncated()).contains("attachments");
            });
    assertThat(MailTopic.of(events, MessageSkipped.class)).isEmpty();
  }

  /**
   * Three messages from a scripted server, the second a text part inside {@code depth} nested
   * multiparts; the account's mail events until its mailbox status, and no connection failure.
   */
  private List<MailroomEvent> syncWithSecondMessageNested(int depth) throws Exception {
    String leaf =
        "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"7BIT\" 20 1 NIL NIL NIL NIL)";
    String nested = "(".repeat(depth) + leaf + " \"MIXED\")".repeat(depth);
    try (var server =
        new ScriptedImapServer(
            3,
            seq -> {
              String good = ScriptedImapServer.goodMessage(seq);
              return seq == 2
                  ? good.replace(" BODYSTRUCTURE " + leaf, " BODYSTRUCTURE " + nested)
                  : good;
            },
            0)) {
      AccountId id = define(server.port());
      List<MailroomEvent> events = untilStatus(id, Duration.ofSeconds(60));
      List<MailroomEvent> connection =
          MailTopic.read(kafka, connectionTopic, id, seen -> false, Duration.ofSeconds(1));
      assertThat(MailTopic.of(connection, ConnectionFailed.class)).isEmpty();
      return events;
    }
  }

  /**
   * A server that declares a literal larger than any array (a broken server, or one ignoring the
   * partial fetch's bound): the client allocates the declared size before it reads a byte, and the
   * allocation fails with an OutOfMemoryError, the same on every reconnect. It failed the session
   * at the same batch each time, so the mailbox never finished. Now the connection is dropped, the
   * batch is fetched one message at a time after the reconnect, and the message that fails alone is
   * skipped with the reason; the others arrive.
   */
  @Test
  void aMessageLargerThanMemoryIsSkippedAndTheOthersArrive() throws Exception {
    String good = ScriptedImapServer.goodMessage(2);
    String declared = "{2}\r\n\r\n";
    // Angus grows its reply buffer to (bytes read so far) + (declared size) + 16 before reading the
    // literal: chosen so that this is Integer.MAX_VALUE, beyond the largest array the JVM makes,
    // whatever the heap.
    String before = "* 2 FETCH (" + good.substring(0, good.indexOf(declared));
    long size = Integer.MAX_VALUE - 16L - (before.length() + "{2147483647}\r\n".length());
    String huge = good.replace(declared, "{" + size + "}\r\n\r\n");
    try (var server =
        new ScriptedImapServer(
            3, seq -> seq == 2 ? huge : ScriptedImapServer.goodMessage(seq), 0)) {
      AccountId id = define(server.port());
      List<MailroomEvent> events = untilStatus(id, Duration.ofSeconds(90));
      assertThat(onlySecondSkipped(events)).contains("too large for the connector's memory");
      assertConnectionFailureReported(id);
    }
  }

  /**
   * A server (or a proxy before it) that drops the connection in the middle of a literal whenever a
   * FETCH asks for more than one message. The batch's messages are then fetched one at a time after
   * the reconnect: every message arrives and none is skipped. A first sync that failed used to
   * forget what it had learned, so it asked for the same batch after every reconnect and never got
   * past it.
   */
  @Test
  void aServerThatDropsEveryBatchMidLiteralIsSyncedOneMessageAtATime() throws Exception {
    try (var server =
        new ScriptedImapServer(3, ScriptedImapServer::goodMessage, 0)
            .dropMidLiteral(Integer.MAX_VALUE)) {
      AccountId id = define(server.port());
      List<MailroomEvent> events = untilStatus(id, Duration.ofSeconds(60));
      assertAllThreeAddedNoneSkipped(events);
      assertConnectionFailureReported(id);
    }
  }

  @Test
  void byeInTheMiddleOfAFetchIsReportedAndRecoveredFrom() throws Exception {
    try (var server = new ScriptedImapServer(3, ScriptedImapServer::goodMessage, 1)) {
      AccountId id = define(server.port());
      List<MailroomEvent> events = untilStatus(id, Duration.ofSeconds(40));
      assertAllThreeAddedNoneSkipped(events);
      assertConnectionFailureReported(id);
    }
  }

  /**
   * RFC 3501 §5.1.3: a mailbox name in modified UTF-7 must end each base64 run with "-" and must
   * not encode printable ASCII. A server (or a client that created the mailbox) can break both; and
   * a header can carry raw 8-bit bytes where RFC 5322 allows only ASCII. Neither may stop the
   * account: the valid mailboxes and messages arrive, the broken ones are synced under the name as
   * decoded or left out, and no connection is lost over them.
   */
  @Test
  void invalidModifiedUtf7NamesAndEightBitHeadersDoNotStopTheAccount() throws Exception {
    List<String> names =
        List.of(
            "INBOX",
            "&Jjo" /* unterminated */,
            "&AGE-" /* encodes "a" */,
            "Caf&AOk-" /* Café, valid */,
            "Zeta");
    // Raw bytes on the wire: a Latin-1 e-acute (0xE9) and a UTF-8 one (0xC3 0xA9), unencoded.
    String eightBit =
        "UID 2 FLAGS () INTERNALDATE \"26-Nov-2026 06:00:00 +0000\" RFC822.SIZE 120"
            + " ENVELOPE (\"Thu, 26 Nov 2026 06:00:00 +0000\" \"caf\u00e9 caf\u00c3\u00a9\""
            + " ((\"Andr\u00c3\u00a9\" NIL \"sender\" \"example.com\")) NIL NIL ((NIL NIL \"to\" \"example.com\"))"
            + " NIL NIL NIL \"<m2@scripted>\")"
            + " BODYSTRUCTURE (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"8BIT\" 20 1 NIL NIL NIL NIL)"
            + " BODY[HEADER.FIELDS (REFERENCES)] {2}\r\n\r\n";
    try (var server =
        new ScriptedImapServer(
            3, seq -> seq == 2 ? eightBit : ScriptedImapServer.goodMessage(seq), 0, names)) {
      AccountId id = define(server.port());
      List<MailroomEvent> events =
          MailTopic.read(
              kafka,
              mailTopic,
              id,
              seen ->
                  MailTopic.of(seen, MailboxStatus.class).stream()
                      .map(st -> st.path().value())
                      .toList()
                      .containsAll(List.of("INBOX", "Café", "Zeta")),
              Duration.ofSeconds(40));
      assertThat(MailTopic.of(events, MailboxStatus.class))
          .extracting(st -> st.path().value())
          .contains("INBOX", "Café", "Zeta");
      for (String good : List.of("INBOX", "Café", "Zeta")) {
        var inMailbox =
            MailTopic.of(events, MessageAdded.class).stream()
                .filter(m -> m.mailbox().value().equals(good))
                .toList();
        assertThat(inMailbox)
            .as(good)
            .extracting(m -> m.uid().value())
            .containsExactlyInAnyOrder(1L, 2L, 3L);
        assertThat(inMailbox)
            .filteredOn(m -> m.uid().value() == 2L)
            .singleElement()
            .satisfies(
                m ->
                    assertThat(m.subject()).as("8-bit subject, decoded somehow").startsWith("caf"));
      }
      Thread.sleep(3000); // a few sweeps: the broken names must not cost the connection
      List<MailroomEvent> connection =
          MailTopic.read(kafka, connectionTopic, id, seen -> false, Duration.ofSeconds(1));
      assertThat(MailTopic.of(connection, ConnectionFailed.class)).isEmpty();
    }
  }

  /**
   * Asserts that messages 1 and 3 were announced and message 2 was skipped, alone; returns the
   * skip's reason.
   */
  private static String onlySecondSkipped(List<MailroomEvent> events) {
    assertThat(MailTopic.of(events, MessageAdded.class))
        .extracting(m -> m.uid().value())
        .containsExactlyInAnyOrder(1L, 3L);
    List<MessageSkipped> skipped = MailTopic.of(events, MessageSkipped.class);
    assertThat(skipped).singleElement().satisfies(s -> assertThat(s.uid().value()).isEqualTo(2L));
    return skipped.getFirst().reason();
  }

  private static void assertAllThreeAddedNoneSkipped(List<MailroomEvent> events) {
    assertThat(MailTopic.of(events, MessageAdded.class))
        .extracting(m -> m.uid().value())
        .containsExactlyInAnyOrder(1L, 2L, 3L);
    assertThat(MailTopic.of(events, MessageSkipped.class)).isEmpty();
  }

  private void assertConnectionFailureReported(AccountId id) {
    List<MailroomEvent> connection =
        MailTopic.read(
            kafka,
            connectionTopic,
            id,
            seen -> !MailTopic.of(seen, ConnectionFailed.class).isEmpty(),
            Duration.ofSeconds(10));
    assertThat(MailTopic.of(connection, ConnectionFailed.class)).isNotEmpty();
  }

  /** The account's mail events until its first mailbox status (the scripted server has one). */
  private List<MailroomEvent> untilStatus(AccountId id, Duration within) {
    return MailTopic.read(
        kafka, mailTopic, id, seen -> !MailTopic.of(seen, MailboxStatus.class).isEmpty(), within);
  }

  private AccountId define(int port) {
    AccountId id = AccountId.random();
    kafka.createTopic(accountsTopic, 3);
    kafka.send(
        accountsTopic,
        TestAccounts.at(
            id,
            "scripted",
            "scripted-pw",
            new ImapEndpoint("127.0.0.1", port, Security.NONE, "scripted")));
    return id;
  }
}
