package dev.mailroom.connector.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.connector.RecordingProxy;
import dev.mailroom.connector.TestAccounts;
import dev.mailroom.connector.TestDovecot;
import dev.mailroom.connector.session.SessionManager;
import dev.mailroom.events.EventCodec;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.search.SearchReplied;
import dev.mailroom.events.search.SearchRequested;
import dev.mailroom.events.search.SearchTerm;
import dev.mailroom.events.search.SearchTerm.Kind;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Server-side search through the request and reply topics, on the real Dovecot with its three kinds
 * of user: Lucene with SEARCH=FUZZY, Lucene without it, and no index at all.
 */
@QuarkusTest
class ServerSearchTest {

  static final TestKafka kafka = TestKafka.shared();
  static final String FUZZY_USER = "userdb_fts=lucene userdb_imap_capability=+SEARCH=FUZZY";

  @Inject SessionManager sessions;
  @Inject SearchResponder responder;

  @ConfigProperty(name = "mailroom.topic.search-requests")
  String requests;

  @ConfigProperty(name = "mailroom.topic.search-replies")
  String replies;

  @BeforeEach
  void topics() throws InterruptedException {
    kafka.createTopic(requests, 3);
    kafka.createTopic(replies, 3);
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!responder.listening() && System.nanoTime() < end) {
      Thread.sleep(100);
    }
    assertThat(responder.listening()).as("the responder reads the request topic").isTrue();
  }

  @Test
  void aMisspelledWordIsFoundThroughFuzzyWithRelevancy() throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = TestDovecot.newUser("fuzzy", password, FUZZY_USER);
    appendMail(TestDovecot.login(user, password));
    AccountId id = AccountId.random();
    sessions.hold(TestAccounts.onDovecot(id, user, password), 0);
    try {
      SearchReplied reply = ask(id, true, word("kangarro"));
      assertThat(reply.route()).isEqualTo("server-fuzzy");
      assertThat(reply.error()).isNull();
      assertThat(reply.hits())
          .singleElement()
          .satisfies(
              h -> {
                assertThat(h.mailbox().value()).isEqualTo("INBOX");
                assertThat(h.uid().value()).isEqualTo(1);
                assertThat(h.relevancy())
                    .as("RFC 6203 RELEVANCY through ESEARCH")
                    .isBetween(1, 100);
              });
      // Flags and negation on the same route; the unread kangaroo message matches is:unread.
      assertThat(ask(id, true, word("kangarro"), new SearchTerm(Kind.UNREAD, null, true)).hits())
          .isEmpty();
    } finally {
      sessions.release(id);
    }
  }

  @Test
  void fullTextWithoutSearchFuzzyGetsNoFuzzyAndFindsOnlyTheRightSpelling() throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = TestDovecot.newUser("fts", password, "userdb_fts=lucene");
    appendMail(TestDovecot.login(user, password));
    AccountId id = AccountId.random();
    sessions.hold(TestAccounts.onDovecot(id, user, password), 0);
    try {
      // Asked for FUZZY, but the server did not advertise SEARCH=FUZZY: a plain search goes out.
      SearchReplied misspelled = ask(id, true, word("kangarro"));
      assertThat(misspelled.route()).isEqualTo("server");
      assertThat(misspelled.hits()).isEmpty();
      SearchReplied right = ask(id, true, word("kangaroo"));
      assertThat(right.hits()).extracting(h -> h.uid().value()).containsExactly(1L);
      assertThat(right.hits().getFirst().relevancy()).isNull();
    } finally {
      sessions.release(id);
    }
  }

  @Test
  void fuzzyIsNeverSentToAServerWithoutAnIndex() throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = TestDovecot.newUser("plain", password);
    appendMail(TestDovecot.login(user, password));
    AccountId id = AccountId.random();
    try (RecordingProxy proxy = new RecordingProxy("127.0.0.1", TestDovecot.IMAP_PORT)) {
      sessions.hold(
          TestAccounts.at(
              id, user, password, new ImapEndpoint("127.0.0.1", proxy.port(), Security.NONE, user)),
          0);
      try {
        SearchReplied reply =
            ask(
                id,
                true,
                word("kangaroo"),
                new SearchTerm(Kind.FROM, "Ann \"Roo\" Smith", true),
                new SearchTerm(Kind.SUBJECT, "Känguru", false));
        assertThat(reply.route()).isEqualTo("server");
        assertThat(reply.hits()).extracting(h -> h.uid().value()).containsExactly(1L);
        String wire = proxy.clientBytes();
        assertThat(wire)
            .contains(
                "UID SEARCH RETURN (ALL) CHARSET UTF-8 TEXT kangaroo NOT FROM \"Ann \\\"Roo\\\" Smith\"");
        // Only INBOX holds mail: Sent, Trash, Junk and Drafts (created empty) are not searched.
        assertThat(wire.split("TEXT kangaroo", -1)).hasSize(2);
        assertThat(wire)
            .doesNotContainIgnoringCase("FUZZY")
            .doesNotContainIgnoringCase("RELEVANCY");
      } finally {
        sessions.release(id);
      }
    }
  }

  private static SearchTerm word(String w) {
    return new SearchTerm(Kind.WORD, w, false);
  }

  private SearchReplied ask(AccountId id, boolean fuzzy, SearchTerm... terms) {
    String correlation = UUID.randomUUID().toString();
    Instant now = Instant.now();
    // A long deadline: the session's first connection and sync come before the search.
    kafka.send(
        requests,
        new SearchRequested(
            id, correlation, null, List.of(terms), fuzzy, 50, now, now.plusSeconds(30)));
    var records =
        kafka.readUntil(
            replies,
            seen -> seen.stream().anyMatch(r -> correlation.equals(decode(r).correlationId())),
            Duration.ofSeconds(40));
    return records.stream()
        .map(ServerSearchTest::decode)
        .filter(r -> correlation.equals(r.correlationId()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no reply to " + correlation));
  }

  private static SearchReplied decode(
      org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> r) {
    return (SearchReplied)
        EventCodec.decode(TestKafka.header(r, CloudEventHeaders.TYPE), r.value());
  }

  /** UID 1 speaks of a kangaroo (and has a subject in German); UID 2 of something else. */
  private static void appendMail(Store store) throws Exception {
    try (store) {
      Folder inbox = store.getFolder("INBOX");
      inbox.appendMessages(
          new Message[] {
            message("Känguru sighting", "We saw a kangaroo near the road this morning."),
            message("Budget", "The quarterly budget is attached.")
          });
    }
  }

  private static MimeMessage message(String subject, String text) throws Exception {
    MimeMessage m = new MimeMessage((Session) null);
    m.setFrom(new InternetAddress("anna@example.com", "Anna Smith"));
    m.setRecipients(Message.RecipientType.TO, "bob@example.com");
    m.setSubject(subject, "UTF-8");
    m.setSentDate(new Date());
    m.setText(text, "UTF-8");
    m.saveChanges();
    return m;
  }
}
