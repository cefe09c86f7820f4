package dev.mailroom.search.index;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.EventCodec.MalformedEventException;
import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Feeds the local index from the mail topic (messages, flags, expunges, mailbox changes and sync
 * progress) and the connection topic (capabilities). A batch is one transaction and its offsets are
 * committed after it, so a crash replays it, which the idempotent writer absorbs. A database that
 * is away is waited for rather than skipped: an index with holes answers wrongly forever.
 */
@ApplicationScoped
public class IndexConsumer {

  private final IndexWriter writer;

  IndexConsumer(IndexWriter writer) {
    this.writer = writer;
  }

  @Incoming("mail")
  @Blocking(ordered = true)
  public void mail(ConsumerRecords<String, byte[]> records) {
    apply(decode(records));
  }

  @Incoming("connections")
  @Blocking(ordered = true)
  public void connections(ConsumerRecords<String, byte[]> records) {
    apply(decode(records));
  }

  private static List<MailroomEvent> decode(ConsumerRecords<String, byte[]> records) {
    List<MailroomEvent> events = new ArrayList<>(records.count());
    for (ConsumerRecord<String, byte[]> record : records) {
      Header type = record.headers().lastHeader(CloudEventHeaders.TYPE);
      try {
        events.add(
            EventCodec.decode(
                type == null ? null : new String(type.value(), StandardCharsets.UTF_8),
                record.value()));
      } catch (MalformedEventException e) {
        // sync-service dead-letters these; the index only has to go on past them.
        Log.warnf(
            "index: skipping unreadable record %s-%d@%d: %s",
            record.topic(), record.partition(), record.offset(), e.getMessage());
      }
    }
    return events;
  }

  private void apply(List<MailroomEvent> events) {
    Duration wait = Duration.ofMillis(200);
    while (true) {
      try {
        writer.apply(events);
        return;
      } catch (SQLException e) {
        if (refused(e)) {
          applyOneByOne(events);
          return;
        }
        Log.warnf(
            "index: applying %d event(s) failed (%s); trying again in %s",
            events.size(), e.getMessage(), wait);
        try {
          Thread.sleep(wait);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("stopped while the database was away", e);
        }
        wait =
            wait.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0
                ? Duration.ofSeconds(10)
                : wait.multipliedBy(2);
      }
    }
  }

  /**
   * SQLSTATE classes 22 (data exception) and 23 (integrity): this event will never go in, however
   * long we wait. Anything else (a connection lost, a database shutting down) is waited out.
   */
  static boolean refused(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("22") || state.startsWith("23"));
  }

  /**
   * A batch the database refuses goes again one event at a time; only the refused one is skipped.
   */
  private void applyOneByOne(List<MailroomEvent> events) {
    for (MailroomEvent event : events) {
      try {
        writer.apply(List.of(event));
      } catch (SQLException e) {
        if (refused(e)) {
          Log.errorf(
              "index: event %s of account %s refused by the database, not indexed: %s",
              event.eventId(), event.accountId(), e.getMessage());
        } else {
          apply(List.of(event)); // the database went away meanwhile: wait for it
        }
      }
    }
  }
}
