package dev.mailroom.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the end-to-end tests do to the machine the platform runs on: signal the broker, fill a
 * mailbox. Only ever the processes and folders of the platform under test ({@code MAILROOM_HOME}).
 */
final class Host {

  private Host() {}

  /**
   * The broker stopped with SIGSTOP: its sockets stay open and accept connections, but nothing
   * answers, which is what a hung broker or a network partition looks like to its clients (a
   * refused connection would be the easy case). {@link #close()} resumes it.
   */
  static final class FrozenBroker implements AutoCloseable {
    private final String pid;
    private boolean frozen;

    private FrozenBroker(String pid) {
      this.pid = pid;
    }

    static FrozenBroker freeze() {
      String pid = ownPid("kafka");
      run(List.of("kill", "-STOP", pid));
      FrozenBroker broker = new FrozenBroker(pid);
      broker.frozen = true;
      return broker;
    }

    @Override
    public void close() {
      if (frozen) {
        run(List.of("kill", "-CONT", pid));
        frozen = false;
      }
    }
  }

  /**
   * A new IMAP user whose mailboxes hold {@code count} generated messages, written straight into
   * its Maildir and indexed, as the stack loads the demo mailbox (deploy/scripts/dovecot.sh).
   *
   * @return the user name; the password is the same
   */
  static String imapUserWithMessages(String prefix, int count) throws IOException {
    String user = prefix + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    Files.writeString(
        Platform.DOVECOT_USERS,
        user + ":{PLAIN}" + user + "::::::\n",
        java.nio.file.StandardOpenOption.APPEND);
    Path home = Platform.HOME.resolve("data/mail").resolve(user);
    Path maildir = home.resolve("Maildir");
    Files.createDirectories(maildir);
    String java = ProcessHandle.current().info().command().orElse("java");
    run(
        List.of(
            java,
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            Path.of("demo/DemoMailGenerator.java").toAbsolutePath().toString(),
            maildir.toString(),
            String.valueOf(count)));
    // Dovecot refuses to run as root: the mail belongs to `nobody`, as the stack's own.
    run(List.of("chown", "-R", "nobody:nogroup", home.toString()));
    String conf = Platform.DOVECOT_CONF.toString();
    run(List.of("doveadm", "-c", conf, "force-resync", "-u", user, "*"));
    run(List.of("doveadm", "-c", conf, "index", "-u", user, "*"));
    return user;
  }

  /** The pid of one of the platform's components, checked to be a process of this home. */
  static String ownPid(String component) {
    try {
      String pid =
          Files.readString(Platform.HOME.resolve("run").resolve(component + ".pid")).strip();
      String cmdline =
          Files.readString(Path.of("/proc", pid, "cmdline"), StandardCharsets.ISO_8859_1);
      if (!cmdline.contains(Platform.HOME.toString())) {
        throw new IllegalStateException(
            component + " pid " + pid + " is not a process of " + Platform.HOME);
      }
      return pid;
    } catch (IOException e) {
      throw new IllegalStateException(component + " is not running in " + Platform.HOME, e);
    }
  }

  static void run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
