package dev.mailroom.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The hand-written message.added writer and reader against the object mapper: the writer byte for
 * byte, the reader by outcome (the same event, or a failure both ways) on canonical payloads and on
 * what other writers or damage make of them.
 */
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

  @Test
  void readsWhatItWritesAsTheMapperReadsIt() throws Exception {
    int taken = 0;
    for (int i = 0; i < 2_000; i++) {
      MessageAdded event = randomEvent();
      byte[] json = MessageAddedJson.encode(event);
      MessageAdded read = MessageAddedReader.read(json);
      if (hasLoneSurrogate(event)) {
        // Decoded text never holds one; an event that does is the mapper's to read.
        assertThat(read).as("event %d, with a lone surrogate", i).isNull();
        read = (MessageAdded) EventCodec.decode(EventType.MESSAGE_ADDED.ceType(), json);
      } else {
        assertThat(read).as("event %d taken by the reader", i).isNotNull();
        taken++;
      }
      assertThat(read).isEqualTo(EventCodec.mapper().readValue(json, MessageAdded.class));
      assertThat(read).isEqualTo(event);
    }
    assertThat(taken).as("events the reader read itself").isGreaterThan(1_500);
  }

  @Test
  void otherWritersAndDamagedPayloadsDecodeAsTheMapperDecodesThem() throws Exception {
    ObjectMapper mapper = EventCodec.mapper();
    int taken = 0;
    for (int i = 0; i < 1_500; i++) {
      MessageAdded event = randomEvent();
      ObjectNode tree = (ObjectNode) mapper.valueToTree(event);
      List<byte[]> variants = new ArrayList<>();
      variants.add(mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree));
      variants.add(mapper.writeValueAsBytes(shuffled(tree)));
      variants.add(edited(tree, t -> t.put("addedLater", "x")));
      variants.add(edited(tree, t -> t.put("uid", t.get("uid").asText())));
      variants.add(edited(tree, t -> t.putNull("size")));
      variants.add(edited(tree, t -> t.put("size", 1.5)));
      variants.add(edited(tree, t -> t.putNull("mailbox")));
      variants.add(edited(tree, t -> t.put("mailbox", " ")));
      variants.add(edited(tree, t -> t.put("accountId", "not-a-uuid")));
      variants.add(edited(tree, t -> t.put("sentAt", "2026-12-07T06:00:00+01:00")));
      variants.add(edited(tree, t -> t.put("sentAt", " 2026-12-07T06:00:00Z")));
      variants.add(edited(tree, t -> t.put("sentAt", 1_700_000_000)));
      variants.add(edited(tree, t -> t.putArray("flags").addNull()));
      variants.add(edited(tree, t -> t.putArray("from").addObject().put("nick", "x")));
      variants.add(edited(tree, t -> t.putArray("attachments").addObject().putNull("size")));
      variants.add(edited(tree, t -> t.putNull("references")));
      variants.add(edited(tree, t -> t.remove("accountId")));
      byte[] canonical = mapper.writeValueAsBytes(tree);
      String text = new String(canonical, StandardCharsets.UTF_8);
      variants.add(text.replaceFirst("\\{", "{\"uid\":1,").getBytes(StandardCharsets.UTF_8));
      variants.add(text.replace("\"uid\":", "\"uid\":0").getBytes(StandardCharsets.UTF_8));
      variants.add((text + " x").getBytes(StandardCharsets.UTF_8));
      variants.add((" \n" + text + "\n").getBytes(StandardCharsets.UTF_8));
      variants.add(text.replace("\\n", "\n").getBytes(StandardCharsets.UTF_8));
      variants.add(Arrays.copyOf(canonical, random.nextInt(canonical.length)));
      byte[] broken = canonical.clone();
      broken[random.nextInt(broken.length)] = (byte) (0x80 | random.nextInt(0x80));
      variants.add(broken);
      for (byte[] json : variants) {
        assertSameOutcome(json);
        taken += MessageAddedReader.read(json) != null ? 1 : 0;
      }
    }
    assertThat(taken).as("variants the reader read itself").isGreaterThan(2_500);
  }

  /** EventCodec.decode makes of the payload what the mapper makes of it, or fails as it fails. */
  private static void assertSameOutcome(byte[] json) {
    MessageAdded expected;
    try {
      expected = EventCodec.mapper().readValue(json, MessageAdded.class);
    } catch (Exception refused) {
      assertThatThrownBy(() -> EventCodec.decode(EventType.MESSAGE_ADDED.ceType(), json))
          .as(new String(json, StandardCharsets.UTF_8))
          .isInstanceOf(EventCodec.MalformedEventException.class);
      return;
    }
    assertThat(EventCodec.decode(EventType.MESSAGE_ADDED.ceType(), json))
        .as(new String(json, StandardCharsets.UTF_8))
        .isEqualTo(expected);
  }

  private static byte[] edited(ObjectNode tree, Consumer<ObjectNode> edit) throws Exception {
    ObjectNode copy = tree.deepCopy();
    edit.accept(copy);
    return EventCodec.mapper().writeValueAsBytes(copy);
  }

  private ObjectNode shuffled(ObjectNode tree) {
    List<String> names = new ArrayList<>();
    tree.fieldNames().forEachRemaining(names::add);
    Collections.shuffle(names, random);
    ObjectNode out = EventCodec.mapper().createObjectNode();
    names.forEach(name -> out.set(name, tree.get(name)));
    return out;
  }

  /** Whether the event being made may hold lone surrogates: one in eight do. */
  private boolean loneSurrogates;

  private MessageAdded randomEvent() {
    loneSurrogates = random.nextInt(8) == 0;
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
    return loneSurrogates ? out.toString() : paired(out);
  }

  private static boolean hasLoneSurrogate(MessageAdded e) {
    List<String> all =
        new ArrayList<>(
            Arrays.asList(
                e.mailbox().value(),
                e.identity(),
                e.messageId(),
                e.subject(),
                e.inReplyTo(),
                e.snippet(),
                e.textBody(),
                e.htmlBody()));
    all.addAll(e.flags());
    all.addAll(e.references());
    all.addAll(e.truncated());
    for (EmailAddress a : e.from()) {
      all.addAll(Arrays.asList(a.name(), a.address()));
    }
    for (EmailAddress a : e.to()) {
      all.addAll(Arrays.asList(a.name(), a.address()));
    }
    for (EmailAddress a : e.cc()) {
      all.addAll(Arrays.asList(a.name(), a.address()));
    }
    for (MessageAdded.Attachment a : e.attachments()) {
      all.addAll(Arrays.asList(a.part(), a.filename(), a.contentType()));
    }
    return all.stream().anyMatch(t -> t != null && !t.equals(paired(t)));
  }

  /** The text with each lone surrogate replaced by '?', as a charset decoder leaves it. */
  private static String paired(CharSequence text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean pair =
          i + 1 < text.length()
              && Character.isHighSurrogate(c)
              && Character.isLowSurrogate(text.charAt(i + 1));
      if (pair) {
        out.append(c).append(text.charAt(++i));
      } else {
        out.append(Character.isSurrogate(c) ? '?' : c);
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
