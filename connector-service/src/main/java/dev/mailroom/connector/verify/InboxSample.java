package dev.mailroom.connector.verify;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one host shows of an account's INBOX: its UIDVALIDITY and the Message-IDs of some messages
 * by UID. A message without a Message-ID header maps to null.
 */
record InboxSample(long uidValidity, SortedMap<Long, String> messageIdsByUid) {

  InboxSample {
    messageIdsByUid = Collections.unmodifiableSortedMap(new TreeMap<>(messageIdsByUid));
  }
}
