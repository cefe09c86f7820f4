package dev.mailroom.sync.ingest;

import static dev.mailroom.sync.StoreFixtures.added;
import static dev.mailroom.sync.StoreFixtures.flags;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.command.CommandAction;
import dev.mailroom.events.command.CommandRequested;
import dev.mailroom.events.mail.CommandApplied;
import dev.mailroom.events.model.AccountId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Writers of changes cannot deadlock on the accounts' change-log locks ({@code ChangeLocks}), and
 * an account's change numbers still commit in their order. Real statements on the real PostgreSQL:
 * a third transaction holds rows the writers need, so they overlap at the worst moment (each has
 * written one account and is about to write the other), then lets them go. Without the locks taken
 * up front, PostgreSQL breaks the cycle after {@code deadlock_timeout} with SQLSTATE 40P01, which
 * the gateway's send request would have answered with a 503.
 */
class ChangeLockOrderTest {

  private static TestDatabase db;
  private final Reconciler reconciler = new Reconciler(64);
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @BeforeAll
  static void migrate() {
    db = TestDatabase.migrated("change_lock_order");
  }

  @AfterAll
  static void close() throws SQLException {
    if (db != null) {
      db.close();
    }
  }

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  @Test
  void twoBatchesChangingTwoAccountsInOppositeOrderBothCommitInEachAccountsOrder()
      throws Exception {
    AccountId a = AccountId.random();
    AccountId b = AccountId.random();
    db.applyInOneTransaction(
        reconciler,
        List.of(
            added(a, "INBOX", 1, "a1", 1),
            added(a, "INBOX", 2, "a2", 2),
            added(b, "INBOX", 1, "b1", 1),
            added(b, "INBOX", 2, "b2", 2)));
    long before = db.count("select max(seq) from change_log");

    try (Connection blocker = db.connect();
        Connection first = db.connect();
        Connection second = db.connect()) {
      blocker.setAutoCommit(false);
      // What each batch writes second: [A, B] stops at B's row, [B, A] at A's.
      hold(blocker, b, 1);
      hold(blocker, a, 2);
      int abPid = pid(first);
      int baPid = pid(second);
      Future<?> ab = inTransaction(first, () -> apply(first, List.of(seen(a, 1), seen(b, 1))));
      Future<?> ba = inTransaction(second, () -> apply(second, List.of(seen(b, 2), seen(a, 2))));
      awaitWaiting(abPid);
      awaitWaiting(baPid);
      List<Integer> waitingForTheOther =
          db
              .rows(
                  "",
                  "select pid from pg_stat_activity where wait_event = 'advisory' and pid in ("
                      + abPid
                      + ", "
                      + baPid
                      + ")")
              .stream()
              .map(row -> Integer.parseInt(row.substring(2)))
              .toList();
      blocker.commit();

      ab.get(20, TimeUnit.SECONDS); // an ExecutionException with SQLSTATE 40P01 without the locks
      ba.get(20, TimeUnit.SECONDS);

      // One batch took both accounts' locks, the other waited for them (holding no row): its
      // changes are numbered after the first one's in both accounts.
      assertThat(waitingForTheOther).hasSize(1);
      List<String> inOrder =
          waitingForTheOther.getFirst() == baPid ? List.of("1", "2") : List.of("2", "1");
      assertThat(uidsChanged(a, before)).isEqualTo(inOrder);
      assertThat(uidsChanged(b, before)).isEqualTo(inOrder);
    }
  }

  @Test
  void aCommandRequestWaitsForTheBatchThatWritesItsOutcome() throws Exception {
    AccountId a = AccountId.random();
    db.applyInOneTransaction(
        reconciler, List.of(added(a, "INBOX", 1, "a1", 1), added(a, "INBOX", 2, "a2", 2)));
    long before = db.count("select max(seq) from change_log");
    String commandId = UUID.randomUUID().toString();

    try (Connection blocker = db.connect();
        Connection mail = db.connect();
        Connection commands = db.connect()) {
      blocker.setAutoCommit(false);
      hold(blocker, a, 2);
      int mailPid = pid(mail);
      int commandsPid = pid(commands);
      // The batch holds the account's lock and waits for the row before it writes the outcome.
      Future<?> batch =
          inTransaction(
              mail,
              () ->
                  apply(
                      mail,
                      List.of(
                          seen(a, 1),
                          seen(a, 2),
                          new CommandApplied(a, commandId, 1, 0, Instant.now()))));
      awaitWaiting(mailPid);
      // Meanwhile the commands consumer reads the request (the connector applied it already).
      Future<?> request =
          inTransaction(
              commands,
              () -> {
                CommandSql.request(
                    commands,
                    new CommandRequested(
                        a,
                        commandId,
                        CommandAction.FLAGS,
                        List.of(),
                        null,
                        null,
                        null,
                        "key-1",
                        "owner",
                        Instant.now()));
                return null;
              });
      awaitWaiting(commandsPid);
      blocker.commit();

      batch.get(20, TimeUnit.SECONDS); // 40P01 when the request had written its row first
      request.get(20, TimeUnit.SECONDS);

      assertThat(
              db.rows(
                  "", "select status || ' ' || action from command where id = '" + commandId + "'"))
          .containsExactly(": applied FLAGS");
      // The request read after its outcome says nothing new.
      assertThat(
              db.rows(
                  "",
                  "select kind from change_log where account_id = '"
                      + a.value()
                      + "' and seq > "
                      + before
                      + " order by seq"))
          .containsExactly(": message.changed", ": message.changed", ": command.applied");
    }
  }

  private static MailroomEvent seen(AccountId account, long uid) {
    return flags(account, "INBOX", 7, uid, 100 + uid, "\\Seen");
  }

  private Void apply(Connection c, List<MailroomEvent> batch) throws SQLException {
    reconciler.apply(c, batch);
    return null;
  }

  private Future<?> inTransaction(Connection c, Callable<Void> work) {
    return threads.submit(
        () -> {
          c.setAutoCommit(false);
          work.call();
          c.commit();
          return null;
        });
  }

  /** Locks the location's row, as another writer of it would. */
  private static void hold(Connection c, AccountId account, long uid) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "select 1 from message_location where account_id = ? and uid = ? for update")) {
      s.setObject(1, account.value());
      s.setLong(2, uid);
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).isTrue();
      }
    }
  }

  private static int pid(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Until the backend waits for a lock (a row's or an advisory one). */
  private static void awaitWaiting(int pid) {
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                db.count(
                        "select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                            + " and pid = "
                            + pid)
                    == 1);
  }

  private static List<String> uidsChanged(AccountId account, long after) throws SQLException {
    return db
        .rows(
            "",
            "select uid from change_log where kind = 'message.changed' and account_id = '"
                + account.value()
                + "' and seq > "
                + after
                + " order by seq")
        .stream()
        .map(row -> row.substring(2))
        .toList();
  }
}
