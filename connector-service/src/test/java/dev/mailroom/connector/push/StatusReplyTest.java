package dev.mailroom.connector.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Mailbox names in STATUS replies as servers really send them: modified UTF-7 as RFC 3501 §5.1.3
 * asks, and unencoded UTF-8 as Dovecot 2.3's NOTIFY sends them (literals for 8-bit names, a raw
 * {@code &} in quoted strings and atoms). The byte strings are the ones Dovecot 2.3.19.1 sent.
 */
class StatusReplyTest {

  @Test
  void dovecotNotifySendsAnEightBitNameAsAnUnencodedUtf8Literal() {
    var reply = parse("* STATUS {19}\r\nProjekte.Überblick (HIGHESTMODSEQ 3)");
    assertThat(reply.names()).containsExactly("Projekte.Überblick");
    assertThat(reply.facts()).containsExactly(-1L, -1L, -1L, -1L, 3L);
    assertThat(
            parse(
                    "* STATUS {23}\r\nKunden/Müller & Söhne (MESSAGES 1 UIDNEXT 2 UIDVALIDITY 7 UNSEEN 1 HIGHESTMODSEQ 2)")
                .names())
        .containsExactly("Kunden/Müller & Söhne");
    assertThat(parse("* STATUS {9}\r\n日本語 (MESSAGES 1)").names()).containsExactly("日本語");
    assertThat(parse("* STATUS {18}\r\nRésumé français (UNSEEN 0)").names())
        .containsExactly("Résumé français");
  }

  @Test
  void dovecotNotifySendsAnAmpersandUnescaped() {
    assertThat(parse("* STATUS \"Tom & Jerry\" (HIGHESTMODSEQ 3)").names())
        .containsExactly("Tom & Jerry");
    assertThat(parse("* STATUS a&b (HIGHESTMODSEQ 3)").names()).containsExactly("a&b");
  }

  @Test
  void modifiedUtf7AsTheRfcAsksIsDecoded() {
    var reply =
        parse(
            "* STATUS Projekte/&ANw-berblick (MESSAGES 4 UIDNEXT 9 UIDVALIDITY 77 UNSEEN 2 HIGHESTMODSEQ 12)");
    assertThat(reply.names()).first().isEqualTo("Projekte/Überblick");
    assertThat(reply.facts()).containsExactly(77L, 9L, 4L, 2L, 12L);
    assertThat(parse("* STATUS &ZeVnLIqe- (MESSAGES 1)").names()).first().isEqualTo("日本語");
    assertThat(parse("* STATUS \"Kunden/M&APw-ller &- S&APY-hne\" (MESSAGES 1)").names())
        .first()
        .isEqualTo("Kunden/Müller & Söhne");
  }

  @Test
  void sevenBitTextThatIsValidModifiedUtf7MayStillBeARawNameAndBothAreGiven() {
    // RFC form of "Tom & Jerry", or Dovecot's NOTIFY naming a mailbox called "Tom &- Jerry".
    assertThat(parse("* STATUS \"Tom &- Jerry\" (MESSAGES 1)").names())
        .containsExactly("Tom & Jerry", "Tom &- Jerry");
    assertThat(parse("* STATUS Archive (MESSAGES 1)").names()).containsExactly("Archive");
  }

  @Test
  void quotedNamesLoseTheirEscapesAndInboxHasOneSpelling() {
    assertThat(parse("* STATUS \"say \\\"hi\\\" \\\\ there\" (MESSAGES 1)").names())
        .containsExactly("say \"hi\" \\ there");
    assertThat(parse("* STATUS inbox (MESSAGES 1)").names()).containsExactly("INBOX");
  }

  @Test
  void otherRepliesAndBrokenOnesAreNoStatus() {
    assertThat(StatusReply.parse(bytes("* LIST () \".\" Sent"))).isEmpty();
    assertThat(StatusReply.parse(bytes("* STATUS {40}\r\nshort (MESSAGES 1)"))).isEmpty();
    assertThat(StatusReply.parse(bytes("* STATUS Archive MESSAGES 1"))).isEmpty();
    assertThat(StatusReply.parse(bytes("* STATUS Archive (MESSAGES x)"))).isEmpty();
  }

  @Test
  void theWireNameIsTheBytesAsSentSoThatTheNotifySetAnswerAndANotificationAgree() {
    var answer =
        parse(
            "* STATUS {19}\r\nProjekte.Überblick (MESSAGES 1 UIDNEXT 2 UIDVALIDITY 7 UNSEEN 1 HIGHESTMODSEQ 2)");
    var heard = parse("* STATUS {19}\r\nProjekte.Überblick (HIGHESTMODSEQ 3)");
    assertThat(heard.wire()).isEqualTo(answer.wire());
    assertThat(answer.names()).isEqualTo(List.of("Projekte.Überblick"));
  }

  private static StatusReply parse(String line) {
    return StatusReply.parse(bytes(line)).orElseThrow();
  }

  private static byte[] bytes(String line) {
    return line.getBytes(StandardCharsets.UTF_8);
  }
}
