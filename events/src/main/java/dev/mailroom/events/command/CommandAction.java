package dev.mailroom.events.command;

/** What a command does. New actions are added within the version; a reader refuses one it does not know. */
public enum CommandAction {
  /** Add and remove flags and keywords ({@link FlagEdit}) on every target. */
  FLAGS,
  /**
   * Move every target to {@link CommandRequested#destination}: RFC 6851 MOVE, else COPY, \Deleted
   * and UID EXPUNGE of those UIDs (RFC 4315); never a plain EXPUNGE.
   */
  MOVE
}
