package dev.mailroom.e2e;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The running platform under test, as {@code ./mailroom test} started it and described it in {@code
 * MAILROOM_TEST_*} variables. Nothing here starts anything: a missing platform fails the test with
 * a message that says how to run it.
 */
final class Platform {

  static final String GATEWAY = require("MAILROOM_TEST_GATEWAY_URL");
  static final String KEYCLOAK = require("MAILROOM_TEST_KEYCLOAK_URL");
  static final String KAFKA = require("MAILROOM_TEST_KAFKA");
  static final String IMAP_HOST = require("MAILROOM_TEST_IMAP_HOST");
  static final int IMAP_PORT = Integer.parseInt(require("MAILROOM_TEST_IMAP_PORT"));
  static final int IMAPS_PORT = Integer.parseInt(require("MAILROOM_TEST_IMAPS_PORT"));

  /** Free for a test's own self-signed IMAP server; the connector allows it (deploy/README.md). */
  static final int SELF_SIGNED_IMAPS_PORT =
      Integer.parseInt(require("MAILROOM_TEST_SELF_SIGNED_IMAPS_PORT"));

  static final Path HOME = Path.of(require("MAILROOM_HOME"));
  static final Path DOVECOT_USERS = Path.of(require("MAILROOM_TEST_DOVECOT_PASSWD"));
  static final Path DOVECOT_CONF = Path.of(require("MAILROOM_TEST_DOVECOT_CONF"));

  /** Base URLs of the five services, for their /q/health endpoints. */
  static final Map<String, String> SERVICES = services();

  private Platform() {}

  static String token(String user, String password) {
    return given()
        .formParam("grant_type", "password")
        .formParam("client_id", "mailroom-gateway")
        .formParam("client_secret", "mailroom-gateway-dev-secret")
        .formParam("username", user)
        .formParam("password", password)
        .post(KEYCLOAK + "/realms/mailroom/protocol/openid-connect/token")
        .then()
        .statusCode(200)
        .extract()
        .path("access_token");
  }

  /**
   * Adds an account on the stack's Dovecot (STARTTLS) through the gateway for the token's user.
   *
   * @return the account id of the 201
   */
  static String addAccount(String token, String displayName, String user, String password) {
    return given()
        .baseUri(GATEWAY)
        .auth()
        .oauth2(token)
        .contentType(io.restassured.http.ContentType.JSON)
        .body(
            """
            {"displayName": "%s", "host": "%s", "port": %d, "security": "starttls",
             "username": "%s", "password": "%s"}"""
                .formatted(displayName, IMAP_HOST, IMAP_PORT, user, password))
        .post("/api/accounts")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  /** A fresh IMAP user in the real Dovecot (it re-reads its passwd-file on change). */
  static String newImapUser(String password) throws IOException {
    String user = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
    Files.writeString(
        DOVECOT_USERS, user + ":{PLAIN}" + password + "::::::\n", StandardOpenOption.APPEND);
    return user;
  }

  private static Map<String, String> services() {
    Map<String, String> urls = new LinkedHashMap<>();
    for (String name : new String[] {"connector", "sync", "search", "health", "gateway"}) {
      urls.put(name, require("MAILROOM_TEST_" + name.toUpperCase(java.util.Locale.ROOT) + "_URL"));
    }
    return urls;
  }

  private static String require(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          name
              + " is not set: the end-to-end tests drive a running "
              + "platform; run them with ./mailroom test");
    }
    return value;
  }
}
