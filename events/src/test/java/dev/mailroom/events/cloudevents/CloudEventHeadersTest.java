package dev.mailroom.events.cloudevents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.events.connection.ConnectionFailed;
import dev.mailroom.events.connection.FailureCategory;
import dev.mailroom.events.model.AccountId;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudEventHeadersTest {

  @Test
  void binaryModeHeadersAreExactlyTheCloudEventsAttributes() {
    Instant at = Instant.parse("2026-11-26T09:00:00.123Z");
    var event =
        new ConnectionFailed(
            AccountId.of("6f1c7a52-93d4-4b0e-8a51-2f0f4c3b9d10"),
            FailureCategory.TIMEOUT,
            "Read timed out",
            at);

    assertThat(CloudEventHeaders.of(event, "connector-service", at))
        .containsExactly(
            Map.entry("ce_specversion", "1.0"),
            Map.entry("ce_id", event.eventId()),
            Map.entry("ce_type", "mailroom.connection.failed.v1"),
            Map.entry("ce_source", "urn:mailroom:connector-service"),
            Map.entry("ce_time", "2026-11-26T09:00:00.123Z"),
            Map.entry("ce_subject", "6f1c7a52-93d4-4b0e-8a51-2f0f4c3b9d10"),
            Map.entry("content-type", "application/json"));
  }
}
