package dev.mailroom.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console at {@code /} in Debian's headless Chromium, against the running platform: sign in
 * through Keycloak (code flow with PKCE), the accounts with status and sync progress, adding an
 * account (refusals explained), reading a mailbox and a message, and a message appended by another
 * client appearing without a reload. Labels, keyboard use and a phone-sized screen are checked on
 * the way. Screenshots go to target/console-screenshots.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

  static final Path SHOTS = Path.of("target", "console-screenshots");
  static WebDriver browser;
  static WebDriverWait wait;

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
        "--window-size=1280,900");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
            .build();
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
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
