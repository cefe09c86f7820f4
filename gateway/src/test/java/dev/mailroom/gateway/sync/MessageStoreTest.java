package dev.mailroom.gateway.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.gateway.problem.GatewayException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.net.ConnectException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class MessageStoreTest {

  private static final String DEMO = "sub-demo";
  private static final String EVE = "sub-eve";
  private static final String ID = "6f1c7a52-93d4-4b0e-8a51-2f0f4c3b9d10";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A sync-service that answers every call with what {@link #answer} supplies. */
  private static class FakeSync implements SyncServiceClient {
    Supplier<JsonNode> answer;
    String lastCall;

    @Override
    public JsonNode accountsOf(String ownerId) {
      lastCall = "accountsOf " + ownerId;
      return answer.get();
    }

    @Override
    public JsonNode account(String accountId) {
      return json("{\"id\":\"" + accountId + "\",\"ownerId\":\"" + DEMO + "\",\"host\":\"h\"}");
    }

    @Override
    public JsonNode mailboxes(String accountId) {
      lastCall = "mailboxes " + accountId;
      return answer.get();
    }

    @Override
    public JsonNode messages(String accountId, String mailbox, int limit, String cursor) {
      lastCall = "messages " + accountId + " " + mailbox + " " + limit + " " + cursor;
      return answer.get();
    }
  }

  private final FakeSync sync = new FakeSync();
  private final MessageStore store = new MessageStore(sync);

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void theOwnerSeesTheAccountWithoutOwnerOrPassword() {
    JsonNode account = store.account(ID.toUpperCase(), DEMO);

    assertThat(account.get("id").asText()).isEqualTo(ID);
    assertThat(account.has("ownerId")).isFalse();
  }

  @Test
  void anotherUserGetsTheSame404AsForAMissingAccount() {
    var foreign =
        catchThrowableOfType(GatewayException.NotFound.class, () -> store.account(ID, EVE));
    sync.answer = () -> null;
    var missing =
        catchThrowableOfType(
            GatewayException.NotFound.class,
            () ->
                new MessageStore(
                        new FakeSync() {
                          @Override
                          public JsonNode account(String accountId) {
                            throw new WebApplicationException(404);
                          }
                        })
                    .account(ID, EVE));

    assertThat(foreign.toProblem("/x")).isEqualTo(missing.toProblem("/x"));
  }

  @Test
  void mailboxesAndMessagesAreCheckedBeforeTheyAreFetched() {
    sync.answer = () -> json("[]");

    catchThrowableOfType(GatewayException.NotFound.class, () -> store.mailboxes(ID, EVE));
    catchThrowableOfType(
        GatewayException.NotFound.class,
        () -> store.messages(ID, EVE, new MessageQuery("INBOX", 50, null)));

    assertThat(sync.lastCall).isNull();
    store.messages(ID, DEMO, new MessageQuery("INBOX", 20, "c1"));
    assertThat(sync.lastCall).isEqualTo("messages " + ID + " INBOX 20 c1");
  }

  @Test
  void anIdThatIsNotAUuidIsNotFound() {
    var e =
        catchThrowableOfType(
            GatewayException.NotFound.class, () -> store.account("../admin", DEMO));
    assertThat(e.status()).isEqualTo(404);
  }

  @Test
  void theListKeepsOnlyTheCallersAccounts() {
    sync.answer =
        () ->
            json(
                "[{\"id\":\"a\",\"ownerId\":\""
                    + DEMO
                    + "\"},{\"id\":\"b\",\"ownerId\":\""
                    + EVE
                    + "\"},{\"id\":\"c\"}]");

    JsonNode list = store.accountsOf(DEMO);

    assertThat(sync.lastCall).isEqualTo("accountsOf " + DEMO);
    assertThat(list).hasSize(1);
    assertThat(list.get(0).toString()).isEqualTo("{\"id\":\"a\"}");
  }

  @Test
  void aSyncServiceThatCannotBeReachedIs503() {
    sync.answer =
        () -> {
          throw new ProcessingException(new ConnectException("Connection refused"));
        };

    var e = catchThrowableOfType(GatewayException.Unavailable.class, () -> store.accountsOf(DEMO));

    assertThat(e.status()).isEqualTo(503);
    assertThat(e.detail()).isEqualTo("the message store is not reachable, try again");
  }

  @Test
  void syncServiceErrorsAreTranslated() {
    sync.answer =
        () -> {
          throw new WebApplicationException(503);
        };
    assertThat(
            catchThrowableOfType(GatewayException.class, () -> store.mailboxes(ID, DEMO)).status())
        .isEqualTo(503);
    sync.answer =
        () -> {
          throw new WebApplicationException(500);
        };
    assertThat(
            catchThrowableOfType(GatewayException.class, () -> store.mailboxes(ID, DEMO)).status())
        .isEqualTo(502);
    sync.answer =
        () -> {
          throw new WebApplicationException(404);
        };
    assertThat(
            catchThrowableOfType(GatewayException.class, () -> store.mailboxes(ID, DEMO)).status())
        .isEqualTo(404);
  }
}
