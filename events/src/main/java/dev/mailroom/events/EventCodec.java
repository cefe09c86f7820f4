package dev.mailroom.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;

/**
 * Turns events into the JSON their schemas describe and back. Unknown fields are ignored on read,
 * so a consumer keeps working when a producer adds a field within the same version.
 */
public final class EventCodec {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .build();

  private EventCodec() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static byte[] encode(MailroomEvent event) {
    try {
      return MAPPER.writeValueAsBytes(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + event.type(), e);
    }
  }

  /**
   * @throws MalformedEventException when the type is unknown or the payload does not fit it; the
   *     message says which, so a dead-letter record explains itself
   */
  public static MailroomEvent decode(String ceType, byte[] json) {
    EventType type =
        EventType.fromCeType(ceType)
            .orElseThrow(() -> new MalformedEventException("unknown event type: " + ceType));
    if (json == null || json.length == 0) {
      throw new MalformedEventException(ceType + ": empty payload");
    }
    try {
      return MAPPER.readValue(json, type.javaType());
    } catch (IOException e) {
      throw new MalformedEventException(ceType + ": " + rootMessage(e));
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.toString() : root.getMessage();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /** An event that cannot be read: permanent, retrying does not help. */
  public static final class MalformedEventException extends RuntimeException {
    public MalformedEventException(String message) {
      super(message);
    }
  }
}
