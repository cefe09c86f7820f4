package dev.mailroom.gateway.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mailroom.gateway.problem.GatewayException;
import jakarta.ws.rs.ProcessingException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The Sent role's answer is kept per account, except "none", and a mapping is seen at once. */
class SentMailboxesTest {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
  private final FakeSync sync = new FakeSync();
  private final SentMailboxes sent = new SentMailboxes(sync.client(), now::get);

  @Test
  void aSecondSendWithinTheTtlDoesNotAskSyncService() {
    sync.sent = "Sent";
    assertThat(sent.of("a")).isEqualTo("Sent");
    now.addAndGet(Duration.ofSeconds(29).toNanos());
    assertThat(sent.of("a")).isEqualTo("Sent");
    assertThat(sync.rolesAsked).hasValue(1);
    sent.of("b"); // another account asks for itself
    assertThat(sync.rolesAsked).hasValue(2);

    now.addAndGet(Duration.ofSeconds(2).toNanos());
    sync.sent = "Sent Items";
    assertThat(sent.of("a")).as("after the TTL").isEqualTo("Sent Items");
    assertThat(sync.rolesAsked).hasValue(3);
  }

  @Test
  void aRoleTheOwnerMapsIsSeenAtOnce() {
    sync.sent = "Sent";
    assertThat(sent.of("a")).isEqualTo("Sent");
    sync.sent = "Gesendet";
    sent.forget("A"); // the role endpoint's spelling of the id
    assertThat(sent.of("a")).isEqualTo("Gesendet");
  }

  @Test
  void anAnswerReadWhileTheOwnerMapsIsNotKept() {
    sync.sent = "Sent";
    sync.whileAsked = () -> sent.forget("a"); // the mapping lands while a send is asking
    assertThat(sent.of("a")).isEqualTo("Sent");
    sync.whileAsked = () -> {};
    sync.sent = "Gesendet";
    assertThat(sent.of("a")).isEqualTo("Gesendet");
  }

  @Test
  void noSentMailboxIsAskedAgainEveryTime() {
    sync.sent = null;
    sync.synced = true;
    for (int i = 1; i <= 2; i++) {
      assertThatThrownBy(() -> sent.of("a"))
          .isInstanceOf(GatewayException.MailboxesNotConfigured.class)
          .hasMessageContaining("/roles");
      assertThat(sync.rolesAsked).hasValue(i);
    }
    // The owner created Sent on the server: the next send finds it.
    sync.sent = "Sent";
    assertThat(sent.of("a")).isEqualTo("Sent");

    // Before the first sync: null (the connector decides), not kept either.
    sync.sent = null;
    sync.synced = false;
    assertThat(sent.of("b")).isNull();
    assertThat(sent.of("b")).isNull();
    assertThat(sync.rolesAsked).hasValue(5);
  }

  /**
   * sync-service's answers; counts the roles asked for. A proxy, not a class: Quarkus would serve a
   * test class implementing the annotated client interface as an endpoint.
   */
  private static final class FakeSync {
    volatile String sent;
    volatile boolean synced = true;
    volatile Runnable whileAsked = () -> {};
    final AtomicInteger rolesAsked = new AtomicInteger();

    OutboxClient client() {
      return (OutboxClient)
          Proxy.newProxyInstance(
              OutboxClient.class.getClassLoader(),
              new Class<?>[] {OutboxClient.class},
              (proxy, method, args) ->
                  switch (method.getName()) {
                    case "roles" -> roles();
                    case "mailboxes" -> mailboxes();
                    default -> throw new UnsupportedOperationException(method.getName());
                  });
    }

    private JsonNode roles() {
      rolesAsked.incrementAndGet();
      whileAsked.run();
      ObjectNode answer = JSON.objectNode();
      ObjectNode roles = answer.putObject("roles");
      if (sent == null) {
        roles.putNull("sent");
      } else {
        roles.putObject("sent").put("path", sent).put("source", "special-use");
      }
      answer.putArray("unmapped");
      return answer;
    }

    private JsonNode mailboxes() {
      if (!synced) {
        throw new ProcessingException("404: no mailboxes before the first sync");
      }
      return JSON.arrayNode().add(JSON.objectNode().put("path", "INBOX"));
    }
  }
}
