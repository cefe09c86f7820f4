package dev.mailroom.gateway.contract;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.events.EventType;
import dev.mailroom.events.Topics;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The served AsyncAPI document against the event types themselves: every type is a message whose
 * payload is its schema as the events module ships it (the one ContractTest checks the records
 * against), on the channel of its topic, and nothing else is in it.
 */
@QuarkusTest
class AsyncApiTest {

  private final ObjectMapper json = new ObjectMapper();

  @Test
  void everyTopicAndEveryEventTypeIsDescribedExactlyAsTheContractsSay() throws Exception {
    JsonNode doc =
        json.readTree(
            given()
                .get("/asyncapi")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .extract()
                .asString());
    assertThat(doc.path("asyncapi").asText()).isEqualTo("3.0.0");

    Set<String> addresses = new HashSet<>();
    doc.path("channels").forEach(c -> addresses.add(c.path("address").asText()));
    assertThat(addresses).containsExactlyInAnyOrderElementsOf(Topics.ALL);

    List<String> messageNames = new ArrayList<>();
    doc.path("components").path("messages").forEach(m -> messageNames.add(m.path("name").asText()));
    assertThat(messageNames)
        .containsExactlyInAnyOrder(
            java.util.Arrays.stream(EventType.values())
                .map(EventType::ceType)
                .toArray(String[]::new));

    for (EventType type : EventType.values()) {
      String id = type.ceType().replace('.', '-');
      JsonNode message = doc.path("components").path("messages").path(id);
      assertThat(message.path("payload").path("schema"))
          .as(type.ceType())
          .isEqualTo(AsyncApiDocument.schema(json, type));
      assertThat(message.path("headers").path("properties").path("ce_type").path("const").asText())
          .isEqualTo(type.ceType());
      assertThat(message.path("bindings").path("kafka").path("key").path("format").asText())
          .isEqualTo("uuid");
      JsonNode channel = doc.path("channels").path(type.topic().replace('.', '-'));
      assertThat(channel.path("address").asText()).isEqualTo(type.topic());
      assertThat(channel.path("messages").path(id).path("$ref").asText())
          .isEqualTo("#/components/messages/" + id);
    }
    // Every $ref resolves inside the document.
    List<String> refs = new ArrayList<>();
    collectRefs(doc, refs);
    assertThat(refs)
        .isNotEmpty()
        .allSatisfy(ref -> assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse());
    // Public, like /q/openapi.
    given().get("/asyncapi").then().statusCode(200);
  }

  private static void collectRefs(JsonNode node, List<String> refs) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              f -> {
                if (f.getKey().equals("$ref")
                    && f.getValue().asText().startsWith("#/")
                    && !f.getValue().asText().startsWith("#/$defs")) {
                  refs.add(f.getValue().asText());
                } else {
                  collectRefs(f.getValue(), refs);
                }
              });
    } else if (node.isArray()) {
      node.forEach(n -> collectRefs(n, refs));
    }
  }
}
