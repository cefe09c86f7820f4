#!/usr/bin/env bash
# Connector benchmarks 1 and 2, rerunnable against a running local stack:
#   1. first sync of a bulk-loaded account of N messages (the realistic corpus of
#      bench/corpus/corpus.py, in seven folders) until every message is queryable in sync-service,
#      against mbsync pulling the same account and against the floor (Floor.java: the connector's
#      items in one pipelined UID FETCH per mailbox) in the same run (the time until every
#      mailbox's status is on Kafka is printed too);
#   2. flag changes made by another IMAP client in INBOX, Archive, Projekte.Überblick (a
#      subfolder with a non-ASCII name) and "Kunden & Partner" (a space and an ampersand), timed
#      until the store (sync-service's PostgreSQL) shows them, and until their event is on Kafka
#      (p50 / p99 per mailbox).
# Uses the stack named by the MAILROOM_TEST_* variables (see deploy/README.md) with its own
# topics, consumer groups, database and Dovecot user. Runs the packaged connector and
# sync-service from copies taken at the start (CONNECTOR_APP / SYNC_APP name other quarkus-app
# directories), and stops only the processes it started.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
N="${BENCH_MESSAGES:-10000}"
CHANGES="${BENCH_FLAG_CHANGES:-200}"
WARMUP="${BENCH_WARMUP_MESSAGES:-20000}"   # 0: measure fresh JVMs (see README)
WARMUP_ROUNDS="${BENCH_WARMUP_ROUNDS:-6}"  # warm-up accounts synced one after the other (README)
ROUNDS="${BENCH_ROUNDS:-3}"  # measured first syncs (new accounts on the same user); the fastest is compared
MBSYNC_PULLS="${BENCH_MBSYNC_PULLS:-3}"  # mbsync as shipped; the fastest is the baseline
FLOOR_ROUNDS="${BENCH_FLOOR_ROUNDS:-5}"  # Floor.java rounds; the fastest is the floor
source "$ROOT/bench/connector/stack.sh"
PG_URL="${MAILROOM_TEST_PG_URL:?set MAILROOM_TEST_PG_URL}"
[[ "$PG_URL" =~ ^jdbc:postgresql://([^:/]+)(:([0-9]+))?/ ]] || { echo "cannot read host and port from MAILROOM_TEST_PG_URL"; exit 1; }
PG_HOST="${BASH_REMATCH[1]}"
PG_PORT="${BASH_REMATCH[3]:-5432}"
export PGUSER=mailroom PGPASSWORD=mailroom   # the stack's PostgreSQL user, as in sync-service's defaults
CONNECTOR_SRC="${CONNECTOR_APP:-$ROOT/connector-service/target/quarkus-app}"
SYNC_SRC="${SYNC_APP:-$ROOT/sync-service/target/quarkus-app}"
ensure_app "$CONNECTOR_SRC" "${CONNECTOR_APP:-}" connector-service
ensure_app "$SYNC_SRC" "${SYNC_APP:-}" sync-service

RUN="bench-$(date +%s)-$RANDOM"
USER_NAME="$RUN"
WARMUP_USER="$RUN-warmup"
PASSWORD="pw-$RANDOM$RANDOM"
DB="mailroom_${RUN//-/_}"
TOPICS=("$RUN.mail:12" "$RUN.accounts:3" "$RUN.dlq:3" "$RUN.connection:3" "$RUN.account-status:1")
WORK="$(mktemp -d)"
CONNECTOR_PID=""
SYNC_PID=""
DB_MADE=""
TOPICS_MADE=""
stop() { if [ -n "$1" ]; then kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; fi; }
cleanup() {
  stop "$CONNECTOR_PID"
  stop "$SYNC_PID"
  if [ -n "$DB_MADE" ]; then dropdb -h "$PG_HOST" -p "$PG_PORT" --if-exists "$DB" || true; fi
  if [ -n "$TOPICS_MADE" ]; then
    "$JAVA" -cp "$CP" "$ROOT/bench/connector/Bench.java" delete-topics "$KAFKA" "${TOPICS[@]%:*}" >/dev/null 2>&1 || true
  fi
  if [ -n "${BENCH_LOGS:-}" ]; then mkdir -p "$BENCH_LOGS" && cp "$WORK"/*.log "$BENCH_LOGS"/ 2>/dev/null || true; fi
  rm -rf "$HOME_DIR/data/mail/$USER_NAME" "$HOME_DIR/data/mail/$WARMUP_USER" "$WORK"
}
trap cleanup EXIT

# Private copies: the originals may be rebuilt while the bench runs.
cp -a "$CONNECTOR_SRC" "$WORK/connector-app"
cp -a "$SYNC_SRC" "$WORK/sync-app"
CONNECTOR_APP_DIR="$WORK/connector-app"
SYNC_APP_DIR="$WORK/sync-app"
PG_DRIVER=$(ls "$SYNC_APP_DIR"/lib/main/org.postgresql.postgresql-*.jar)
CP="$CONNECTOR_APP_DIR/lib/main/*:$CONNECTOR_APP_DIR/app/*:$PG_DRIVER"

# The mailboxes of benchmark 2: names as the stack's Dovecot has them ("." between levels).
FLAG_BOXES=(INBOX Archive "Projekte.Überblick" "Kunden & Partner")
echo "== user $USER_NAME, a corpus of $N messages (seed 1); flag changes in ${FLAG_BOXES[*]}"
L0=$(date +%s.%N)
USERS=("$USER_NAME")
[ "$WARMUP" -gt 0 ] && USERS+=("$WARMUP_USER")
add_users "$PASSWORD" "${USERS[@]}"
load_corpus "$USER_NAME" "$N" 1
# The warm-up account's mail is another corpus (seed 2): the same mix, other messages.
[ "$WARMUP" -gt 0 ] && load_corpus "$WARMUP_USER" "$WARMUP" 2 | grep "^corpus"
printf "loaded and indexed in %.1f s\n" "$(echo "$(date +%s.%N) - $L0" | bc -l)"
# Dovecot's index holds no BODYSTRUCTURE or ENVELOPE yet: the first client to ask parses every
# message (~5 s more for 10,000 here) and Dovecot caches them. One untimed fetch of the
# connector's items does that for both users, so no contender below pays it, whatever its turn.
for u in "${USERS[@]}"; do
  P0=$(date +%s.%N)
  floor "$u" "$PASSWORD" 1 > "$WORK/prime.out" 2>&1 || { cat "$WORK/prime.out"; exit 1; }
  printf "Dovecot's first fetch of %s (parses and caches every message): %.1f s\n" "$u" "$(echo "$(date +%s.%N) - $P0" | bc -l)"
done

echo "== mbsync pulls every mailbox"
# mbsync_pull <name> <FSync yes|no>: one pull of every mailbox into a Maildir of its own (folder
# names kept as they are on the wire, modified UTF-7; "Verbatim" makes Projekte.Überblick a
# subfolder of Projekte); prints seconds.
mbsync_pull() {
  mkdir -p "$WORK/mbsync-$1/INBOX"
  cat > "$WORK/mbsyncrc-$1" <<RC
FSync $2

IMAPAccount bench
Host $HOST
Port $IMAPS
User $USER_NAME
Pass $PASSWORD
SSLType IMAPS
CertificateFile $CA

IMAPStore bench-far
Account bench

MaildirStore bench-near
Path $WORK/mbsync-$1/
Inbox $WORK/mbsync-$1/INBOX
SubFolders Verbatim

Channel bench
Far :bench-far:
Near :bench-near:
Patterns *
Create Near
Sync Pull
SyncState *
RC
  local t0 t1 got
  t0=$(date +%s.%N)
  mbsync -q -c "$WORK/mbsyncrc-$1" bench
  t1=$(date +%s.%N)
  got=$(find "$WORK/mbsync-$1" -type f \( -path '*/cur/*' -o -path '*/new/*' \) | wc -l)
  [ "$got" -eq "$N" ] || { echo "mbsync pulled $got of $N messages" >&2; exit 1; }
  rm -rf "$WORK/mbsync-$1"
  echo "$t1 - $t0" | bc -l
}
# The baseline is mbsync as it ships (it fsyncs every message), the fastest of three pulls: its
# time follows the disk, and varied twofold between runs here. A pull without fsync is printed
# beside it, for the reader who wants mbsync's IMAP side alone.
# BENCH_MBSYNC_PULLS=0 leaves mbsync out (a quicker run for CPU figures; no mbsync ratio).
if [ "$MBSYNC_PULLS" -gt 0 ]; then
  MBSYNC_RUNS=()
  for i in $(seq 1 "$MBSYNC_PULLS"); do
    MBSYNC_RUNS+=("$(mbsync_pull "run$i" yes)")
    printf "mbsync, pull %d: %d messages in %.2f s\n" "$i" "$N" "${MBSYNC_RUNS[-1]}"
  done
  MBSYNC_S=$(printf "%s\n" "${MBSYNC_RUNS[@]}" | sort -g | head -1)
  MBSYNC_NOFSYNC_S=$(mbsync_pull nofsync no)
  printf "mbsync, FSync no: %d messages in %.2f s\n" "$N" "$MBSYNC_NOFSYNC_S"
  MBSYNC_N=$N
fi

echo "== the floor: the connector's items, one pipelined UID FETCH per mailbox ($FLOOR_ROUNDS rounds)"
floor "$USER_NAME" "$PASSWORD" "$FLOOR_ROUNDS" > "$WORK/floor.out" 2>&1 || { cat "$WORK/floor.out"; exit 1; }
grep -v RESULT "$WORK/floor.out"
FLOOR_S=$(sed -n 's/^RESULT floor .* seconds=\([0-9.]*\).*/\1/p' "$WORK/floor.out")
FLOOR_BYTES=$(sed -n 's/^RESULT floor .* bytes=\([0-9]*\).*/\1/p' "$WORK/floor.out")
FLOOR_MEDIAN_S=$(sed -n 's/^RESULT floor .* median_seconds=\([0-9.]*\).*/\1/p' "$WORK/floor.out")

echo "== sync-service and connector (topics $RUN.*, database $DB)"
"$JAVA" -cp "$CP" "$ROOT/bench/connector/Bench.java" topics "$KAFKA" "${TOPICS[@]}" > "$WORK/topics.out" 2>&1 || {
  cat "$WORK/topics.out"; exit 1; }
TOPICS_MADE=1
createdb -h "$PG_HOST" -p "$PG_PORT" "$DB"
DB_MADE=1
export KAFKA_BOOTSTRAP_SERVERS="$KAFKA"
# Both services run as the stack runs them (deploy/scripts/services.sh); BENCH_*_JAVA_OPTS come
# after, so they can override. With the JVM's defaults (G1, a quarter of the RAM) the services
# spent CPU in G1's concurrent threads that the stack's serial collector does not.
STACK_JAVA_OPTS="-Xmx256m -XX:+UseSerialGC -XX:NewRatio=1"
export QUARKUS_OIDC_AUTH_SERVER_URL="${QUARKUS_OIDC_AUTH_SERVER_URL:-${MAILROOM_TEST_KEYCLOAK_URL:-http://127.0.0.1:19080}/realms/mailroom}" # internal endpoints need a service token (ADR 0006)
(
  export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PG_HOST:$PG_PORT/$DB" QUARKUS_HTTP_PORT=0
  export MAILROOM_TOPIC_MAIL="$RUN.mail" MAILROOM_TOPIC_ACCOUNTS="$RUN.accounts" MAILROOM_TOPIC_DEAD_LETTER="$RUN.dlq"
  export MP_MESSAGING_INCOMING_MAIL_GROUP_ID="$RUN.sync" MP_MESSAGING_INCOMING_ACCOUNTS_GROUP_ID="$RUN.sync-accounts"
  exec "$JAVA" $STACK_JAVA_OPTS ${BENCH_SYNC_JAVA_OPTS:-} -jar "$SYNC_APP_DIR/quarkus-run.jar"
) > "$WORK/sync.log" 2>&1 &
SYNC_PID=$!
KEY_ID=bench-1
KEY=$(head -c 32 /dev/urandom | base64)
# shellcheck disable=SC2086
start_connector "$RUN" "$CONNECTOR_APP_DIR" "$WORK/connector.log" $STACK_JAVA_OPTS ${BENCH_CONNECTOR_JAVA_OPTS:-}
SYNC_URL=""
for _ in $(seq 1 300); do
  kill -0 "$SYNC_PID" 2>/dev/null || break
  if [ -z "$SYNC_URL" ]; then
    SYNC_PORT=$(sed -n 's/.*Listening on: http:\/\/[^ ]*:\([0-9][0-9]*\).*/\1/p' "$WORK/sync.log" | head -1 || true)
    [ -n "$SYNC_PORT" ] && SYNC_URL="http://127.0.0.1:$SYNC_PORT"
  fi
  [ -n "$SYNC_URL" ] && curl -fs "$SYNC_URL/q/health/ready" >/dev/null 2>&1 && break
  sleep 0.2
done
[ -n "$SYNC_URL" ] && curl -fs "$SYNC_URL/q/health/ready" >/dev/null 2>&1 || {
  echo "sync-service is not ready:"; tail -30 "$WORK/sync.log"; exit 1; }
await_connector "$WORK/connector.log"
echo "sync-service ready on $SYNC_URL, connector started"

echo "== first sync and flag changes"
# The stack's broker (the one holding this stack's Kafka data) and every PostgreSQL and Dovecot imap
# process: what a sync costs the rest of the machine, beside the two services.
KAFKA_PID=$(pgrep -f "kafka\.Kafka .*$MAILROOM_HOME" | head -1)
CPU_PIDS="connector:$CONNECTOR_PID,sync-service:$SYNC_PID,postgres:comm=postgres,dovecot imap:comm=imap"
[ -n "$KAFKA_PID" ] && CPU_PIDS="$CPU_PIDS,kafka:$KAFKA_PID"
BENCH_CPU_PIDS="$CPU_PIDS" BENCH_WARMUP_USER="$WARMUP_USER" BENCH_WARMUP_MESSAGES="$WARMUP" BENCH_WARMUP_ROUNDS="$WARMUP_ROUNDS" BENCH_ROUNDS="$ROUNDS" BENCH_IMAP_PASSWORD="$PASSWORD" MAILROOM_CREDENTIALS_KEY_ID="$KEY_ID" MAILROOM_CREDENTIALS_KEY="$KEY" \
  "$JAVA" -cp "$CP" "$ROOT/bench/connector/Bench.java" "$KAFKA" "$RUN.accounts" "$RUN.mail" \
  "$HOST" "$IMAPS" "$USER_NAME" "$N" "$CHANGES" "$SYNC_URL" "jdbc:postgresql://$PG_HOST:$PG_PORT/$DB" \
  "${FLAG_BOXES[@]}" > "$WORK/bench.out" 2>&1 || {
  cat "$WORK/bench.out"; echo "-- connector log"; tail -40 "$WORK/connector.log"
  echo "-- sync-service log"; tail -40 "$WORK/sync.log"; exit 1; }
OUT=$(grep -v -E "^(SLF4J|org\.slf4j|\[)" "$WORK/bench.out" || true)
echo "$OUT" | grep -v RESULT || true
result() { echo "$OUT" | sed -n "s/^RESULT $1.* $2=\([-0-9.]*\).*/\1/p" | head -1; }
KAFKA_S=$(result connector_first_sync kafka_seconds)
QUERY_S=$(result connector_first_sync queryable_seconds)
STORED_N=$(result connector_first_sync messages)
MEDIAN_S=$(result connector_first_sync median_queryable_seconds)
if [ "$MBSYNC_PULLS" -gt 0 ]; then
  RATIO=$(echo "$QUERY_S / $MBSYNC_S" | bc -l)
  MEDIAN_RATIO=$(echo "$MEDIAN_S / $MBSYNC_S" | bc -l)
else
  MBSYNC_S=0 MBSYNC_NOFSYNC_S=0 MBSYNC_N=0 RATIO=0 MEDIAN_RATIO=0
fi
FLOOR_RATIO=$(echo "$QUERY_S / $FLOOR_S" | bc -l)
KAFKA_FLOOR_RATIO=$(echo "$KAFKA_S / $FLOOR_S" | bc -l)
MEDIAN_FLOOR_RATIO=$(echo "$MEDIAN_S / $FLOOR_MEDIAN_S" | bc -l)
goal() { [ "$(echo "$1 <= $2" | bc -l)" = 1 ] && echo met || echo NOT met; }
echo "== summary"
printf "first sync of an account of %d messages (corpus seed 1, all folders)\n" "$N"
if [ "$MBSYNC_PULLS" -gt 0 ]; then
  printf "  %-48s %8.2f s %6.0f msg/s\n" "mbsync (as shipped, fastest of $MBSYNC_PULLS pulls)" "$MBSYNC_S" "$(echo "$MBSYNC_N / $MBSYNC_S" | bc -l)"
  printf "  %-48s %8.2f s %6.0f msg/s\n" "mbsync with FSync no (for reference)" "$MBSYNC_NOFSYNC_S" "$(echo "$MBSYNC_N / $MBSYNC_NOFSYNC_S" | bc -l)"
fi
printf "  %-48s %8.2f s %6.0f msg/s  %s bytes\n" "floor, fastest of $FLOOR_ROUNDS" "$FLOOR_S" "$(echo "$N / $FLOOR_S" | bc -l)" "$FLOOR_BYTES"
printf "  %-48s %8.2f s %6.0f msg/s\n" "connector, until on Kafka (last mailbox status)" "$KAFKA_S" "$(echo "$N / $KAFKA_S" | bc -l)"
printf "  %-48s %8.2f s %6.0f msg/s\n" "connector, until queryable, fastest of $ROUNDS" "$QUERY_S" "$(echo "$STORED_N / $QUERY_S" | bc -l)"
printf "  %-48s %8.2f s %6.0f msg/s\n" "connector, until queryable, median of $ROUNDS" "$MEDIAN_S" "$(echo "$N / $MEDIAN_S" | bc -l)"
WARM_S=$(result warmup queryable_seconds)
if [ -n "$WARM_S" ]; then
  printf "  %-48s %8.2f s %6.0f msg/s\n" "fresh services, warm-up account ($WARMUP msgs)" "$WARM_S" "$(echo "$WARMUP / $WARM_S" | bc -l)"
  echo "  (the connector rows above ran on services warmed by that account, as in production)"
fi
[ "$MBSYNC_PULLS" -gt 0 ] && printf "  %-48s %8.2f   (goal <= 0.5): %s\n" "connector (until queryable) / mbsync, fastest" "$RATIO" "$(goal "$RATIO" 0.5)"
printf "  %-48s %8.2f   (goal <= 4): %s\n" "connector (until queryable) / floor, fastest" "$FLOOR_RATIO" "$(goal "$FLOOR_RATIO" 4)"
[ "$MBSYNC_PULLS" -gt 0 ] && printf "  %-48s %8.2f\n" "connector median / mbsync fastest" "$MEDIAN_RATIO"
printf "  %-48s %8.2f   (floor median %.2f s)\n" "connector median / floor median" "$MEDIAN_FLOOR_RATIO" "$FLOOR_MEDIAN_S"
printf "  %-48s %8.2f\n" "connector until on Kafka / floor" "$KAFKA_FLOOR_RATIO"
echo "flag change until the store shows it, $CHANGES per mailbox (goal: p99 < 1000 ms)"
for box in "${FLAG_BOXES[@]}"; do
  KEY="flags_$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote_plus(sys.argv[1]))' "$box")"
  P50=$(result "$KEY" store_p50_ms); P99=$(result "$KEY" store_p99_ms)
  MAX=$(result "$KEY" store_max_ms); MISSED=$(result "$KEY" missed)
  K99=$(result "$KEY" kafka_p99_ms)
  printf "  %-18s p50 %5s ms  p99 %5s ms  max %5s ms  missed %s  (on Kafka: p99 %s ms): %s\n" "$box" "$P50" "$P99" "$MAX" \
    "$MISSED" "$K99" "$([ "$MISSED" = 0 ] && [ "$P99" -ge 0 ] && [ "$P99" -lt 1000 ] && echo met || echo NOT met)"
done
printf "RESULT first_sync messages=%d mbsync_seconds=%.3f mbsync_nofsync_seconds=%.3f floor_seconds=%.3f connector_kafka_seconds=%s connector_queryable_seconds=%s ratio=%.3f floor_ratio=%.3f connector_median_queryable_seconds=%s median_ratio=%.3f floor_median_seconds=%s median_floor_ratio=%.3f rounds=%d\n" \
  "$N" "$MBSYNC_S" "$MBSYNC_NOFSYNC_S" "$FLOOR_S" "$KAFKA_S" "$QUERY_S" "$RATIO" "$FLOOR_RATIO" "$MEDIAN_S" "$MEDIAN_RATIO" "$FLOOR_MEDIAN_S" "$MEDIAN_FLOOR_RATIO" "$ROUNDS"
echo "$OUT" | grep "^RESULT flags_" || true
