package dev.mailroom.gateway.attachment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mailroom.gateway.testing.FakePartResource;
import dev.mailroom.gateway.testing.FakeSyncResource;
import dev.mailroom.gateway.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The gateway's attachment download: owner-checked in the store, fetched from the connector
 * instance that holds the account (the first configured one answers 421), from the first location
 * that still has the message, and handed on as a stream with the file name of RFC 6266.
 */
@QuarkusTest
class AttachmentProxyTest {

  @Test
  void theOwnerGetsTheBytesAndNobodyElseDoes() {
    String id = UUID.randomUUID().toString();
    FakeSyncResource.store(id, Tokens.subjectOf("demo"), "Attachments");
    ObjectNode m = JsonNodeFactory.instance.objectNode().put("id", "mid:att").put("threadId", "t");
    m.putArray("attachments")
        .addObject()
        .put("part", "2")
        .put("filename", "Übersicht März.pdf")
        .put("contentType", "application/pdf")
        .put("size", FakePartResource.SIZE);
    var locations = m.putArray("locations");
    // Gone from INBOX (moved), still in Archive: the download comes from Archive.
    locations.addObject().put("mailbox", "INBOX").put("uidValidity", 7).put("uid", 43);
    locations.addObject().put("mailbox", "Archive").put("uidValidity", 9).put("uid", 42);
    FakeSyncResource.MESSAGES.put("mid:att", m);

    Response ok =
        given()
            .auth()
            .oauth2(Tokens.of("demo"))
            .get("/api/accounts/{id}/messages/mid:att/attachments/2", id);
    assertThat(ok.statusCode()).as(ok.asString().substring(0, 200)).isEqualTo(200);
    assertThat(ok.contentType()).isEqualTo("application/pdf");
    assertThat(ok.header("Content-Disposition"))
        .isEqualTo(
            "attachment; filename=\"Ubersicht Marz.pdf\";"
                + " filename*=UTF-8''%C3%9Cbersicht%20M%C3%A4rz.pdf");
    assertThat(ok.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(ok.asByteArray()).isEqualTo(FakePartResource.content());
    assertThat(FakePartResource.ASKED)
        .contains("INBOX/7/43/2 bearer=true", "Archive/9/42/2 bearer=true");

    int asked = FakePartResource.ASKED.size();
    Response eve =
        given()
            .auth()
            .oauth2(Tokens.of("eve"))
            .get("/api/accounts/{id}/messages/mid:att/attachments/2", id);
    assertThat(eve.statusCode()).isEqualTo(404);
    assertThat(eve.asString()).contains("among yours").doesNotContain("Übersicht");
    assertThat(FakePartResource.ASKED).as("nothing asked of the connector").hasSize(asked);

    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .get("/api/accounts/{id}/messages/mid:att/attachments/3", id)
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    given().get("/api/accounts/{id}/messages/mid:att/attachments/2", id).then().statusCode(401);
  }

  @Test
  void aMessageGoneFromEveryLocationIs410() {
    String id = UUID.randomUUID().toString();
    FakeSyncResource.store(id, Tokens.subjectOf("demo"), "Gone");
    ObjectNode m = JsonNodeFactory.instance.objectNode().put("id", "mid:gone");
    m.putArray("attachments").addObject().put("part", "2").put("filename", "a.pdf");
    m.putArray("locations")
        .addObject()
        .put("mailbox", "INBOX")
        .put("uidValidity", 7)
        .put("uid", 43);
    FakeSyncResource.MESSAGES.put("mid:gone", m);
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .get("/api/accounts/{id}/messages/mid:gone/attachments/2", id)
        .then()
        .statusCode(410)
        .contentType("application/problem+json");
  }
}
