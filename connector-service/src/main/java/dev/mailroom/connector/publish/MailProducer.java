package dev.mailroom.connector.publish;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Headers;

/**
 * The mail channel's producer, called by the thread that has an event to send. Its {@code send}
 * returns at once unless the producer's buffer is full or the topic's metadata is unknown (a broker
 * gone or frozen), and then waits for at most {@code max.block.ms}: a sync slows to what the broker
 * takes. Every failure, thrown or reported, fails the returned future. Once a send has waited out
 * {@code max.block.ms}, every send of the next {@code pause} fails at once: a sync then ends after
 * one such wait, not one per event it still had to send.
 */
final class MailProducer {

  /** How long sends fail at once after one waited {@code max.block.ms} in vain. */
  static final Duration BLOCKED_PAUSE = Duration.ofSeconds(10);

  private final String topic;
  private final Supplier<Producer<String, byte[]>> lookUp;
  private final Duration pause;
  private volatile Producer<String, byte[]> producer;

  /** When a send last waited {@code max.block.ms} in vain (System.nanoTime), or 0. */
  private volatile long blockedAt;

  /**
   * @param lookUp the producer, asked for at the first send (the channel creates it at start)
   */
  MailProducer(String topic, Supplier<Producer<String, byte[]>> lookUp, Duration pause) {
    this.topic = topic;
    this.lookUp = lookUp;
    this.pause = pause;
  }

  /**
   * @return completes when the broker has the record
   */
  CompletableFuture<Void> send(String key, byte[] payload, Headers headers) {
    CompletableFuture<Void> sent = new CompletableFuture<>();
    long blocked = blockedAt;
    if (blocked != 0 && System.nanoTime() - blocked < pause.toNanos()) {
      sent.completeExceptionally(
          new TimeoutException(
              "the broker took no event within max.block.ms less than "
                  + pause.toMillis()
                  + " ms ago; not sent"));
      return sent;
    }
    Producer<String, byte[]> p = producer;
    if (p == null) {
      p = lookUp.get();
      producer = p;
    }
    try {
      p.send(
          new ProducerRecord<>(topic, null, null, key, payload, headers),
          (metadata, failure) -> {
            if (failure == null) {
              sent.complete(null);
            } else {
              sent.completeExceptionally(failure);
            }
          });
    } catch (RuntimeException e) { // closed, interrupted (the flag stays set), or a bug
      sent.completeExceptionally(e);
    }
    if (sent.isCompletedExceptionally() && timedOut(sent)) {
      blockedAt = System.nanoTime();
    }
    return sent;
  }

  private static boolean timedOut(CompletableFuture<Void> sent) {
    try {
      sent.getNow(null);
      return false;
    } catch (CompletionException | CancellationException e) {
      return e.getCause() instanceof TimeoutException;
    }
  }
}
