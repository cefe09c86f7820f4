package dev.mailroom.connector.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A real Kafka producer whose broker never answers: the first send waits out {@code max.block.ms},
 * the sends right after it fail at once, and once the pause is over a send waits again.
 */
class MailProducerTest {

  private static final Duration MAX_BLOCK = Duration.ofMillis(600);
  private static final Duration PAUSE = Duration.ofMillis(1500);

  @Test
  void aSendThatWaitedInVainMakesTheNextOnesFailAtOnce() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort(); // closed again: nothing listens there
    }
    try (KafkaProducer<String, byte[]> kafka =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                "127.0.0.1:" + port,
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                (int) MAX_BLOCK.toMillis(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class))) {
      MailProducer mail = new MailProducer("mail", () -> kafka, PAUSE);

      long waited = timed(() -> assertTimedOut(send(mail)));
      assertThat(waited).as("the first send waits out max.block.ms").isGreaterThanOrEqualTo(500);

      for (int i = 0; i < 100; i++) {
        long failed = timed(() -> assertTimedOut(send(mail)));
        assertThat(failed).as("send %d within the pause fails at once", i).isLessThan(100);
      }

      Thread.sleep(PAUSE.toMillis());
      long again = timed(() -> assertTimedOut(send(mail)));
      assertThat(again).as("after the pause a send asks the broker again").isGreaterThan(500);
    }
  }

  private static CompletableFuture<Void> send(MailProducer mail) {
    return mail.send("account", "{}".getBytes(StandardCharsets.UTF_8), new RecordHeaders());
  }

  private static void assertTimedOut(CompletableFuture<Void> sent) {
    assertThat(sent).isCompletedExceptionally();
    try {
      sent.get();
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(TimeoutException.class);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long timed(Runnable action) {
    long start = System.nanoTime();
    action.run();
    return Duration.ofNanos(System.nanoTime() - start).toMillis();
  }
}
