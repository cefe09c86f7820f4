package dev.mailroom.sync.ingest;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.EventCodec.MalformedEventException;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Decodes the mail topic's records in the Kafka consumer's poll, on the consumer's own thread,
 * while the store applies the batch before: decoding was two fifths of the applying thread while a
 * first sync was stored, and the store's lag behind the broker at the end of a sync is what a new
 * account waits for last. A record that cannot be read becomes a {@link MailRecord} that says why
 * (it goes to the dead-letter topic), never an exception that would stop the channel.
 */
public final class MailRecordDeserializer implements Deserializer<MailRecord> {

  @Override
  public MailRecord deserialize(String topic, byte[] data) {
    return decode(null, data);
  }

  @Override
  public MailRecord deserialize(String topic, Headers headers, byte[] data) {
    Header type = headers == null ? null : headers.lastHeader(CloudEventHeaders.TYPE);
    return decode(type == null ? null : new String(type.value(), StandardCharsets.UTF_8), data);
  }

  static MailRecord decode(String ceType, byte[] data) {
    try {
      return new MailRecord(data, EventCodec.decode(ceType, data), null);
    } catch (MalformedEventException e) {
      return new MailRecord(data, null, e);
    } catch (RuntimeException e) {
      // Not one of the codec's own refusals (a bug in a record type, say): the record still goes
      // to the dead-letter topic with the reason, and the account's other events go on.
      return new MailRecord(
          data,
          null,
          new MalformedEventException(
              ceType + ": " + e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
  }
}
