package dev.mailroom.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TopicsTest {

  /** The scripts create topics from deploy/topics.conf; the code names them here. */
  @Test
  void deployTopicListMatchesTheContracts() throws IOException {
    Path conf = Path.of(System.getProperty("mailroom.repo.root", ".."), "deploy", "topics.conf");
    var declared =
        Files.readAllLines(conf).stream()
            .map(String::strip)
            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
            .map(line -> line.split("\\s+")[0])
            .toList();
    assertThat(declared).containsExactlyInAnyOrderElementsOf(Topics.ALL);
  }

  @Test
  void everyEventTypeTravelsOnAKnownTopic() {
    assertThat(Arrays.stream(EventType.values()).map(EventType::topic))
        .allMatch(Topics.ALL::contains);
  }
}
