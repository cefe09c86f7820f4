package dev.mailroom.gateway.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.gateway.problem.GatewayException;
import dev.mailroom.gateway.problem.Problem.FieldError;
import org.junit.jupiter.api.Test;

class MessageQueryTest {

  @Test
  void defaultsToFiftyAndNoCursor() {
    assertThat(MessageQuery.of("INBOX", null, " ")).isEqualTo(new MessageQuery("INBOX", 50, null));
    assertThat(MessageQuery.of("Archive/2024", "200", "c1"))
        .isEqualTo(new MessageQuery("Archive/2024", 200, "c1"));
  }

  @Test
  void missingMailboxAndBadLimitAreNamedTogether() {
    var e =
        catchThrowableOfType(
            GatewayException.InvalidRequest.class, () -> MessageQuery.of(" ", "abc", null));

    assertThat(e.status()).isEqualTo(400);
    assertThat(e.errors()).extracting(FieldError::field).containsExactly("mailbox", "limit");
    assertThat(e.detail()).contains("mailbox").contains("limit");
  }

  @Test
  void limitMustBeOneToTwoHundred() {
    for (String limit : new String[] {"0", "201", "-5", "1.5"}) {
      var e =
          catchThrowableOfType(
              GatewayException.InvalidRequest.class, () -> MessageQuery.of("INBOX", limit, null));
      assertThat(e.errors()).as(limit).extracting(FieldError::field).containsExactly("limit");
    }
    assertThat(MessageQuery.of("INBOX", "1", null).limit()).isEqualTo(1);
  }
}
