package dev.mailroom.connector.send;

/** What one attempt to send came to. */
sealed interface SendOutcome {

  /**
   * @param reply the server's reply to the end of DATA
   */
  record Accepted(String reply) implements SendOutcome {}

  /**
   * @param permanent a 5xx, or something no retry can fix; else tried again later
   * @param code the server's reply code, 0 when it gave none
   * @param reason the server's own words, or what failed
   */
  record Refused(boolean permanent, int code, String reason) implements SendOutcome {

    static Refused temporary(String reason) {
      return new Refused(false, 0, reason);
    }

    static Refused permanent(String reason) {
      return new Refused(true, 0, reason);
    }
  }
}
