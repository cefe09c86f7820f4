package dev.mailroom.connector.command;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The partition numbers of the accounts topic this instance holds, as Kafka assigns them to the
 * ownership consumer. The commands topic has the same partition count and the same key, so an
 * account's commands are on the partition with its accounts partition's number: the command
 * consumer reads exactly these, and so only commands for accounts this instance holds.
 */
@ApplicationScoped
public class CommandPartitions {

  private final Set<Integer> held = ConcurrentHashMap.newKeySet();

  public void assigned(Set<Integer> partitions) {
    held.addAll(partitions);
  }

  public void revoked(Set<Integer> partitions) {
    held.removeAll(partitions);
  }

  public Set<Integer> current() {
    return Set.copyOf(held);
  }

  public boolean holds(int partition) {
    return held.contains(partition);
  }
}
