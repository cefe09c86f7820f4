package dev.mailroom.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link MailroomEvent} is sealed, and its records are exactly the types {@link EventType} lists:
 * an event type missing from either fails here. The test runs on the classpath, as the services do,
 * so loading the records also shows that the JVM accepts the hierarchy across packages there.
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
