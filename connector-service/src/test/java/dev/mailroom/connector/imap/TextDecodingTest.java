package dev.mailroom.connector.imap;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The one-pass decoders against what Angus's decoder streams and the former expressions gave. */
class TextDecodingTest {

  private static byte[] angus(byte[] encoded, String encoding) throws Exception {
    try (InputStream in = MimeUtility.decode(new ByteArrayInputStream(encoded), encoding)) {
      return in.readAllBytes();
    }
  }

  @Test
  void quotedPrintableDecodesAsAngusDoes() throws Exception {
    // No '-': Angus reads "=-D" as the number -13 (byte 0xF3); it stays "=-D" here.
    byte[] alphabet = "aZ9=\r\n \t3DfFg_\u00e9".getBytes(StandardCharsets.ISO_8859_1);
    Random random = new Random(1);
    for (int round = 0; round < 20_000; round++) {
      byte[] in = new byte[random.nextInt(40)];
      for (int i = 0; i < in.length; i++) {
        in[i] = alphabet[random.nextInt(alphabet.length)];
      }
      int n = in.length;
      // Cut inside "=XX" or "=CRLF" at the very end: Angus pushes its end of stream back as a
      // byte 0xFF there; the cut sequence is dropped instead (below).
      if ((n >= 1 && in[n - 1] == '=') || (n >= 2 && in[n - 2] == '=')) {
        continue;
      }
      assertThat(TextDecoding.quotedPrintable(in, 0, n))
          .as("%s", new String(in, StandardCharsets.ISO_8859_1))
          .isEqualTo(angus(in, "quoted-printable"));
    }
  }

  @Test
  void quotedPrintableCutByThePartialFetchKeepsWhatDecoded() {
    byte[] in = "caf=C3=A9 =C3=A".getBytes(StandardCharsets.US_ASCII);
    assertThat(TextDecoding.quotedPrintable(in, 0, in.length))
        .isEqualTo(new byte[] {'c', 'a', 'f', (byte) 0xc3, (byte) 0xa9, ' ', (byte) 0xc3});
    byte[] soft = "one=\r\ntwo  \r\nthree=".getBytes(StandardCharsets.US_ASCII);
    assertThat(new String(TextDecoding.quotedPrintable(soft, 2, soft.length - 2)))
        .isEqualTo("etwo\r\nthree");
  }

  @Test
  void base64DecodesAsAngusDoesAndDropsACutGroup() throws Exception {
    Random random = new Random(2);
    for (int round = 0; round < 2_000; round++) {
      byte[] data = new byte[random.nextInt(300)];
      random.nextBytes(data);
      byte[] encoded = Base64.getMimeEncoder(76, "\r\n".getBytes()).encode(data);
      assertThat(TextDecoding.base64(encoded, 0, encoded.length))
          .isEqualTo(angus(encoded, "base64"));
      int cut = random.nextInt(encoded.length + 1);
      byte[] head = TextDecoding.base64(encoded, 0, cut);
      assertThat(java.util.Arrays.copyOf(data, head.length)).isEqualTo(head);
      assertThat(head.length)
          .isGreaterThanOrEqualTo(data.length * cut / Math.max(1, encoded.length) - 3);
    }
    assertThat(TextDecoding.base64("ab*c".getBytes(), 0, 4)).isNull(); // Angus decides
    assertThat(TextDecoding.base64("YQ==YQ==".getBytes(), 0, 8)).isNull();
  }

  @Test
  void lineEndsFoldedInBytesAsInTheDecodedString() {
    String alphabet = "a\r\n\r\r\n\u00e9\u65e5\u672c\u8a9e\u00df ";
    Random random = new Random(3);
    for (String name :
        new String[] {
          "UTF-8", "ISO-8859-1", "windows-1252", "Shift_JIS", "EUC-JP", "GBK", "Big5"
        }) {
      Charset charset = Charset.forName(name);
      assertThat(TextDecoding.asciiLineEnds(charset)).as(name).isTrue();
      for (int round = 0; round < 2_000; round++) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(30); i > 0; i--) {
          text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        byte[] bytes = text.toString().getBytes(charset);
        String expected = new String(bytes, charset).replace("\r\n", "\n");
        int n = TextDecoding.foldLineEnds(bytes, bytes.length);
        assertThat(new String(bytes, 0, n, charset)).as(name).isEqualTo(expected);
      }
    }
    assertThat(TextDecoding.asciiLineEnds(StandardCharsets.UTF_16LE)).isFalse();
    assertThat(TextDecoding.asciiLineEnds(Charset.forName("UTF-32"))).isFalse();
  }

  @Test
  void tagsAreStrippedAsTheFormerExpressionsDid() {
    Pattern styleOrScript = Pattern.compile("(?s)<(style|script)[^>]*>.*?</\\1>");
    Pattern tag = Pattern.compile("<[^>]*>");
    String[] pieces = {
      "<",
      ">",
      "</",
      "style",
      "script",
      "<style>",
      "</style>",
      "<script a=1>",
      "</script>",
      "p",
      "x y",
      "\n",
      "<b>",
      "&amp;",
      "Stil"
    };
    Random random = new Random(3);
    for (int round = 0; round < 20_000; round++) {
      StringBuilder html = new StringBuilder();
      for (int i = random.nextInt(14); i > 0; i--) {
        html.append(pieces[random.nextInt(pieces.length)]);
      }
      String s = html.toString();
      String expected = tag.matcher(styleOrScript.matcher(s).replaceAll(" ")).replaceAll(" ");
      assertThat(TextDecoding.stripTags(s)).as(s).isEqualTo(expected);
    }
  }
}
