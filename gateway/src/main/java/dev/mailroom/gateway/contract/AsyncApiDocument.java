package dev.mailroom.gateway.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mailroom.events.EventType;
import dev.mailroom.events.Topics;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The AsyncAPI 3.0 document of every Kafka topic, generated from the {@code events} module: the
 * topics of {@link Topics}, the types of {@link EventType} on each, and as payload the very JSON
 * schema files that the module's ContractTest holds the Java records and golden fixtures to. So the
 * document cannot drift from the contracts: a new type or topic appears in it as it is added (see
 * ADR 0010 for why it is generated rather than scanned by the Quarkiverse extension).
 */
public final class AsyncApiDocument {

  /** AsyncAPI 3.0 multi-format schema: the events module writes JSON Schema draft 2020-12. */
  static final String SCHEMA_FORMAT = "application/schema+json;version=2020-12";

  private static final Map<String, String> DESCRIPTIONS =
      Map.of(
          Topics.ACCOUNTS,
              "Which accounts exist. Compacted: the latest record per account is its"
                  + " definition; a tombstone (the key with no value) deletes the account. Producer: gateway."
                  + " Consumers: connector-service (ownership), sync-service, health-service.",
          Topics.MAIL,
              "What happened in the mailboxes, in order per account. Producer: connector-service."
                  + " Consumers: sync-service; connector-service (checkpoints, ADR 0002). Retention 30 days.",
          Topics.CONNECTION,
              "Connection attempts and their outcome. Producer: connector-service."
                  + " Consumer: health-service. Retention 7 days.",
          Topics.ACCOUNT_STATUS,
              "Account status decided by health-service (outbox, one record per"
                  + " change). Compacted; a tombstone follows an account's deletion. Consumers:"
                  + " connector-service, gateway (live events).",
          Topics.MAIL_DEAD_LETTER,
              "Mail events sync-service could not apply, unchanged, with the headers"
                  + " mailroom_dlq_reason and mailroom_dlq_origin. For people to inspect and replay.",
          Topics.COMMANDS,
              "What owners asked to change on their servers (flags, moves, mailboxes)."
                  + " Producer: gateway. Consumer: connector-service (the instance holding the account's"
                  + " partition).",
          Topics.SEARCH_REQUESTS,
              "Server-side searches asked of the connector holding the account."
                  + " Producer: search-service. Consumer: connector-service.",
          Topics.SEARCH_REPLIES,
              "The connector's answers to search requests, with their correlation id."
                  + " Producer: connector-service. Consumer: search-service.",
          Topics.OUTBOX,
              "Outgoing mail: send requests (a reference to the MIME kept in sync-service's"
                  + " outbox) and their outcomes. Producers: sync-service, connector-service.");

  private AsyncApiDocument() {}

  public static ObjectNode generate(ObjectMapper json) {
    ObjectNode doc = json.createObjectNode();
    doc.put("asyncapi", "3.0.0");
    doc.putObject("info")
        .put("title", "Mailroom events")
        .put("version", "1")
        .put(
            "description",
            "Every Kafka topic of Mailroom. Each record is a CloudEvent in binary"
                + " mode: ce_* headers, a JSON value, and the account id as the key, so one account's"
                + " events stay in order on one partition. Generated from the events module.");
    doc.put("defaultContentType", "application/json");
    ObjectNode channels = doc.putObject("channels");
    ObjectNode operations = doc.putObject("operations");
    ObjectNode components = doc.putObject("components");
    ObjectNode messages = components.putObject("messages");
    for (EventType type : EventType.values()) {
      messages.set(messageId(type), message(json, type));
    }
    for (String topic : Topics.ALL) {
      String channelId = channelId(topic);
      ObjectNode channel = channels.putObject(channelId);
      channel.put("address", topic);
      channel.put("description", DESCRIPTIONS.getOrDefault(topic, topic));
      ObjectNode refs = channel.putObject("messages");
      for (EventType type : typesOn(topic)) {
        refs.putObject(messageId(type)).put("$ref", "#/components/messages/" + messageId(type));
      }
      ObjectNode operation = operations.putObject("receive-" + channelId);
      operation.put("action", "receive");
      operation.putObject("channel").put("$ref", "#/channels/" + channelId);
      var opMessages = operation.putArray("messages");
      for (EventType type : typesOn(topic)) {
        opMessages
            .addObject()
            .put("$ref", "#/channels/" + channelId + "/messages/" + messageId(type));
      }
    }
    return doc;
  }

  /** The types a topic carries; the dead-letter topic carries the mail topic's, unchanged. */
  static List<EventType> typesOn(String topic) {
    String source = topic.equals(Topics.MAIL_DEAD_LETTER) ? Topics.MAIL : topic;
    return java.util.Arrays.stream(EventType.values())
        .filter(t -> t.topic().equals(source))
        .toList();
  }

  static String messageId(EventType type) {
    return type.ceType().replace('.', '-');
  }

  static String channelId(String topic) {
    return topic.replace('.', '-');
  }

  private static ObjectNode message(ObjectMapper json, EventType type) {
    ObjectNode message = json.createObjectNode();
    message.put("name", type.ceType());
    message.put("title", type.javaType().getSimpleName());
    message.put("contentType", "application/json");
    ObjectNode headers = message.putObject("headers");
    headers.put("type", "object");
    headers
        .putArray("required")
        .add(CloudEventHeaders.ID)
        .add(CloudEventHeaders.TYPE)
        .add(CloudEventHeaders.SPEC_VERSION)
        .add(CloudEventHeaders.SOURCE);
    ObjectNode props = headers.putObject("properties");
    props
        .putObject(CloudEventHeaders.ID)
        .put("type", "string")
        .put("description", "deterministic: the same event re-sent has the same id (EventIds)");
    props.putObject(CloudEventHeaders.TYPE).put("const", type.ceType());
    props.putObject(CloudEventHeaders.SPEC_VERSION).put("const", "1.0");
    props
        .putObject(CloudEventHeaders.SOURCE)
        .put("type", "string")
        .put("pattern", "^" + EventType.SOURCE_PREFIX);
    props.putObject(CloudEventHeaders.TIME).put("type", "string").put("format", "date-time");
    props.putObject(CloudEventHeaders.SUBJECT).put("type", "string");
    ObjectNode payload = message.putObject("payload");
    payload.put("schemaFormat", SCHEMA_FORMAT);
    payload.set("schema", schema(json, type));
    ObjectNode kafka = message.putObject("bindings").putObject("kafka");
    kafka
        .putObject("key")
        .put("type", "string")
        .put("format", "uuid")
        .put("description", "the account id");
    kafka.put("bindingVersion", "0.5.0");
    return message;
  }

  /** The schema file of the type, as the events module ships it. */
  public static JsonNode schema(ObjectMapper json, EventType type) {
    try (InputStream in = EventType.class.getResourceAsStream(type.schemaResource())) {
      if (in == null) {
        throw new IllegalStateException(
            "no schema " + type.schemaResource() + " in the events module");
      }
      return json.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
