package dev.mailroom.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Answers as connector-service's verification would (the real one is tested in connector-service
 * against Dovecot and TLS servers). By user name: {@code wrong-password} fails authentication; by
 * host: {@code self-signed.example} presents a self-signed certificate unless it is pinned. SMTP:
 * user name {@code smtp-wrong-password} fails authentication, an address at {@code
 * relay-refused.example} is refused by the server.
 */
@Path("/fake-connector/internal/verify")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class FakeConnectorResource {

  public static final String FINGERPRINT =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  /** The certificate self-signed.example presents; a test may rotate it. */
  public static volatile String presented = FINGERPRINT;

  /** A password the fake server refuses, whatever the user name. */
  public static final String REFUSED_PASSWORD = "refused-by-the-server";

  @jakarta.inject.Inject dev.mailroom.events.crypto.SecretBox secrets;

  /** Every request as it arrived, to check that the password only ever came sealed. */
  public static final List<String> REQUESTS = new CopyOnWriteArrayList<>();

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  @POST
  public JsonNode verify(JsonNode request) {
    REQUESTS.add(request.toString());
    JsonNode imap = request.path("imap");
    if ("wrong-password".equals(imap.path("username").asText())) {
      return failed("AUTHENTICATION_FAILED", "[AUTHENTICATIONFAILED] Authentication failed.", null);
    }
    if ("self-signed.example".equals(imap.path("host").asText())
        && !presented.equals(imap.path("pinnedCertificateSha256").asText(null))) {
      return failed(
          "CERTIFICATE_SELF_SIGNED",
          "self-signed certificate for CN=self-signed.example",
          presented);
    }
    if (REFUSED_PASSWORD.equals(opened(request))) {
      return failed("AUTHENTICATION_FAILED", "[AUTHENTICATIONFAILED] Authentication failed.", null);
    }
    JsonNode smtp = request.path("smtp");
    if ("smtp-wrong-password".equals(smtp.path("username").asText())) {
      return failed("AUTHENTICATION_FAILED", "535 5.7.8 Error: authentication failed", null)
          .put("server", "smtp");
    }
    if (request.path("email").asText("").endsWith("@relay-refused.example")) {
      return failed("RELAY_REFUSED", "554 5.7.1 Relay access denied", null).put("server", "smtp");
    }
    ObjectNode ok = JSON.objectNode().put("verified", true);
    if ("small.example".equals(smtp.path("host").asText())) {
      ok.put("smtpMaxSize", 50_000);
    }
    ok.putArray("capabilities").add("IMAP4rev1");
    return ok;
  }

  private static ObjectNode failed(String category, String detail, String fingerprint) {
    ObjectNode result =
        JSON.objectNode()
            .put("verified", false)
            .put("category", category)
            .put("detail", detail)
            .put("remedy", "remedy for " + category + ".");
    if (fingerprint != null) {
      result.put("certificateSha256", fingerprint);
    }
    return result;
  }

  private String opened(JsonNode request) {
    try {
      var sealed =
          dev.mailroom.events.EventCodec.mapper()
              .treeToValue(
                  request.path("password"), dev.mailroom.events.model.EncryptedSecret.class);
      var imap =
          dev.mailroom.events.EventCodec.mapper()
              .treeToValue(request.path("imap"), dev.mailroom.events.account.ImapEndpoint.class);
      return secrets.open(
          sealed, dev.mailroom.events.model.AccountId.of(request.path("accountId").asText()), imap);
    } catch (Exception e) {
      return null;
    }
  }
}
