package dev.mailroom.connector.command;

import dev.mailroom.connector.RecordingProxy;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP relay to the real Dovecot that, the first time the client sends a line containing {@code
 * trigger}, holds that line back, runs {@code meanwhile} (another client's change) and only then
 * forwards it: a concurrent change placed exactly between a command's read and its write, which no
 * timing on a real connection can promise.
 */
final class RaceProxy implements AutoCloseable {

  interface Change {
    void run() throws Exception;
  }

  private final AtomicBoolean fired = new AtomicBoolean();
  private final RecordingProxy relay;

  RaceProxy(String host, int port, String trigger, Change meanwhile) throws IOException {
    relay =
        new RecordingProxy(
            host,
            port,
            chunk -> {
              if (chunk.contains(trigger) && fired.compareAndSet(false, true)) {
                try {
                  meanwhile.run();
                } catch (Exception e) {
                  throw new IllegalStateException("the concurrent change failed", e);
                }
              }
            });
  }

  int port() {
    return relay.port();
  }

  /** Whether the trigger was seen and the change made. */
  boolean fired() {
    return fired.get();
  }

  @Override
  public void close() throws IOException {
    relay.close();
  }
}
