package dev.mailroom.gateway.account;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.crypto.CredentialKeys;
import dev.mailroom.events.crypto.SecretBox;
import dev.mailroom.gateway.credentials.CredentialsConfig;
import dev.mailroom.gateway.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * POST /api/accounts against the real Keycloak and the real Kafka of the test stack
 * (MAILROOM_TEST_KEYCLOAK_URL, MAILROOM_TEST_KAFKA).
 */
@QuarkusTest
class CreateAccountTest {

  /** Looks like nothing else in a request, so finding it anywhere means it leaked. */
  private static final String PASSWORD = "Tr0ub4dor&3-leak-canary";

  @Inject CredentialsConfig credentials;
  @Inject AccountsConfig accounts;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  private static String body(Map<String, Object> fields) {
    try {
      return EventCodec.mapper().writeValueAsString(fields);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> validFields() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("displayName", "Support inbox");
    fields.put("email", "support@example.com");
    fields.put("host", "imap.example.com");
    fields.put("port", 993);
    fields.put("security", "tls");
    fields.put("username", "support@example.com");
    fields.put("password", PASSWORD);
    return fields;
  }

  @Test
  void withoutATokenEveryEndpointIs401() {
    given().get("/api/accounts").then().statusCode(401);
    given()
        .contentType(ContentType.JSON)
        .body(body(validFields()))
        .post("/api/accounts")
        .then()
        .statusCode(401);
    given()
        .contentType(ContentType.JSON)
        .body("{not json")
        .post("/api/accounts")
        .then()
        .statusCode(401);
    given()
        .get("/api/accounts/6f1c7a52-93d4-4b0e-8a51-2f0f4c3b9d10/messages?mailbox=INBOX")
        .then()
        .statusCode(401);
  }

  @Test
  void aTokenWithABrokenSignatureIs401() {
    String token = Tokens.of("demo");
    String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA";
    given().auth().oauth2(forged).get("/api/accounts").then().statusCode(401);
  }

  @Test
  void aTokenIssuedToAnotherClientIs401() {
    given()
        .auth()
        .oauth2(Tokens.forAnotherClient("demo"))
        .get("/api/accounts")
        .then()
        .statusCode(401);
  }

  @Test
  void malformedJsonIsA400Problem() {
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .body("{\"host\": \"imap.example.com\", \"password\": " + PASSWORD + "}")
        .post("/api/accounts")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("type", equalTo("urn:mailroom:problem:malformed-body"))
        .body("status", equalTo(400))
        .body("detail", containsString("not valid JSON"))
        .body("instance", equalTo("/api/accounts"))
        .body(not(containsString(PASSWORD)));
  }

  @Test
  void missingHostAndPasswordAreBothNamed() {
    Map<String, Object> fields = validFields();
    fields.remove("host");
    fields.remove("password");
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .body(body(fields))
        .post("/api/accounts")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("type", equalTo("urn:mailroom:problem:invalid-request"))
        .body("errors.field", equalTo(List.of("host", "password")))
        .body("errors.message", hasItems("must not be blank"))
        .body("detail", containsString("host"))
        .body("detail", containsString("password"));
  }

  @Test
  void aProblemNeverEchoesTheSubmittedPassword() {
    Map<String, Object> fields = validFields();
    fields.remove("host");
    fields.put("port", 70000);
    fields.put("security", "pop3");
    String problem =
        given()
            .auth()
            .oauth2(Tokens.of("demo"))
            .contentType(ContentType.JSON)
            .body(body(fields))
            .post("/api/accounts")
            .then()
            .statusCode(400)
            .body("errors.field", equalTo(List.of("host", "port", "security")))
            .body("detail", containsString("tls, starttls, none"))
            .extract()
            .asString();
    assertThat(problem).doesNotContain(PASSWORD);

    // Jackson's own message would quote a wrongly typed value: the problem must not.
    fields = validFields();
    fields.put("port", PASSWORD);
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .body(body(fields))
        .post("/api/accounts")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("port"))
        .body(not(containsString(PASSWORD)));
  }

  @Test
  void noBodyIsA400NamingTheBody() {
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .post("/api/accounts")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("body"));
  }

  @Test
  void aValidAccountIsPublishedAsACloudEventAndAnsweredWithoutItsPassword() throws Exception {
    ensureTopic();
    String demo = Tokens.subjectOf("demo");

    Response response =
        given()
            .auth()
            .oauth2(Tokens.of("demo"))
            .contentType(ContentType.JSON)
            .body(body(validFields()))
            .post("/api/accounts");

    response
        .then()
        .statusCode(201)
        .contentType(ContentType.JSON)
        .body("status", equalTo("pending"))
        .body("host", equalTo("imap.example.com"))
        .body("port", equalTo(993))
        .body("security", equalTo("tls"))
        .body("username", equalTo("support@example.com"))
        .body("displayName", equalTo("Support inbox"))
        .body("password", nullValue())
        .body("$", hasKey("email"));
    String id = response.path("id");
    response.then().header("Location", endsWith("/api/accounts/" + id));
    assertThat(response.asString()).doesNotContain(PASSWORD);

    ConsumerRecord<String, byte[]> record = recordWithKey(id);
    Map<String, String> headers = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    for (Header header : record.headers()) {
      names.add(header.key());
      headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
    }
    assertThat(names)
        .as("each header exactly once")
        .containsExactlyInAnyOrder(
            "ce_specversion",
            "ce_id",
            "ce_type",
            "ce_source",
            "ce_time",
            "ce_subject",
            "content-type");
    assertThat(headers)
        .containsEntry("ce_specversion", "1.0")
        .containsEntry("ce_type", "mailroom.account.defined.v1")
        .containsEntry("ce_source", "urn:mailroom:gateway")
        .containsEntry("content-type", "application/json");

    String raw = new String(record.value(), StandardCharsets.UTF_8);
    assertThat(raw).doesNotContain(PASSWORD);
    assertThat(headers.values()).noneMatch(v -> v.contains(PASSWORD));

    AccountDefined event =
        (AccountDefined) EventCodec.decode(headers.get("ce_type"), record.value());
    assertThat(event.accountId().toString()).isEqualTo(id);
    assertThat(event.ownerId()).isEqualTo(demo);
    assertThat(event.eventId()).isEqualTo(headers.get("ce_id"));
    assertThat(Instant.parse(headers.get("ce_time"))).isEqualTo(event.definedAt());
    assertThat(event.imap().host()).isEqualTo("imap.example.com");
    assertThat(event.password().keyId()).isEqualTo(credentials.keyId());
    SecretBox box =
        CredentialKeys.box(credentials.keyId(), credentials.key(), credentials.oldKeys());
    assertThat(box.open(event.password(), event.accountId(), event.imap())).isEqualTo(PASSWORD);
  }

  private Properties kafka() {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    return props;
  }

  /**
   * The test topic is the gateway's alone; made here so the broker's auto-create does not matter.
   */
  private void ensureTopic() throws InterruptedException {
    try (Admin admin = Admin.create(kafka())) {
      admin.createTopics(List.of(new NewTopic(accounts.topic(), 1, (short) 1))).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create " + accounts.topic(), e.getCause());
      }
    }
  }

  /** Reads the topic from the start (earlier runs left records there) for this account's record. */
  private ConsumerRecord<String, byte[]> recordWithKey(String key) {
    Properties props = kafka();
    props.put("key.deserializer", StringDeserializer.class.getName());
    props.put("value.deserializer", ByteArrayDeserializer.class.getName());
    props.put("enable.auto.commit", "false");
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(accounts.topic()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (key.equals(record.key())) {
            return record;
          }
        }
      }
    }
    throw new AssertionError("no record with key " + key + " on " + accounts.topic());
  }
}
