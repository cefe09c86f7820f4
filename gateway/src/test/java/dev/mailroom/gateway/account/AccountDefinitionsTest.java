package dev.mailroom.gateway.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

/** The read-back must look in the partition the producer wrote to. */
class AccountDefinitionsTest {

  @Test
  void thePartitionOfAKeyIsTheOneKafkasDefaultPartitionerChooses() {
    for (int partitions : new int[] {1, 3, 6, 12}) {
      for (int i = 0; i < 200; i++) {
        String key = UUID.randomUUID().toString();
        assertThat(AccountDefinitions.partitionOf(key, partitions))
            .isEqualTo(
                BuiltInPartitioner.partitionForKey(
                    key.getBytes(StandardCharsets.UTF_8), partitions));
      }
    }
  }
}
