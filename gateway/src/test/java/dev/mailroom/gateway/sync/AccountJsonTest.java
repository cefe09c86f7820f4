package dev.mailroom.gateway.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class AccountJsonTest {

  private final ObjectMapper json = new ObjectMapper();

  @Test
  void ownershipNeedsAnExactTextualOwner() throws Exception {
    assertThat(AccountJson.isOwnedBy(json.readTree("{\"ownerId\":\"u1\"}"), "u1")).isTrue();
    assertThat(AccountJson.isOwnedBy(json.readTree("{\"ownerId\":\"u1\"}"), "U1")).isFalse();
    assertThat(AccountJson.isOwnedBy(json.readTree("{\"ownerId\":null}"), "null")).isFalse();
    assertThat(AccountJson.isOwnedBy(json.readTree("{}"), "u1")).isFalse();
    assertThat(AccountJson.isOwnedBy(json.readTree("[]"), "u1")).isFalse();
    assertThat(AccountJson.isOwnedBy(json.readTree("{\"ownerId\":\"u1\"}"), null)).isFalse();
  }

  @Test
  void thePublicViewDropsOwnerAndAnyPasswordButKeepsUnknownFields() throws Exception {
    var account =
        json.readTree(
            "{\"id\":\"a\",\"ownerId\":\"u1\",\"password\":{\"keyId\":\"k\"},"
                + "\"status\":\"connected\",\"newField\":1}");

    assertThat(AccountJson.toPublic(account).toString())
        .isEqualTo("{\"id\":\"a\",\"status\":\"connected\",\"newField\":1}");
    assertThat(account.has("ownerId")).as("the original is left alone").isTrue();
  }
}
