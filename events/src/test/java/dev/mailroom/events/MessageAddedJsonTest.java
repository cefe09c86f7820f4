package dev.mailroom.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.EmailAddress;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The hand-written message.added writer against the object mapper, byte for byte. */
class MessageAddedJsonTest {

  /** Pieces real mail carries, and the ones JSON must escape. */
  private static final String[] PIECES = {
    "Hello",
    " ",
    "Projekte/Überblick",
    "Éléments envoyés",
    "日本語の件名",
    "Re: [list] ",
    "\"quoted\"",
    "back\\slash",
    "tab\there",
    "line\r\nbreak",
    "\n",
    "\u0000",
    "\u001f",
    "\u007f",
    "\b\f",
    "😀",
    "a😀b",
    "\ud83d",
    "\ude00",
    "x\ud800",
    "\uffff",
    "\u2028\u2029",
    "&amp;",
    "<p>html</p>",
    "/slash/",
    "€",
    "ß",
    "\u00a0",
    "Ω",
    "\u0800",
    "\u07ff",
  };

  private final Random random = new Random(20261207);

  @Test
  void writesWhatTheMapperWrites() throws Exception {
    for (int i = 0; i < 2_000; i++) {
      MessageAdded event = randomEvent();
      byte[] mapper = EventCodec.mapper().writeValueAsBytes(event);
      byte[] ours = MessageAddedJson.encode(event);
      assertThat(new String(ours, StandardCharsets.UTF_8))
          .as("event %d", i)
          .isEqualTo(new String(mapper, StandardCharsets.UTF_8));
      assertThat(ours).as("event %d", i).isEqualTo(mapper);
    }
  }

  @Test
  void encodeUsesItAndReadsBack() {
    MessageAdded event = randomEvent();
    byte[] json = EventCodec.encode(event);
    assertThat(json).isEqualTo(MessageAddedJson.encode(event));
    assertThat(EventCodec.decode(EventType.MESSAGE_ADDED.ceType(), json)).isEqualTo(event);
  }

  @Test
  void aLongTextOfEscapesOutgrowsTheEstimate() throws Exception {
    String controls = "\u0001".repeat(70_000); // six bytes each, twice the estimate's three
    MessageAdded event = withText(randomEvent(), controls);
    assertThat(MessageAddedJson.encode(event))
        .isEqualTo(EventCodec.mapper().writeValueAsBytes(event));
  }

  private MessageAdded randomEvent() {
    List<String> truncated = random.nextInt(4) == 0 ? List.of("textBody", "to") : List.of();
    return new MessageAdded(
        new AccountId(new UUID(random.nextLong(), random.nextLong())),
        MailboxPath.of(random.nextBoolean() ? "INBOX" : "Projekte/Überblick & " + text(3)),
        UidValidity.of(1 + random.nextInt(Integer.MAX_VALUE)),
        Uid.of(1 + random.nextInt(Integer.MAX_VALUE)),
        random.nextBoolean() ? ModSeq.of(1 + Math.abs(random.nextLong() >> 1)) : null,
        maybe("mid:" + Long.toHexString(random.nextLong())),
        maybe("<" + text(2) + "@example.org>"),
        maybe(text(6)),
        addresses(),
        addresses(),
        addresses(),
        random.nextBoolean() ? instant() : null,
        random.nextInt(5) == 0 ? null : instant(),
        random.nextInt(5) == 0 ? 0 : Math.abs(random.nextLong() >> 20),
        strings(List.of("\\Seen", "\\Flagged", "$Label1", "Wichtig")),
        maybe("<" + text(1) + ">"),
        strings(List.of("<a@x>", "<ü@y>", "<" + text(1) + ">")),
        maybe(text(10)),
        maybe(text(200)),
        maybe("<html>" + text(100) + "</html>"),
        attachments(),
        truncated);
  }

  private static MessageAdded withText(MessageAdded m, String text) {
    return new MessageAdded(
        m.accountId(),
        m.mailbox(),
        m.uidValidity(),
        m.uid(),
        m.modSeq(),
        m.identity(),
        m.messageId(),
        m.subject(),
        m.from(),
        m.to(),
        m.cc(),
        m.sentAt(),
        m.internalDate(),
        m.size(),
        m.flags(),
        m.inReplyTo(),
        m.references(),
        m.snippet(),
        text,
        m.htmlBody(),
        m.attachments(),
        m.truncated());
  }

  private String text(int pieces) {
    StringBuilder out = new StringBuilder();
    int n = random.nextInt(pieces + 1);
    for (int i = 0; i < n; i++) {
      out.append(PIECES[random.nextInt(PIECES.length)]);
      if (random.nextInt(3) == 0) {
        out.append((char) random.nextInt(0x10000)); // any UTF-16 unit, lone surrogates included
      }
    }
    return out.toString();
  }

  private String maybe(String value) {
    return random.nextInt(4) == 0 ? null : value;
  }

  private Instant instant() {
    return switch (random.nextInt(4)) {
      case 0 -> Instant.ofEpochSecond(random.nextInt(2_000_000_000));
      case 1 -> Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(1_000_000_000));
      case 2 -> Instant.ofEpochMilli(random.nextLong(-100_000_000_000L, 300_000_000_000_000L));
      default -> Instant.EPOCH;
    };
  }

  private List<EmailAddress> addresses() {
    List<EmailAddress> out = new ArrayList<>();
    for (int i = random.nextInt(4); i > 0; i--) {
      out.add(new EmailAddress(maybe(text(3)), maybe(text(1) + "@example.org")));
    }
    return out;
  }

  private List<String> strings(List<String> from) {
    List<String> out = new ArrayList<>();
    for (int i = random.nextInt(from.size() + 1); i > 0; i--) {
      out.add(from.get(random.nextInt(from.size())));
    }
    return out;
  }

  private List<MessageAdded.Attachment> attachments() {
    List<MessageAdded.Attachment> out = new ArrayList<>();
    for (int i = random.nextInt(3); i > 0; i--) {
      out.add(
          new MessageAdded.Attachment(
              maybe("2." + random.nextInt(9)),
              maybe(text(2) + ".pdf"),
              maybe("application/pdf"),
              random.nextInt(20_000_000)));
    }
    return out;
  }
}
