package dev.mailroom.events.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.UUID;

/**
 * Identifies one connected mailbox account. It is the Kafka record key of every event about the
 * account, so all of an account's events land in one partition, in order.
 */
public record AccountId(UUID value) {

  public AccountId {
    if (value == null) {
      throw new IllegalArgumentException("account id is required");
    }
  }

  @JsonCreator
  public static AccountId of(String text) {
    try {
      return new AccountId(UUID.fromString(text));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("not an account id (expected a UUID): " + text);
    }
  }

  public static AccountId random() {
    return new AccountId(UUID.randomUUID());
  }

  @JsonValue
  @Override
  public String toString() {
    return value.toString();
  }
}
