package dev.mailroom.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The platform's PostgreSQL through its own {@code psql}, as the stack's role {@code mailroom}
 * (deploy/README.md): the end-to-end module has no JDBC driver, and the stack's scripts already use
 * these binaries. Used to look into the services' stores and to hold a table lock for a while.
 */
final class Psql {

  private static final Path BIN =
      Path.of(
          System.getenv().getOrDefault("MAILROOM_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"),
          "psql");
  private static final String PORT = port(System.getenv("MAILROOM_TEST_PG_URL"));

  private Psql() {}

  /** The single value the query answers, as text. */
  static String value(String database, String sql) {
    try {
      Process p = start(database, "-At", "-c", sql);
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("psql " + database + " failed on: " + sql + ": " + err);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + BIN, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static long count(String database, String sql) {
    return Long.parseLong(value(database, sql));
  }

  /**
   * Opens a transaction that takes {@code tables} in EXCLUSIVE mode: reads go on, every write to
   * them waits until {@link TableLock#close()} rolls the transaction back.
   */
  static TableLock lock(String database, List<String> tables) {
    try {
      Process p = start(database, "-At", "-v", "ON_ERROR_STOP=1");
      Writer in = p.outputWriter(StandardCharsets.UTF_8);
      in.write(
          "begin;\nlock table "
              + String.join(", ", tables)
              + " in exclusive mode;\nselect 'locked';\n");
      in.flush();
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      if (!"locked".equals(line)) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "could not lock " + tables + " in " + database + ": " + line);
      }
      return new TableLock(p, in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + BIN, e);
    }
  }

  /** A held lock; closing it ends the transaction (idempotent). */
  static final class TableLock implements AutoCloseable {
    private final Process process;
    private final Writer in;

    private TableLock(Process process, Writer in) {
      this.process = process;
      this.in = in;
    }

    @Override
    public void close() {
      if (!process.isAlive()) {
        return;
      }
      try {
        in.write("rollback;\n\\q\n");
        in.flush();
        if (!process.waitFor(Duration.ofSeconds(10).toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (IOException e) {
        process.destroyForcibly();
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Process start(String database, String... args) throws IOException {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                BIN.toString(),
                "-X",
                "-q",
                "-h",
                "127.0.0.1",
                "-p",
                PORT,
                "-U",
                "mailroom",
                "-d",
                database));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    // The stack's local-only role (deploy/README.md); passed in the environment, never on the
    // command line.
    pb.environment().put("PGPASSWORD", "mailroom");
    return pb.start();
  }

  private static String port(String jdbcUrl) {
    if (jdbcUrl == null) {
      throw new IllegalStateException(
          "MAILROOM_TEST_PG_URL is not set: run the tests with ./mailroom test");
    }
    Matcher m = Pattern.compile("//[^:/]+:(\\d+)/").matcher(jdbcUrl);
    if (!m.find()) {
      throw new IllegalStateException("no port in MAILROOM_TEST_PG_URL=" + jdbcUrl);
    }
    return m.group(1);
  }
}
