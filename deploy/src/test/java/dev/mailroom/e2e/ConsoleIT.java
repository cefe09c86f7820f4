package dev.mailroom.e2e;

import static dev.mailroom.e2e.ConsolePage.action;
import static dev.mailroom.e2e.ConsolePage.awaitServer;
import static dev.mailroom.e2e.ConsolePage.notice;
import static dev.mailroom.e2e.ConsolePage.openFromList;
import static dev.mailroom.e2e.ConsolePage.press;
import static dev.mailroom.e2e.ConsolePage.waitUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console at {@code /} in Debian's headless Chromium, against the running platform: sign in
 * through Keycloak (code flow with PKCE), the accounts with status and sync progress, adding an
 * account (refusals explained), reading a mailbox and a message, a message appended by another
 * client appearing without a reload, mark read, star, archive, trash, reply (delivered by Postfix
 * into Dovecot), search, mapping a mailbox role, and an account on a server with a self-signed
 * certificate. Each step is checked behind the browser, on the API or the IMAP server ({@link
 * ConsoleChecks}). Labels, keyboard use and a phone-sized screen are checked on the way. One
 * browser for the whole class; waits are on conditions. Screenshots go to
 * target/console-screenshots.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

  static final Path SHOTS = Path.of("target", "console-screenshots");
  static WebDriver browser;
  static WebDriverWait wait;
  static String demoId;
  static final String RUN = Long.toString(System.nanoTime(), 36);

  @BeforeAll
  static void startBrowser() throws IOException {
    Files.createDirectories(SHOTS);
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    // As root in a machine without a display: no sandbox, no GPU, /tmp instead of a small /dev/shm.
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        // Chromium refuses some ports outright (ERR_UNSAFE_PORT, e.g. 10080), which a stack started
        // with MAILROOM_PORT_OFFSET=2000 gives the gateway: these two are ours, allow them.
        "--explicitly-allowed-ports="
            + java.net.URI.create(Platform.GATEWAY).getPort()
            + ","
            + java.net.URI.create(Platform.KEYCLOAK).getPort());
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
            .build();
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    ConsolePage.browser = browser;
    demoId = ConsoleChecks.demoAccountId();
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  static void shot(String name) throws IOException {
    Files.write(
        SHOTS.resolve(name + ".png"),
        ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  static WebElement visible(By by) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  @Test
  @Order(1)
  void signsInThroughKeycloakWithPkce() throws IOException {
    browser.get(Platform.GATEWAY + "/");
    visible(By.id("sign-in"));
    shot("01-signed-out");
    browser.findElement(By.id("sign-in")).click();
    // Keycloak's own login page.
    visible(By.id("username")).sendKeys("demo");
    browser.findElement(By.id("password")).sendKeys("demo");
    assertThat(browser.getCurrentUrl())
        .contains("code_challenge_method=S256")
        .contains("client_id=mailroom-console");
    browser.findElement(By.id("password")).sendKeys(Keys.ENTER);
    try {
      wait.until(ExpectedConditions.textToBe(By.id("who"), "demo"));
    } finally {
      shot("01b-after-sign-in");
    }
    assertThat(browser.getCurrentUrl()).doesNotContain("code=");
  }

  @Test
  @Order(2)
  void showsTheAccountsWithStatusAndSyncProgress() throws IOException {
    WebElement demo = visible(By.cssSelector("#accounts li[data-account]"));
    wait.until(d -> !d.findElements(By.cssSelector("#accounts progress")).isEmpty());
    assertThat(demo.findElement(By.cssSelector(".badge")).getText())
        .isIn("connected", "pending", "degraded");
    List<WebElement> bars = browser.findElements(By.cssSelector("#accounts progress"));
    assertThat(bars)
        .allSatisfy(bar -> assertThat(bar.getAttribute("aria-label")).endsWith("synced"));
    shot("02-accounts");
  }

  @Test
  @Order(3)
  void addingAnAccountExplainsRefusalsAndEveryFieldHasALabel() throws IOException {
    WebElement show = browser.findElement(By.id("show-add"));
    show.click();
    assertThat(show.getAttribute("aria-expanded")).isEqualTo("true");
    for (WebElement input :
        browser.findElements(By.cssSelector("#add-form input, #add-form select"))) {
      String id = input.getAttribute("id");
      boolean labelled =
          !browser.findElements(By.cssSelector("label[for='" + id + "']")).isEmpty()
              || input.findElements(By.xpath("ancestor::label")).size() > 0;
      assertThat(labelled).as("a label for #%s", id).isTrue();
    }
    assertThat(browser.findElement(By.id("add-form")).getText())
        .contains("POP is not supported", "ProtonMail", "app-specific password");
    // POP: refused by the gateway with the reason, shown as it came.
    browser.findElement(By.id("host")).sendKeys("pop.example.com");
    browser.findElement(By.id("port")).clear();
    browser.findElement(By.id("port")).sendKeys("995");
    browser.findElement(By.id("username")).sendKeys("someone");
    browser.findElement(By.id("password")).sendKeys("secret");
    browser.findElement(By.cssSelector("#add-form button[type=submit]")).click();
    WebElement error = visible(By.id("add-error"));
    assertThat(error.getText()).contains("IMAP only");
    shot("03-pop-refused");
    browser.findElement(By.id("cancel-add")).click();
  }

  @Test
  @Order(4)
  void readsAMailboxAndAMessageWithTheKeyboardAndSeesNewMailLive() throws Exception {
    // Keyboard only: Tab to the account's "Open mail" button and press Enter.
    WebElement open = visible(By.xpath("//button[starts-with(., 'Open mail of')]"));
    open.sendKeys(Keys.ENTER);
    WebElement first = visible(By.cssSelector("#messages button"));
    assertThat(browser.findElements(By.cssSelector("#messages button")))
        .hasSizeGreaterThanOrEqualTo(10);
    first.sendKeys(Keys.ENTER);
    WebElement message = visible(By.id("message"));
    wait.until(d -> !message.findElement(By.tagName("h3")).getText().isBlank());
    assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("message");
    shot("04-message");

    // Another client delivers mail to demo's INBOX; it shows up without a reload.
    String subject = "Console live " + System.nanoTime();
    EndToEndIT.append("demo", "demo", subject);
    wait.withTimeout(Duration.ofSeconds(30))
        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), subject));
    shot("05-live");
  }

  @Test
  @Order(5)
  void marksReadStarsArchivesAndTrashesAndTheServerFollows() throws Exception {
    String kept = "Console act " + RUN;
    String binned = "Console trash " + RUN;
    ConsoleChecks.append("demo", "friend@example.com", kept);
    ConsoleChecks.append("demo", "friend@example.com", binned);
    browser.findElement(By.cssSelector("#mailboxes button[data-mailbox='INBOX']")).click();

    String id = openFromList(kept);
    press(action("Mark read"));
    visible(action("Mark unread")); // the store shows the asked state at once, pending
    awaitServer(demoId, id, "INBOX", "\\Seen");
    // command.applied on the event stream: the page says the server did it.
    wait.until(d -> notice().contains("Done on the server"));
    press(action("Star"));
    visible(action("Unstar"));
    awaitServer(demoId, id, "INBOX", "\\Seen", "\\Flagged");
    shot("07-read-and-starred");
    press(action("Archive"));
    awaitServer(demoId, id, "Archive", "\\Seen", "\\Flagged");
    assertThat(ConsoleChecks.serverHas("demo", "Archive", kept)).isTrue();

    String trashed = openFromList(binned);
    press(action("Trash"));
    awaitServer(demoId, trashed, "Trash");
    assertThat(ConsoleChecks.serverHas("demo", "Trash", binned)).isTrue();
    assertThat(ConsoleChecks.serverHas("demo", "INBOX", binned)).isFalse();
    shot("08-trashed");
  }

  @Test
  @Order(6)
  void repliesAndTheReplyArrivesInTheSendersInbox() throws Exception {
    String subject = "Console reply " + RUN;
    ConsoleChecks.append("demo", "alice@mailroom.local", subject);
    openFromList(subject);
    press(action("Reply"));
    WebElement text = visible(By.id("reply-text"));
    assertThat(browser.switchTo().activeElement()).isEqualTo(text);
    assertThat(browser.findElements(By.cssSelector("label[for='reply-text']"))).isNotEmpty();
    text.sendKeys("Thanks, received.");
    press(By.xpath("//form[@aria-label='Reply']//button[@type='submit']"));
    // outbox.sent on the event stream, with the SMTP server's reply.
    waitUp(60).until(d -> notice().contains("Reply sent"));
    shot("09-reply-sent");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> ConsoleChecks.serverHas("alice", "INBOX", "Re: " + subject));
    List<Map<String, Object>> outbox =
        ConsoleChecks.api()
            .get("/api/accounts/{a}/outbox", demoId)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("$");
    assertThat(outbox)
        .anySatisfy(
            m -> {
              assertThat(m.get("subject")).isEqualTo("Re: " + subject);
              assertThat(m.get("state")).isEqualTo("sent");
            });
  }

  @Test
  @Order(7)
  void searchesForAWordAndShowsTheMessage() throws Exception {
    String word = "zq" + RUN;
    String subject = "Console search " + word;
    ConsoleChecks.append("demo", "friend@example.com", subject);
    // In the list first (live), so a later refresh of the list does not replace the results.
    visible(By.xpath("//ul[@id='messages']//button[contains(., '" + subject + "')]"));
    WebElement q = browser.findElement(By.id("search-q"));
    q.clear();
    q.sendKeys(word, Keys.ENTER);
    waitUp(60)
        .pollingEvery(Duration.ofSeconds(2))
        .until(
            d -> {
              if (d.findElement(By.id("mailbox-title")).getText().startsWith("Search: " + word)
                  && d.findElement(By.id("messages")).getText().contains(subject)) {
                return true;
              }
              d.findElement(By.id("search-q")).sendKeys(Keys.ENTER); // not indexed yet: again
              return false;
            });
    shot("10-search");
    assertThat(
            ConsoleChecks.api()
                .queryParam("q", word)
                .get("/api/accounts/{a}/search", demoId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("results.subject"))
        .contains(subject);
  }

  @Test
  @Order(8)
  void mapsAMailboxRoleAndTheArchiveActionFollowsIt() throws Exception {
    String subject = "Console role " + RUN;
    ConsoleChecks.append("demo", "friend@example.com", subject);
    try {
      press(By.xpath("//button[starts-with(., 'Mailbox roles of')]"));
      WebElement archive = visible(By.id("role-archive"));
      assertThat(browser.switchTo().activeElement()).isEqualTo(archive);
      for (WebElement select : browser.findElements(By.cssSelector("#roles-fields select"))) {
        String id = select.getAttribute("id");
        assertThat(browser.findElements(By.cssSelector("label[for='" + id + "']")))
            .as("a label for #%s", id)
            .isNotEmpty();
      }
      new Select(archive).selectByValue("Projects");
      press(By.xpath("//form[@id='roles-form']//button[@type='submit']"));
      wait.until(d -> notice().contains("Mailbox roles saved"));
      assertThat(ConsoleChecks.roles(demoId).getString("roles.archive.path")).isEqualTo("Projects");
      assertThat(ConsoleChecks.roles(demoId).getString("roles.archive.source")).isEqualTo("owner");
      shot("11-roles");

      browser.findElement(By.cssSelector("#mailboxes button[data-mailbox='INBOX']")).click();
      String id = openFromList(subject);
      press(action("Archive"));
      awaitServer(demoId, id, "Projects");
      assertThat(ConsoleChecks.serverHas("demo", "Projects", subject)).isTrue();

      // Back to detection, from the same screen (closed and opened again: a fresh form).
      press(By.id("close-roles"));
      waitUp(10).until(ExpectedConditions.invisibilityOfElementLocated(By.id("roles-section")));
      press(By.xpath("//button[starts-with(., 'Mailbox roles of')]"));
      new Select(visible(By.id("role-archive"))).selectByValue("");
      press(By.xpath("//form[@id='roles-form']//button[@type='submit']"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> "special-use".equals(ConsoleChecks.roles(demoId).get("roles.archive.source")));
    } finally {
      // Other tests expect demo's detected roles, whatever happened above.
      ConsoleChecks.api()
          .contentType("application/json")
          .body("{\"archive\": null}")
          .put("/api/accounts/{a}/roles", demoId)
          .then()
          .statusCode(200);
    }
  }

  @Test
  @Order(9)
  void addsAnAccountWithASelfSignedCertificateAndMapsItsMissingTrashWhenAsked() throws Exception {
    String user = ConsoleChecks.newUserWithoutTrash();
    String subject = "Console not configured " + RUN;
    ConsoleChecks.createMailbox(user, "Old");
    ConsoleChecks.append(user, "friend@example.com", subject);
    String accountId = null;
    try (SelfSignedImapProxy server =
        new SelfSignedImapProxy(
            Path.of("target", "self-signed"),
            Platform.SELF_SIGNED_IMAPS_PORT,
            Platform.IMAP_HOST,
            Platform.IMAP_PORT)) {
      press(By.id("show-add"));
      visible(By.id("displayName"));
      Map.of(
              "displayName",
              "Self-signed " + RUN,
              "host",
              "localhost",
              "port",
              Integer.toString(server.port),
              "username",
              user,
              "password",
              user)
          .forEach(
              (field, value) -> {
                WebElement input = browser.findElement(By.id(field));
                input.clear(); // the form keeps what step 3 typed
                input.sendKeys(value);
              });
      new Select(browser.findElement(By.id("security"))).selectByValue("tls");
      press(By.cssSelector("#add-form button[type=submit]"));

      WebElement fingerprint = visible(By.id("cert-fingerprint"));
      assertThat(fingerprint.getText().replace(":", "").toLowerCase(java.util.Locale.ROOT))
          .isEqualTo(server.sha256);
      assertThat(browser.findElement(By.id("cert-warning")).getText()).contains("self-signed");
      shot("12-self-signed-warning");
      WebElement allow = browser.findElement(By.id("allow-cert"));
      assertThat(allow.isSelected()).isFalse();
      allow.sendKeys(Keys.SPACE); // keyboard, through its label "Allow the use of my ..."
      assertThat(allow.isSelected()).isTrue();
      press(By.cssSelector("#add-form button[type=submit]"));
      waitUp(60).until(ExpectedConditions.invisibilityOfElementLocated(By.id("add-form")));
      visible(By.xpath("//ul[@id='accounts']//h3[contains(., 'Self-signed " + RUN + "')]"));

      accountId =
          ConsoleChecks.api()
              .get("/api/accounts")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath()
              .getString("find { it.username == '" + user + "' }.id");
      assertThat(accountId).isNotNull();
      String added = accountId;
      // Connected through the self-signed server: the approval was stored with the account.
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  "connected"
                      .equals(
                          ConsoleChecks.api()
                              .get("/api/accounts/{a}", added)
                              .then()
                              .extract()
                              .path("status")));
      shot("13-self-signed-added");

      // No mailbox plays Trash there: said on the account, and a Trash answers 409 with the fix.
      waitUp(60)
          .until(
              ExpectedConditions.textToBePresentInElementLocated(
                  By.cssSelector("#accounts li[data-account='" + added + "']"),
                  "No mailbox for Trash"));
      assertThat(
              ConsoleChecks.api()
                  .get("/api/accounts/{a}", added)
                  .then()
                  .extract()
                  .jsonPath()
                  .getList("unmappedRoles"))
          .contains("trash");
      press(By.xpath("//button[.='Open mail of Self-signed " + RUN + "']"));
      String id = openFromList(subject);
      press(action("Trash"));
      WebElement problem = visible(By.id("not-configured"));
      assertThat(problem.getText())
          .contains("Mailboxes not configured", "/roles", "Mailbox to use as Trash");
      shot("14-mailboxes-not-configured");
      new Select(browser.findElement(By.id("fix-trash"))).selectByValue("Old");
      press(By.xpath("//div[@id='not-configured']//button"));
      awaitServer(added, id, "Old");
      assertThat(ConsoleChecks.serverHas(user, "Old", subject)).isTrue();
      assertThat(ConsoleChecks.roles(added).getString("roles.trash.path")).isEqualTo("Old");
      shot("15-trash-mapped-and-done");
    } finally {
      if (accountId != null) {
        ConsoleChecks.api().delete("/api/accounts/{a}", accountId).then().statusCode(202);
      }
    }
  }

  @Test
  @Order(20)
  void worksOnAPhoneSizedScreen() throws IOException {
    browser.manage().window().setSize(new Dimension(390, 844));
    browser.navigate().refresh();
    visible(By.cssSelector("#accounts li[data-account]"));
    Long scrollWidth =
        (Long)
            ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("return document.documentElement.scrollWidth");
    assertThat(scrollWidth).as("no horizontal scrolling").isLessThanOrEqualTo(390L);
    shot("06-phone");
  }
}
