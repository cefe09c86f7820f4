package dev.mailroom.health.restart;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;
import java.util.UUID;

/**
 * The two halves of the restart test run as two Quarkus applications, one after the other, on the
 * same database, topics and consumer group. Quarkus restarts between test profiles and runs them in
 * the order of the profiles' names; the names of the topics come from a JVM-wide property because
 * each application loads the test classes anew.
 */
final class RestartRun {

  private RestartRun() {}

  static String id() {
    return System.getProperties()
        .computeIfAbsent("mailroom.test.restart-run", k -> UUID.randomUUID().toString())
        .toString();
  }

  static Map<String, String> config() {
    return Map.of(
        "mailroom.topic.connection", "health-restart.connection." + id(),
        "mailroom.topic.account-status", "health-restart.account-status." + id(),
        "mp.messaging.incoming.connection.group.id", "health-restart-" + id(),
        // The second application must find what the first one stored.
        "quarkus.flyway.clean-at-start", "false");
  }

  /** Runs first: the streaks begin. */
  public static final class A1BeforeRestart implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return config();
    }
  }

  /** Runs second, in a new application: the streaks go on. */
  public static final class A2AfterRestart implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return config();
    }
  }
}
