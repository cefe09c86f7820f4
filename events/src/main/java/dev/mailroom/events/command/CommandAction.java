package dev.mailroom.events.command;

/** What a command does. New actions are added within the version; a reader refuses one it does not know. */
public enum CommandAction {
  /** Add and remove flags and keywords ({@link FlagEdit}) on every target. */
  FLAGS
}
