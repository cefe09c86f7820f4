package dev.mailroom.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.mailroom.events.connection.ConnectionFailed;
import dev.mailroom.events.connection.FailureCategory;
import dev.mailroom.events.connection.Remedies;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The wire format of every contract is pinned by a golden fixture: a change that alters the JSON
 * fails here, and must be either additive (update the fixture) or a new {@code .v2} type.
 */
class ContractTest {

  @ParameterizedTest
  @EnumSource(EventType.class)
  void sampleEncodesToItsGoldenFixture(EventType type) throws IOException {
    JsonNode encoded = EventCodec.mapper().readTree(EventCodec.encode(Samples.BY_TYPE.get(type)));
    assertThat(encoded).isEqualTo(fixture(type));
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void goldenFixtureDecodesToTheSample(EventType type) throws IOException {
    byte[] json = EventCodec.mapper().writeValueAsBytes(fixture(type));
    assertThat(EventCodec.decode(type.ceType(), json)).isEqualTo(Samples.BY_TYPE.get(type));
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void goldenFixtureSatisfiesItsSchema(EventType type) throws IOException {
    assertThat(schema(type).validate(fixture(type))).isEmpty();
  }

  /**
   * A failure category exists in the Java enum and in both schemas that carry one, or nowhere: a
   * category the schemas do not list would be published and then refused by a validating reader.
   */
  @ParameterizedTest
  @EnumSource(FailureCategory.class)
  void everyFailureCategoryIsInTheSchemasThatCarryOne(FailureCategory category) throws IOException {
    ObjectNode failed = (ObjectNode) fixture(EventType.CONNECTION_FAILED);
    failed.put("category", category.name());
    assertThat(schema(EventType.CONNECTION_FAILED).validate(failed)).isEmpty();
    byte[] json = EventCodec.mapper().writeValueAsBytes(failed);
    assertThat(
            ((ConnectionFailed) EventCodec.decode(EventType.CONNECTION_FAILED.ceType(), json))
                .category())
        .isEqualTo(category);

    ObjectNode status = (ObjectNode) fixture(EventType.ACCOUNT_STATUS_CHANGED);
    status.put("reason", category.name());
    assertThat(schema(EventType.ACCOUNT_STATUS_CHANGED).validate(status)).isEmpty();
    assertThat(Remedies.of(category)).isNotBlank();
  }

  @Test
  void aCategoryTheSchemaDoesNotListIsRefused() throws IOException {
    ObjectNode failed = (ObjectNode) fixture(EventType.CONNECTION_FAILED);
    failed.put("category", "SOMETHING_ELSE");
    assertThat(schema(EventType.CONNECTION_FAILED).validate(failed)).isNotEmpty();
  }

  @Test
  void uidBeyondUnsigned32BitIsRejectedBySchemaAndCodec() throws IOException {
    ObjectNode tooBig = (ObjectNode) fixture(EventType.MESSAGE_ADDED);
    tooBig.put("uid", 4294967296L);

    Set<ValidationMessage> errors = schema(EventType.MESSAGE_ADDED).validate(tooBig);
    assertThat(errors)
        .extracting(ValidationMessage::getInstanceLocation)
        .asString()
        .contains("uid");
    byte[] json = EventCodec.mapper().writeValueAsBytes(tooBig);
    assertThatThrownBy(() -> EventCodec.decode(EventType.MESSAGE_ADDED.ceType(), json))
        .isInstanceOf(EventCodec.MalformedEventException.class)
        .hasMessageContaining("UID out of range");
  }

  @Test
  void unknownFieldsAreIgnoredSoAdditiveChangesDoNotBreakReaders() throws IOException {
    ObjectNode withExtra = (ObjectNode) fixture(EventType.MAILBOX_STATUS);
    withExtra.put("someFutureField", "x");
    byte[] json = EventCodec.mapper().writeValueAsBytes(withExtra);
    assertThat(EventCodec.decode(EventType.MAILBOX_STATUS.ceType(), json))
        .isEqualTo(Samples.BY_TYPE.get(EventType.MAILBOX_STATUS));
  }

  @Test
  void anAccountDefinedBeforeItCarriedACreationTimeDecodesWithNone() throws IOException {
    ObjectNode older = (ObjectNode) fixture(EventType.ACCOUNT_DEFINED);
    older.remove("createdAt");
    byte[] json = EventCodec.mapper().writeValueAsBytes(older);
    var decoded =
        (dev.mailroom.events.account.AccountDefined)
            EventCodec.decode(EventType.ACCOUNT_DEFINED.ceType(), json);
    assertThat(decoded.createdAt()).isNull();
    assertThat(decoded.definedAt())
        .isEqualTo(
            ((dev.mailroom.events.account.AccountDefined)
                    Samples.BY_TYPE.get(EventType.ACCOUNT_DEFINED))
                .definedAt());
  }

  @Test
  void unknownTypeAndEmptyPayloadAreMalformedWithAReason() {
    assertThatThrownBy(() -> EventCodec.decode("mailroom.nothing.v9", "{}".getBytes()))
        .isInstanceOf(EventCodec.MalformedEventException.class)
        .hasMessageContaining("unknown event type");
    assertThatThrownBy(() -> EventCodec.decode(EventType.MESSAGE_ADDED.ceType(), new byte[0]))
        .hasMessageContaining("empty payload");
    assertThatThrownBy(
            () -> EventCodec.decode(EventType.MESSAGE_ADDED.ceType(), "{\"uid\":".getBytes()))
        .isInstanceOf(EventCodec.MalformedEventException.class);
  }

  @Test
  void passwordNeverAppearsInClearOnTheWire() throws IOException {
    String json = new String(EventCodec.encode(Samples.BY_TYPE.get(EventType.ACCOUNT_DEFINED)));
    JsonNode password = EventCodec.mapper().readTree(json).get("password");
    assertThat(password.fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("keyId", "nonce", "ciphertext");
  }

  static JsonNode fixture(EventType type) throws IOException {
    try (InputStream in =
        ContractTest.class.getResourceAsStream("/fixtures/" + type.ceType() + ".json")) {
      assertThat(in).as("golden fixture for " + type.ceType()).isNotNull();
      return EventCodec.mapper().readTree(in);
    }
  }

  static JsonSchema schema(EventType type) throws IOException {
    try (InputStream in = EventType.class.getResourceAsStream(type.schemaResource())) {
      assertThat(in).as("schema for " + type.ceType()).isNotNull();
      SchemaValidatorsConfig config =
          SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
    }
  }
}
