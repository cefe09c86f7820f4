package dev.mailroom.e2e;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementNotInteractableException;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** How ConsoleIT works the console's page: with the keyboard, and waiting on conditions only. */
final class ConsolePage {

  static WebDriver browser;

  private ConsolePage() {}

  /** A wait of its own (a shared one would keep another step's timeout or polling). */
  static WebDriverWait waitUp(int seconds) {
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(seconds));
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  /**
   * Presses a button with the keyboard; the page re-renders often, so a stale one is found again,
   * and one that the browser would not yet take keys on (a list being replaced by the live refresh
   * as the key is sent) is tried again until the wait runs out.
   */
  static void press(By by) {
    waitUp(30)
        .ignoring(ElementNotInteractableException.class)
        .until(
            d -> {
              WebElement button = d.findElement(by);
              if (!button.isDisplayed() || !button.isEnabled()) {
                return false;
              }
              button.sendKeys(Keys.ENTER);
              return true;
            });
  }

  /** A button of the open message's toolbar, by its exact text. */
  static By action(String text) {
    return By.xpath("//article[@id='message']//button[normalize-space(.)='" + text + "']");
  }

  /** The list entry of a message, once the live list shows it; its id is data-message. */
  static String openFromList(String subject) {
    By entry = By.xpath("//ul[@id='messages']//button[contains(., '" + subject + "')]");
    waitUp(60).until(ExpectedConditions.visibilityOfElementLocated(entry));
    String id = waitUp(30).until(d -> d.findElement(entry).getAttribute("data-message"));
    press(entry);
    waitUp(30)
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#message h3"), subject));
    return id;
  }

  /** Waits, without a fixed sleep, until the store shows the server's state of the message. */
  static void awaitServer(String accountId, String messageId, String mailbox, String... flags) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                ConsoleChecks.settled(ConsoleChecks.message(accountId, messageId), mailbox, flags));
  }

  static String notice() {
    return browser.findElement(By.id("notice")).getText();
  }
}
