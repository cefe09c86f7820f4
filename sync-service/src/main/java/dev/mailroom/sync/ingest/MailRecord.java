package dev.mailroom.sync.ingest;

import dev.mailroom.events.EventCodec.MalformedEventException;
import dev.mailroom.events.MailroomEvent;

/**
 * A record of the mail topic as the consumer's poll hands it over ({@link MailRecordDeserializer}):
 * its event, or why it cannot be read, and its bytes as they came, for the dead-letter topic.
 *
 * @param raw the record's value (null for a tombstone)
 * @param event the event, or null when {@code malformed} says why there is none
 */
public record MailRecord(byte[] raw, MailroomEvent event, MalformedEventException malformed) {}
