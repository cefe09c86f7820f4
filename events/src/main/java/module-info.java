/**
 * The Mailroom contracts. A module so that {@link dev.mailroom.events.MailroomEvent} can be sealed
 * over the topics' event interfaces in other packages (JLS 8.1.6). The services load this jar from
 * the classpath, where it is part of the unnamed module like everything else, and the sealed
 * hierarchy holds there too (JVMS 5.3.5 asks only for one run-time module).
 */
module dev.mailroom.events {
  requires transitive com.fasterxml.jackson.databind; // EventCodec.mapper() returns an ObjectMapper
  requires com.fasterxml.jackson.annotation;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.datatype.jsr310;

  exports dev.mailroom.events;
  exports dev.mailroom.events.account;
  exports dev.mailroom.events.cloudevents;
  exports dev.mailroom.events.command;
  exports dev.mailroom.events.connection;
  exports dev.mailroom.events.crypto;
  exports dev.mailroom.events.mail;
  exports dev.mailroom.events.model;
  exports dev.mailroom.events.outbox;
  exports dev.mailroom.events.search;
  exports dev.mailroom.events.status;
}
