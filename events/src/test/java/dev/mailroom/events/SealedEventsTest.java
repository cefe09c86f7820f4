package dev.mailroom.events;

import static java.util.stream.Collectors.groupingBy;
import static java.util.stream.Collectors.mapping;
import static java.util.stream.Collectors.toSet;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link MailroomEvent} is sealed over one sealed interface per topic, and its records are exactly
 * the types {@link EventType} lists, each under the interface of the topic it travels on: an event
 * type missing from either, or placed under another topic's interface, fails here. The test runs on
 * the classpath, as the services do, so loading the records also shows that the JVM accepts the
 * hierarchy across packages there.
 */
class SealedEventsTest {

  @Test
  void thePermittedEventsAreExactlyTheEventTypes() throws ClassNotFoundException {
    assertThat(MailroomEvent.class.isSealed()).isTrue();
    Set<Class<?>> listed = new HashSet<>();
    for (EventType type : EventType.values()) {
      // Loaded and initialized by name, as a consumer decoding a record does.
      listed.add(Class.forName(type.javaType().getName(), true, getClass().getClassLoader()));
    }
    assertThat(records(MailroomEvent.class)).containsExactlyInAnyOrderElementsOf(listed);
  }

  /** So that a switch names topics: a record directly under MailroomEvent would be a topic. */
  @Test
  void mailroomEventPermitsOnlyTopicInterfacesAndThoseOnlyRecords() {
    for (Class<?> topic : MailroomEvent.class.getPermittedSubclasses()) {
      assertThat(topic.isInterface() && topic.isSealed())
          .as("%s is a sealed interface", topic)
          .isTrue();
      assertThat(topic.getPermittedSubclasses())
          .as("%s permits records only", topic)
          .allMatch(Class::isRecord);
    }
  }

  @Test
  void everyRecordBelongsToExactlyOneTopicInterface() {
    for (EventType type : EventType.values()) {
      assertThat(Arrays.stream(MailroomEvent.class.getPermittedSubclasses()))
          .as("the topic interfaces of %s", type.javaType())
          .filteredOn(topic -> topic.isAssignableFrom(type.javaType()))
          .hasSize(1);
    }
  }

  /** Each interface's records are the types published on one topic, and each topic has one. */
  @Test
  void eachTopicInterfacePermitsExactlyTheTypesOfItsTopic() {
    Map<String, Set<Class<?>>> typesByTopic =
        Arrays.stream(EventType.values())
            .collect(groupingBy(EventType::topic, mapping(EventType::javaType, toSet())));
    Set<String> topicsWithAnInterface = new HashSet<>();
    for (Class<?> topic : MailroomEvent.class.getPermittedSubclasses()) {
      Set<String> topics =
          Arrays.stream(topic.getPermittedSubclasses())
              .map(record -> EventType.of(record.asSubclass(MailroomEvent.class)).topic())
              .collect(toSet());
      assertThat(topics).as("the topics %s's records travel on", topic).hasSize(1);
      String name = topics.iterator().next();
      assertThat(topic.getPermittedSubclasses())
          .as("%s against the types on %s", topic, name)
          .containsExactlyInAnyOrderElementsOf(typesByTopic.get(name));
      assertThat(topicsWithAnInterface.add(name)).as("%s has one interface", name).isTrue();
    }
    assertThat(topicsWithAnInterface).containsExactlyInAnyOrderElementsOf(typesByTopic.keySet());
  }

  @Test
  void theEventsRunInTheUnnamedModuleAsInTheServices() {
    assertThat(MailroomEvent.class.getModule().isNamed()).isFalse();
  }

  /** The leaves of a sealed hierarchy: the permitted records, through sealed sub-interfaces. */
  private static Set<Class<?>> records(Class<?> sealed) {
    Set<Class<?>> leaves = new HashSet<>();
    for (Class<?> permitted : sealed.getPermittedSubclasses()) {
      if (permitted.isSealed()) {
        leaves.addAll(records(permitted));
      } else {
        assertThat(permitted.isRecord()).as("%s is a record", permitted).isTrue();
        leaves.add(permitted);
      }
    }
    return leaves;
  }
}
