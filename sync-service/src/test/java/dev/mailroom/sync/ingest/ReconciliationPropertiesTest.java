package dev.mailroom.sync.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.events.MailroomEvent;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * At-least-once delivery cannot change the outcome: for random valid histories of one account (as
 * {@link MailServerModel} emits them), delivering the events with random duplicates and replays of
 * earlier stretches, in random batches, ends in exactly the store that applying each event once
 * makes, and that store holds what the server holds. Runs the real statements ({@link Reconciler})
 * on the real PostgreSQL, in a schema of its own, emptied before each try.
 *
 * <p>Histories are drawn from a {@link Random} with a fixed seed per try, so a failure names the
 * seed that reproduces it ({@code -Dmailroom.property.seed=N} reruns that one try). Set {@code
 * mailroom.property.base-seed} to explore other histories.
 */
class ReconciliationPropertiesTest {

  private static TestDatabase db;
  private final Reconciler reconciler = new Reconciler(64);

  private static final long BASE_SEED = Long.getLong("mailroom.property.base-seed", 20261126L);
  private static final Long ONLY_SEED = Long.getLong("mailroom.property.seed");

  @BeforeAll
  static void migrate() {
    db = TestDatabase.migrated("reconcile_property");
  }

  @AfterAll
  static void close() throws SQLException {
    if (db != null) {
      db.close();
    }
  }

  @Test
  void duplicatesAndReplaysEndInTheStateOfApplyingEachEventOnce() throws SQLException {
    for (long seed : seeds(200)) {
      Random random = new Random(seed);
      duplicatesAndReplaysEndInTheStateOfApplyingEachEventOnce(
          seed, ints(random, 1, 40), ints(random, 0, 12), 1 + random.nextInt(7));
    }
  }

  private void duplicatesAndReplaysEndInTheStateOfApplyingEachEventOnce(
      long seed, List<Integer> operations, List<Integer> deliveries, int batchSize)
      throws SQLException {
    MailServerModel server = new MailServerModel(true);
    operations.forEach(server::run);
    List<MailroomEvent> history = server.history();

    db.truncate();
    for (MailroomEvent event : history) {
      db.applyInOneTransaction(reconciler, List.of(event));
    }
    List<String> once = db.snapshot();

    // The store holds what the server holds: every location with its identity and flags, and no
    // message row that no location holds.
    assertThat(
            db
                .rows(
                    "",
                    """
        select l.mailbox || ' ' || l.uid_validity || ' ' || l.uid || ' ' || m.identity || ' '
               || array_to_string(array(select unnest(l.flags) order by 1), ' ')
        from message_location l join message m on m.id = l.message_ref
        order by l.mailbox, l.uid_validity, l.uid""")
                .stream()
                .map(r -> r.substring(2))
                .map(String::strip)
                .toList())
        .as("seed %d", seed)
        .isEqualTo(server.locations().stream().map(String::strip).toList());
    assertThat(db.count("select count(*) from message"))
        .as("seed %d", seed)
        .isEqualTo(server.messages());

    db.truncate();
    List<MailroomEvent> delivered = deliver(history, deliveries);
    for (int i = 0; i < delivered.size(); i += batchSize) {
      db.applyInOneTransaction(
          reconciler, delivered.subList(i, Math.min(delivered.size(), i + batchSize)));
    }
    assertThat(db.snapshot()).as("seed %d", seed).isEqualTo(once);
  }

  /**
   * Old news never overwrites new, not even for a moment: at any point of a history, delivering an
   * earlier stretch again, or any one earlier event again (a producer's retry after later sends),
   * leaves the store exactly as it was, and the rest of the history then ends where applying each
   * event once ends. (Renaming a mailbox back to a name it had is left out: see Reconciler#rename.)
   */
  @Test
  void replayingAnEarlierStretchChangesNothing() throws SQLException {
    for (long seed : seeds(100)) {
      Random random = new Random(seed);
      replayingAnEarlierStretchChangesNothing(
          seed, ints(random, 1, 40), random.nextInt(10_001), random.nextInt(10_001));
    }
  }

  private void replayingAnEarlierStretchChangesNothing(
      long seed, List<Integer> operations, int cut, int from) throws SQLException {
    MailServerModel server = new MailServerModel(false);
    operations.forEach(server::run);
    List<MailroomEvent> history = server.history();
    int a = cut % (history.size() + 1);
    int b = from % (a + 1);

    db.truncate();
    db.applyInOneTransaction(reconciler, history);
    List<String> once = db.snapshot();

    db.truncate();
    db.applyInOneTransaction(reconciler, history.subList(0, a));
    List<String> beforeReplay = db.snapshot();
    db.applyInOneTransaction(reconciler, history.subList(b, a));
    assertThat(db.snapshot())
        .as("seed %d: replay of events %d..%d of %d", seed, b, a, history.size())
        .isEqualTo(beforeReplay);
    for (int i = 0; i < a; i++) {
      db.applyInOneTransaction(reconciler, List.of(history.get(i)));
      assertThat(db.snapshot())
          .as("seed %d: late duplicate of event %d: %s", seed, i, history.get(i))
          .isEqualTo(beforeReplay);
    }
    db.applyInOneTransaction(reconciler, history.subList(a, history.size()));
    assertThat(db.snapshot()).as("seed %d", seed).isEqualTo(once);
  }

  private static long[] seeds(int tries) {
    return ONLY_SEED != null
        ? new long[] {ONLY_SEED}
        : IntStream.range(0, tries).mapToLong(i -> BASE_SEED + i).toArray();
  }

  /** Between {@code min} and {@code max} integers in 0..10,000: operations or delivery steps. */
  private static List<Integer> ints(Random random, int min, int max) {
    return IntStream.range(0, min + random.nextInt(max - min + 1))
        .mapToObj(i -> random.nextInt(10_001))
        .toList();
  }

  /**
   * What Kafka may hand a consumer for {@code history}: each step reads a few events on, then
   * either goes on, delivers the last one again, or goes back to an earlier offset and reads from
   * there again (a crash before the offset commit, a rebalance, a replay). In the end every event
   * has been read at least once, the last of them after everything before it.
   */
  static List<MailroomEvent> deliver(List<MailroomEvent> history, List<Integer> steps) {
    List<MailroomEvent> out = new ArrayList<>();
    int position = 0;
    for (int step : steps) {
      int advance = 1 + step % 5;
      int end = Math.min(history.size(), position + advance);
      out.addAll(history.subList(position, end));
      position = end;
      switch ((step / 5) % 3) {
        case 0 -> position -= (step / 15) % (position + 1); // replay from an earlier offset
        case 1 -> {
          if (position > 0) {
            out.add(history.get(position - 1)); // a duplicate
          }
        }
        default -> {}
      }
    }
    out.addAll(history.subList(position, history.size()));
    return out;
  }
}
