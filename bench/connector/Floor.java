import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The floor for the connector's first sync: what it fetches, over the same kind of connection (IMAP
 * over TLS to the same Dovecot), by the least a client can do. One connection: LOGIN, then ENABLE
 * CONDSTORE and LIST, then for every selectable mailbox EXAMINE and one {@code UID FETCH 1:*} of
 * the connector's items (RFC 9051 §6.4.5; MODSEQ from RFC 7162 §3.1.5) plus the first part's first
 * 16 KB, every mailbox's two commands sent at once (pipelined). Each response is read to its end,
 * literals included, and only framed: nothing is decoded or kept. Timed from before the TCP connect
 * to the last tagged OK; prints messages, bytes read and seconds per round, and the fastest round.
 *
 * <p>The text part: the connector locates the first text/plain (or text/html) part in the
 * BODYSTRUCTURE and fetches {@code BODY.PEEK[section]<0.16384>}, grouped by section, after the
 * metadata. The floor fetches {@code BODY.PEEK[1]<0.16384>} in the same command: the same part for
 * a single-part message and for multipart/alternative, the enclosing multipart for deeper nesting;
 * at most 16 KB per message either way, and no second round trip.
 *
 * <p>Arguments: host imapsPort user caPem rounds. The password comes from BENCH_IMAP_PASSWORD.
 */
public class Floor {

  static final String ITEMS =
      "(UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE"
          + " BODY.PEEK[HEADER.FIELDS (REFERENCES)] MODSEQ BODY.PEEK[1]<0.16384>)";
  private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)}$");
  private static final Pattern EXISTS = Pattern.compile("^\\* (\\d+) EXISTS$");

  public static void main(String[] a) throws Exception {
    String host = a[0], user = a[2], password = System.getenv("BENCH_IMAP_PASSWORD");
    int port = Integer.parseInt(a[1]), rounds = Integer.parseInt(a[4]);
    SSLContext tls = tls(a[3]);
    double fastest = Double.MAX_VALUE;
    long messages = 0, bytes = 0;
    List<Double> times = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      long start = System.nanoTime();
      Round r = round(tls, host, port, user, password);
      double seconds = (System.nanoTime() - start) / 1e9;
      times.add(seconds);
      System.out.printf(
          "floor, round %d: %d messages in %d mailboxes, %,d bytes read, %.2f s (%.0f msg/s, %.0f MB/s)%n",
          round,
          r.messages,
          r.mailboxes,
          r.bytes,
          seconds,
          r.messages / seconds,
          r.bytes / seconds / 1e6);
      if (seconds < fastest) {
        fastest = seconds;
        messages = r.messages;
        bytes = r.bytes;
      }
    }
    Collections.sort(times);
    System.out.printf(
        "RESULT floor messages=%d bytes=%d seconds=%.3f median_seconds=%.3f rounds=%d%n",
        messages, bytes, fastest, times.get((times.size() - 1) / 2), rounds);
  }

  record Round(long messages, int mailboxes, long bytes) {}

  static Round round(SSLContext tls, String host, int port, String user, String password)
      throws IOException {
    try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(host, port)) {
      socket.setTcpNoDelay(true);
      Reader in = new Reader(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      in.response(); // greeting
      send(out, "a LOGIN " + quote(user) + " " + quote(password) + "\r\n");
      in.until("a");
      send(out, "b ENABLE CONDSTORE\r\nc LIST \"\" \"*\"\r\n");
      List<String> mailboxes = new ArrayList<>();
      for (String line : in.until("c")) {
        if (line.startsWith("* LIST ") && !line.toLowerCase().contains("\\noselect")) {
          mailboxes.add(mailboxName(line));
        }
      }
      StringBuilder commands = new StringBuilder();
      for (int i = 0; i < mailboxes.size(); i++) {
        commands.append("s").append(i).append(" EXAMINE ").append(mailboxes.get(i)).append("\r\n");
        commands.append("f").append(i).append(" UID FETCH 1:* ").append(ITEMS).append("\r\n");
      }
      send(out, commands.toString());
      long exists = 0;
      for (int i = 0; i < mailboxes.size(); i++) {
        for (String line : in.until("s" + i)) {
          Matcher m = EXISTS.matcher(line);
          if (m.matches()) {
            exists += Long.parseLong(m.group(1));
          }
        }
        in.until("f" + i);
      }
      send(out, "z LOGOUT\r\n");
      in.until("z");
      if (in.fetches != exists) {
        throw new IllegalStateException("fetched " + in.fetches + " messages of " + exists);
      }
      return new Round(in.fetches, mailboxes.size(), in.bytes);
    }
  }

  /** The mailbox of a LIST reply as sent (quoted string or atom), ready for EXAMINE. */
  static String mailboxName(String line) {
    // * LIST (attributes) "delimiter" name
    int afterAttributes = line.indexOf(')') + 2;
    int afterDelimiter =
        line.charAt(afterAttributes) == '"'
            ? line.indexOf('"', afterAttributes + 1) + 2
            : line.indexOf(' ', afterAttributes) + 1; // NIL
    return line.substring(afterDelimiter);
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static void send(OutputStream out, String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /**
   * Reads responses: lines and the literals they announce, counting bytes and FETCH replies. Its
   * own buffer, scanned for line ends in bulk: a byte-at-a-time read of the ~2 KB of ENVELOPE and
   * BODYSTRUCTURE per message would cost the floor more than the server's answer.
   */
  static final class Reader {
    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int pos, limit;
    long bytes, fetches;

    Reader(InputStream in) {
      this.in = in;
    }

    /**
     * The responses up to the tagged one for {@code tag}, which must be OK; FETCH replies counted,
     * not kept.
     */
    List<String> until(String tag) throws IOException {
      List<String> lines = new ArrayList<>();
      while (true) {
        String r = response();
        if (r.startsWith(tag + " ")) {
          if (!r.startsWith(tag + " OK")) {
            throw new IllegalStateException(r);
          }
          return lines;
        }
        if (r.startsWith("* ") && r.contains(" FETCH (")) {
          fetches++;
        } else {
          lines.add(r);
        }
      }
    }

    /** One response: its lines joined, each literal read to its last byte and dropped. */
    String response() throws IOException {
      StringBuilder text = new StringBuilder();
      while (true) {
        String line = line();
        Matcher m = LITERAL.matcher(line);
        if (!m.find()) {
          return text.append(line).toString();
        }
        text.append(line, 0, m.start());
        long left = Long.parseLong(m.group(1));
        while (left > 0) {
          if (pos == limit && !fill()) {
            throw new IOException("connection closed in a literal");
          }
          int n = (int) Math.min(limit - pos, left);
          pos += n;
          left -= n;
        }
      }
    }

    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(4096);

    /** A line without its CRLF. */
    private String line() throws IOException {
      pending.reset();
      while (true) {
        if (pos == limit && !fill()) {
          throw new IOException("connection closed");
        }
        for (int i = pos; i < limit; i++) {
          if (buf[i] == '\n') {
            pending.write(buf, pos, i - pos);
            pos = i + 1;
            byte[] b = pending.toByteArray();
            int end = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
            return new String(b, 0, end, StandardCharsets.UTF_8);
          }
        }
        pending.write(buf, pos, limit - pos);
        pos = limit;
      }
    }

    private boolean fill() throws IOException {
      int n = in.read(buf, 0, buf.length);
      if (n <= 0) {
        return false;
      }
      pos = 0;
      limit = n;
      bytes += n;
      return true;
    }
  }

  static SSLContext tls(String caPem) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream pem = new FileInputStream(caPem)) {
      int i = 0;
      for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(pem)) {
        trust.setCertificateEntry("ca" + i++, cert);
      }
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}
