package dev.mailroom.connector.fake;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plain IMAP4rev1 server with one INBOX whose FETCH replies are written by the test, for replies
 * a real server will not give: a reply the client cannot parse, absurd numbers, a BYE in the middle
 * of a FETCH. Understands just what the connector sends; anything else is OK.
 */
public final class ScriptedImapServer implements AutoCloseable {

  /** The FETCH data items of one message, e.g. {@code UID 1 FLAGS () RFC822.SIZE 10 ...}. */
  public interface Messages {
    String items(int seq);
  }

  private final ServerSocket server;
  private final int count;
  private final Messages messages;
  private final AtomicInteger byeOnFetch;
  private final AtomicInteger dropMidLiteral = new AtomicInteger();
  private final List<Socket> clients = new ArrayList<>();

  /** The mailbox names LIST returns, as they go on the wire; each holds the same messages. */
  private final List<String> mailboxes;

  private volatile boolean closed;

  /**
   * @param byeOnFetch how many bulk FETCH commands are answered with a BYE in the middle
   */
  public ScriptedImapServer(int count, Messages messages, int byeOnFetch) throws IOException {
    this(count, messages, byeOnFetch, List.of("INBOX"));
  }

  /**
   * @param mailboxes the names LIST returns, exactly as sent (modified UTF-7, valid or not); a
   *     STATUS, SELECT or EXAMINE of any other name is refused with NO [NONEXISTENT]
   */
  public ScriptedImapServer(int count, Messages messages, int byeOnFetch, List<String> mailboxes)
      throws IOException {
    this.mailboxes = List.copyOf(mailboxes);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.count = count;
    this.messages = messages;
    this.byeOnFetch = new AtomicInteger(byeOnFetch);
    Thread.ofVirtual().start(this::accept);
  }

  /**
   * The next {@code times} FETCHes of more than one message end with the connection closed in the
   * middle of a literal: the first message's reply whole, then the last one's up to the first byte
   * of its last literal.
   */
  public ScriptedImapServer dropMidLiteral(int times) {
    dropMidLiteral.set(times);
    return this;
  }

  public int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket s = server.accept();
        synchronized (clients) {
          clients.add(s);
        }
        Thread.ofVirtual().start(() -> serve(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private static final Pattern COMMAND = Pattern.compile("^(\\S+) (UID )?(\\S+)(?: (.*))?$");

  private void serve(Socket socket) {
    try (socket) {
      var in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
      OutputStream out = socket.getOutputStream();
      write(out, "* OK [CAPABILITY IMAP4rev1 IDLE] scripted server ready");
      String line;
      while ((line = in.readLine()) != null) {
        Matcher m = COMMAND.matcher(line);
        if (!m.matches()) {
          continue;
        }
        String tag = m.group(1);
        boolean uid = m.group(2) != null;
        String command = m.group(3).toUpperCase(Locale.ROOT);
        String args = m.group(4) == null ? "" : m.group(4);
        switch (command) {
          case "CAPABILITY" -> write(out, "* CAPABILITY IMAP4rev1 IDLE", tag + " OK done");
          case "LOGIN" -> write(out, tag + " OK logged in");
          case "LIST" -> {
            for (String name : mailboxes) {
              write(out, "* LIST () \"/\" \"" + name + "\"");
            }
            write(out, tag + " OK done");
          }
          case "STATUS" -> {
            String name = mailboxArgument(args);
            if (!mailboxes.contains(name)) {
              write(out, tag + " NO [NONEXISTENT] Mailbox doesn't exist: " + name);
            } else {
              write(
                  out,
                  "* STATUS \""
                      + name
                      + "\" (MESSAGES "
                      + count
                      + " UIDNEXT "
                      + (count + 1)
                      + " UIDVALIDITY 7 UNSEEN "
                      + count
                      + ")",
                  tag + " OK done");
            }
          }
          case "EXAMINE", "SELECT" -> {
            if (!mailboxes.contains(mailboxArgument(args))) {
              write(out, tag + " NO [NONEXISTENT] Mailbox doesn't exist: " + mailboxArgument(args));
              continue;
            }
            write(
                out,
                "* " + count + " EXISTS",
                "* 0 RECENT",
                "* FLAGS (\\Seen \\Flagged)",
                "* OK [UIDVALIDITY 7] ok",
                "* OK [UIDNEXT " + (count + 1) + "] ok",
                tag + " OK [READ-ONLY] done");
          }
          case "SEARCH" -> {
            // UID SEARCH UID n:* or n lists those UIDs (here UID = sequence number); else nothing.
            Matcher range = Pattern.compile("(?i)UID (\\d+)(:\\*)?").matcher(args);
            StringBuilder found = new StringBuilder("* SEARCH");
            if (uid && range.matches()) {
              long first = Long.parseLong(range.group(1));
              for (long u = first;
                  u <= (range.group(2) == null ? Math.min(first, count) : count);
                  u++) {
                found.append(' ').append(u);
              }
            }
            write(out, found.toString(), tag + " OK done");
          }
          case "IDLE" -> {
            write(out, "+ idling");
            in.readLine(); // DONE
            write(out, tag + " OK idle done");
          }
          case "LOGOUT" -> {
            write(out, "* BYE bye", tag + " OK done");
            return;
          }
          case "FETCH" -> fetch(out, tag, uid, args);
          default -> write(out, tag + " OK done");
        }
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  /** The first argument, an atom or a quoted string (this server's names need no escapes). */
  private static String mailboxArgument(String args) {
    if (args.startsWith("\"")) {
      return args.substring(1, args.indexOf('"', 1));
    }
    int space = args.indexOf(' ');
    return space < 0 ? args : args.substring(0, space);
  }

  private void fetch(OutputStream out, String tag, boolean uid, String args) throws IOException {
    String set = args.substring(0, args.indexOf(' '));
    List<Integer> seqs = new ArrayList<>();
    for (String range : set.split(",")) {
      String[] ends = range.split(":");
      long lo = Long.parseLong(ends[0]);
      long hi = ends.length == 1 ? lo : ends[1].equals("*") ? count : Long.parseLong(ends[1]);
      for (long i = lo; i <= Math.min(hi, count); i++) {
        seqs.add((int) i);
      }
    }
    boolean onlyUids = args.toUpperCase(Locale.ROOT).matches("\\S+ \\(?UID\\)?");
    if (onlyUids || (uid && args.toUpperCase(Locale.ROOT).contains("(UID FLAGS)"))) {
      for (int seq : seqs) {
        write(out, "* " + seq + " FETCH (UID " + seq + (onlyUids ? "" : " FLAGS ()") + ")");
      }
      write(out, tag + " OK done");
      return;
    }
    if (seqs.size() > 1 && dropMidLiteral.getAndDecrement() > 0) {
      String items = messages.items(seqs.getLast());
      int literal = items.lastIndexOf("}\r\n") + 3;
      write(out, "* " + seqs.getFirst() + " FETCH (" + messages.items(seqs.getFirst()) + ")");
      out.write(
          ("* " + seqs.getLast() + " FETCH (" + items.substring(0, literal + 1))
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      throw new IOException("scripted connection drop in the middle of a literal");
    }
    if (seqs.size() > 1 && byeOnFetch.getAndDecrement() > 0) {
      write(
          out,
          "* " + seqs.getFirst() + " FETCH (" + messages.items(seqs.getFirst()) + ")",
          "* BYE server going down in the middle of a FETCH");
      throw new IOException("scripted BYE");
    }
    for (int seq : seqs) {
      write(out, "* " + seq + " FETCH (" + messages.items(seq) + ")");
    }
    write(out, tag + " OK done");
  }

  private static void write(OutputStream out, String... lines) throws IOException {
    for (String line : lines) {
      out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }
    out.flush();
  }

  /** A well-formed message's FETCH items. */
  public static String goodMessage(int seq) {
    return "UID "
        + seq
        + " FLAGS () INTERNALDATE \"26-Nov-2026 06:00:00 +0000\" RFC822.SIZE 120"
        + " ENVELOPE (\"Thu, 26 Nov 2026 06:00:00 +0000\" \"message "
        + seq
        + "\""
        + " ((\"Sender\" NIL \"sender\" \"example.com\")) NIL NIL ((NIL NIL \"to\" \"example.com\"))"
        + " NIL NIL NIL \"<m"
        + seq
        + "@scripted>\")"
        + " BODYSTRUCTURE (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"7BIT\" 20 1 NIL NIL NIL NIL)"
        + " BODY[HEADER.FIELDS (REFERENCES)] {2}\r\n\r\n";
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    synchronized (clients) {
      for (Socket s : clients) {
        s.close();
      }
    }
  }
}
