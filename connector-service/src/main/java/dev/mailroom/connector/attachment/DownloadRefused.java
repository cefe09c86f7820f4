package dev.mailroom.connector.attachment;

import java.time.Duration;

/**
 * Why a download could not start, as the HTTP status the gateway acts on: 421 when another instance
 * holds the account (the gateway asks the next), 410 when the message is no longer where the store
 * saw it, 404 when it has no such part, 429 when the account's downloads are all taken, 502 when
 * its server could not be read.
 */
public final class DownloadRefused extends Exception {

  private final int status;
  private final String title;
  private final Duration retryAfter;

  DownloadRefused(int status, String title, String detail, Duration retryAfter) {
    super(detail);
    this.status = status;
    this.title = title;
    this.retryAfter = retryAfter;
  }

  static DownloadRefused notHeld(String detail) {
    return new DownloadRefused(421, "Account not held here", detail, null);
  }

  static DownloadRefused gone(String detail) {
    return new DownloadRefused(410, "Message no longer there", detail, null);
  }

  static DownloadRefused noSuchPart(String detail) {
    return new DownloadRefused(404, "No such part", detail, null);
  }

  static DownloadRefused busy(String detail, Duration retryAfter) {
    return new DownloadRefused(429, "Too many downloads", detail, retryAfter);
  }

  static DownloadRefused serverFailed(String detail) {
    return new DownloadRefused(502, "Mail server could not be read", detail, null);
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** For 429 only; else null. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
