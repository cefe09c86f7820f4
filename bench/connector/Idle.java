import dev.mailroom.events.EventCodec;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.crypto.SecretBox;
import dev.mailroom.events.model.AccountId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Benchmark 4's client half: defines one account per line of the users file (plain IMAP on the
 * given port) on the connector's accounts topic. Run by idle.sh, which measures the connector.
 *
 * <p>Arguments: kafka accountsTopic keyId key imapHost imapPort password usersFile; or {@code
 * delete kafka group topic...} to remove the run's consumer group and topics at the end.
 */
public class Idle {

  public static void main(String[] a) throws Exception {
    if (a[0].equals("delete")) {
      delete(a[1], a[2], List.of(a).subList(3, a.length));
      return;
    }
    String kafka = a[0], accountsTopic = a[1], keyId = a[2], key = a[3], host = a[4];
    int port = Integer.parseInt(a[5]);
    String password = a[6];
    List<String> users = Files.readAllLines(Path.of(a[7]));
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
      try {
        admin.createTopics(List.of(new NewTopic(accountsTopic, 12, (short) 1))).all().get();
      } catch (java.util.concurrent.ExecutionException e) {
        // already there
      }
    }
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka);
    p.put("key.serializer", StringSerializer.class.getName());
    p.put("value.serializer", ByteArraySerializer.class.getName());
    var box = SecretBox.of(keyId, Map.of(keyId, key));
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
      for (String user : users) {
        AccountId id = AccountId.random();
        Instant created = Instant.now(); // the first and only version of this account
        var event =
            new AccountDefined(
                id,
                "bench",
                user,
                user + "@localhost",
                new ImapEndpoint(host, port, Security.NONE, user),
                box.seal(password, id.toString()),
                created,
                created);
        var record = new ProducerRecord<>(accountsTopic, id.toString(), EventCodec.encode(event));
        CloudEventHeaders.of(event, "bench", Instant.now())
            .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        producer.send(record);
      }
      producer.flush();
    }
    System.out.printf("defined %d accounts%n", users.size());
  }

  /** Each step on its own: a group or topic the run never made is not an error. */
  private static void delete(String kafka, String group, List<String> topics) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
      try {
        admin.deleteConsumerGroups(List.of(group)).all().get();
      } catch (Exception e) {
        // not there
      }
      for (String topic : topics) {
        try {
          admin.deleteTopics(List.of(topic)).all().get();
        } catch (Exception e) {
          // not there
        }
      }
    }
  }
}
