package dev.mailroom.connector;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.crypto.SecretBox;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.testing.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;

/** Account definitions as the gateway publishes them, sealed with the test profile's key. */
public final class TestAccounts {

  private TestAccounts() {}

  /** An account on the test Dovecot over TLS. */
  public static AccountDefined onDovecot(AccountId id, String user, String password) {
    return at(
        id,
        user,
        password,
        new ImapEndpoint(TestDovecot.HOST, TestDovecot.IMAPS_PORT, Security.TLS, user));
  }

  public static AccountDefined at(
      AccountId id, String user, String password, ImapEndpoint endpoint) {
    var config = ConfigProvider.getConfig();
    String keyId = config.getValue("mailroom.credentials.key-id", String.class);
    String key = config.getValue("mailroom.credentials.key", String.class);
    var sealed = SecretBox.of(keyId, Map.of(keyId, key)).seal(password, id, endpoint);
    Instant now = Instant.now();
    return new AccountDefined(id, "owner", user, user + "@localhost", endpoint, sealed, now, now);
  }

  /** Writes the definition to the given partition of an accounts topic, as the gateway would. */
  public static void define(TestKafka kafka, String topic, int partition, AccountDefined event) {
    var record =
        new ProducerRecord<>(
            topic, partition, event.accountId().toString(), EventCodec.encode(event));
    CloudEventHeaders.of(event, "test", Instant.now())
        .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
    kafka.sendRaw(record);
  }
}
