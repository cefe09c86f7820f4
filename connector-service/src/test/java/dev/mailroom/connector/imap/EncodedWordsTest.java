package dev.mailroom.connector.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeUtility;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast decoder of encoded words against the library's decodeText, on what real mail has. */
class EncodedWordsTest {

  private static final String[] TEXTS = {
    "Überblick",
    "Éléments envoyés",
    "日本語の件名",
    "Grüße aus Köln",
    "😀 emoji",
    "a",
    "",
    " ",
    "Re: Angebot",
    "£100",
    "_under_score_",
    "=?not?=",
    "Ωμέγα",
    "Привет",
  };
  private static final String[] CHARSETS = {
    "UTF-8",
    "utf-8",
    "ISO-8859-1",
    "iso-8859-15",
    "windows-1252",
    "ISO-2022-JP",
    "Shift_JIS",
    "GB2312",
    "KOI8-R",
  };
  private static final String[] ODD = {
    "=?utf-8?B?w5w=?=rest",
    "=?utf-8?Q?a=ZZb?=",
    "=?utf-8?B?w5w?=",
    "=?utf-8?B??=",
    "=?utf-8?Q??=",
    "=?utf-8*de?Q?Gr=C3=BC=C3=9Fe?=",
    "=?utf-8?X?abc?=",
    "=?utf-8?B?w5w=",
    "=?utf-8",
    "=?",
    "abc=?utf-8?Q?x?=",
    "=?utf-8?Q?a?b?=",
    "=?utf-8?q?gr=c3=bc=c3=9fe?=",
    "=?utf-8?b?w5xiZXI=?=",
    "=?utf-8?B?w5==xiZXI=?=",
    "=?utf-8?Q?=E2=82?=",
    "=?iso-8859-1?Q?caf=E9?=",
    "=?utf-8?Q?a=?=",
    "=?UTF-8?B?8J+YgA==?=",
    "=?utf-8?Q?x?==?utf-8?Q?y?=",
    "plain",
    "=?utf-8?Q?tab\u00e9?=",
  };

  private final Random random = new Random(7);

  @Test
  void decodesAsTheLibraryDoes() throws Exception {
    for (int i = 0; i < 20_000; i++) {
      String text = header();
      String expected;
      try {
        expected = MimeUtility.decodeText(text);
      } catch (Exception e) {
        Throwable ours = catchThrowable(() -> EncodedWords.decode(text));
        assertThat(ours).as("text %s", text).isInstanceOf(e.getClass());
        continue;
      }
      assertThat(EncodedWords.decode(text)).as("text %s", text).isEqualTo(expected);
    }
  }

  @Test
  void anUnknownCharsetFailsAsTheLibrarySays() {
    Throwable ours = catchThrowable(() -> EncodedWords.decode("=?x-no-such?B?YWJj?="));
    Throwable theirs = catchThrowable(() -> MimeUtility.decodeText("=?x-no-such?B?YWJj?="));
    assertThat(ours).isNotNull().isInstanceOf(theirs.getClass());
  }

  @Test
  void aPersonalNameAsGetPersonalHasIt() throws Exception {
    for (int i = 0; i < 2_000; i++) {
      String phrase = header().replace('"', ' ').replace('\\', ' ').replace('<', ' ');
      InternetAddress address;
      try {
        address = new InternetAddress("\"" + phrase + "\" <someone@example.org>");
      } catch (Exception unparsable) {
        continue;
      }
      InternetAddress copy = (InternetAddress) address.clone();
      assertThat(EncodedWords.personal(address)).as(phrase).isEqualTo(copy.getPersonal());
    }
    InternetAddress bare = new InternetAddress("someone@example.org");
    assertThat(EncodedWords.personal(bare)).isNull();
    InternetAddress named = new InternetAddress("someone@example.org", "Jürgen Groß", "UTF-8");
    assertThat(EncodedWords.personal(named)).isEqualTo("Jürgen Groß");
  }

  /** Words, encoded words and white space, as subjects and names are written. */
  private String header() throws Exception {
    List<String> parts = new ArrayList<>();
    for (int n = 1 + random.nextInt(5); n > 0; n--) {
      switch (random.nextInt(5)) {
        case 0 -> parts.add(TEXTS[random.nextInt(TEXTS.length)].replace(" ", ""));
        case 1 -> parts.add(ODD[random.nextInt(ODD.length)]);
        default -> parts.add(encoded());
      }
    }
    StringBuilder out = new StringBuilder(random.nextBoolean() ? "" : " ");
    for (String part : parts) {
      out.append(part);
      out.append(
          switch (random.nextInt(6)) {
            case 0 -> "";
            case 1 -> "  ";
            case 2 -> "\t";
            case 3 -> "\r\n ";
            default -> " ";
          });
    }
    return out.toString();
  }

  private String encoded() throws Exception {
    String text = TEXTS[random.nextInt(TEXTS.length)];
    String charset = CHARSETS[random.nextInt(CHARSETS.length)];
    String word;
    try {
      word = MimeUtility.encodeWord(text, charset, random.nextBoolean() ? "B" : "Q");
    } catch (Exception unencodable) {
      word = MimeUtility.encodeWord(text, "UTF-8", "B");
    }
    return random.nextInt(4) == 0 ? word.toLowerCase() : word;
  }
}
