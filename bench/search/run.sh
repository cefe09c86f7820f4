#!/usr/bin/env bash
# Search benchmark, rerunnable against a running local stack (the MAILROOM_TEST_* variables and
# MAILROOM_HOME of `./mailroom env`, see deploy/README.md): p50/p95 per route for typical queries
# on a realistic corpus (bench/corpus), beside the same search sent straight to Dovecot.
#   - server-fuzzy: a Dovecot user with fts_lucene and SEARCH=FUZZY, searched through
#     search-service -> Kafka -> connector -> Dovecot and back;
#   - local: a user without any index (no SEARCH=FUZZY), searched in search-service's
#     PostgreSQL index, fed by the connector's first sync through the mail topic.
# Uses its own Dovecot users, topics, consumer groups and database (dropped at the end), and
# packaged copies of connector-service and search-service (CONNECTOR_APP / SEARCH_APP).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
N="${BENCH_MESSAGES:-100000}"
REPS="${BENCH_REPS:-30}"            # timed searches per query and route
DIRECT_REPS="${BENCH_DIRECT_REPS:-5}"  # the same search straight to Dovecot (slow without an index)
INDEX_TIMEOUT="${BENCH_INDEX_TIMEOUT:-3600}"
ROUTES="${BENCH_ROUTES:-fuzzy,local}"  # local alone skips the Lucene user (its indexing takes minutes)
source "$ROOT/bench/connector/stack.sh"
# search-service checks bearer tokens against the stack's realm; SearchBench asks it for the gateway's
# service token (docs/adr/0007).
export QUARKUS_OIDC_AUTH_SERVER_URL="${QUARKUS_OIDC_AUTH_SERVER_URL:-${MAILROOM_TEST_KEYCLOAK_URL:-http://127.0.0.1:19080}/realms/mailroom}"
PG_URL="${MAILROOM_TEST_PG_URL:?set MAILROOM_TEST_PG_URL}"
[[ "$PG_URL" =~ ^jdbc:postgresql://([^:/]+)(:([0-9]+))?/ ]] || { echo "cannot read MAILROOM_TEST_PG_URL"; exit 1; }
PG_HOST="${BASH_REMATCH[1]}"
PG_PORT="${BASH_REMATCH[3]:-5432}"
export PGUSER=mailroom PGPASSWORD=mailroom
CONNECTOR_SRC="${CONNECTOR_APP:-$ROOT/connector-service/target/quarkus-app}"
SEARCH_SRC="${SEARCH_APP:-$ROOT/search-service/target/quarkus-app}"
ensure_app "$CONNECTOR_SRC" "${CONNECTOR_APP:-}" connector-service
ensure_app "$SEARCH_SRC" "${SEARCH_APP:-}" search-service

RUN="sbench-$(date +%s)-$RANDOM"
FUZZY_USER="$RUN-fuzzy"
PLAIN_USER="$RUN-plain"
PASSWORD="pw-$RANDOM$RANDOM"
DB="mailroom_${RUN//-/_}"
TOPICS=("$RUN.mail:12" "$RUN.accounts:3" "$RUN.connection:3" "$RUN.account-status:1" "$RUN.search-requests:3" "$RUN.search-replies:3")
WORK="$(mktemp -d)"
CONNECTOR_PID=""
SEARCH_PID=""
DB_MADE=""
TOPICS_MADE=""
stop() { if [ -n "$1" ]; then kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; fi; }
cleanup() {
  stop "$CONNECTOR_PID"
  stop "$SEARCH_PID"
  if [ -n "$DB_MADE" ]; then dropdb -h "$PG_HOST" -p "$PG_PORT" --if-exists "$DB" || true; fi
  if [ -n "$TOPICS_MADE" ]; then
    "$JAVA" -cp "$CP" "$ROOT/bench/connector/Bench.java" delete-topics "$KAFKA" "${TOPICS[@]%:*}" >/dev/null 2>&1 || true
  fi
  if [ -n "${BENCH_LOGS:-}" ]; then mkdir -p "$BENCH_LOGS" && cp "$WORK"/*.log "$BENCH_LOGS"/ 2>/dev/null || true; fi
  rm -rf "$HOME_DIR/data/mail/$FUZZY_USER" "$HOME_DIR/data/mail/$PLAIN_USER" "$WORK"
}
trap cleanup EXIT

cp -a "$CONNECTOR_SRC" "$WORK/connector-app"
cp -a "$SEARCH_SRC" "$WORK/search-app"
PG_DRIVER=$(ls "$WORK"/search-app/lib/main/org.postgresql.postgresql-*.jar)
CP="$WORK/connector-app/lib/main/*:$WORK/connector-app/app/*:$WORK/search-app/app/*:$PG_DRIVER"

echo "== users $FUZZY_USER (fts_lucene, SEARCH=FUZZY) and $PLAIN_USER (no index), a corpus of $N messages each (seed 1)"
L0=$(date +%s.%N)
{
  echo "$FUZZY_USER:{PLAIN}$PASSWORD::::::userdb_fts=lucene userdb_imap_capability=+SEARCH=FUZZY"
  echo "$PLAIN_USER:{PLAIN}$PASSWORD::::::"
} >> "$PASSWD"
touch -d "+2 seconds" "$PASSWD"
[[ "$ROUTES" == *fuzzy* ]] && load_corpus "$FUZZY_USER" "$N" 1   # doveadm index builds the Lucene index too
load_corpus "$PLAIN_USER" "$N" 1 | grep "^corpus" || true
printf "loaded and indexed by Dovecot in %.1f s\n" "$(echo "$(date +%s.%N) - $L0" | bc -l)"

"$JAVA" -cp "$CP" "$ROOT/bench/connector/Bench.java" topics "$KAFKA" "${TOPICS[@]}" > "$WORK/topics.out" 2>&1 || {
  cat "$WORK/topics.out"; exit 1; }
TOPICS_MADE=1
createdb -h "$PG_HOST" -p "$PG_PORT" "$DB"
DB_MADE=1
SEARCH_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
(
  export KAFKA_BOOTSTRAP_SERVERS="$KAFKA" QUARKUS_HTTP_PORT="$SEARCH_PORT" QUARKUS_HTTP_HOST=127.0.0.1
  export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PG_HOST:$PG_PORT/$DB"
  export MAILROOM_TOPIC_MAIL="$RUN.mail" MAILROOM_TOPIC_CONNECTION="$RUN.connection"
  export MAILROOM_TOPIC_SEARCH_REQUESTS="$RUN.search-requests" MAILROOM_TOPIC_SEARCH_REPLIES="$RUN.search-replies"
  export MP_MESSAGING_INCOMING_MAIL_GROUP_ID="$RUN-index" MP_MESSAGING_INCOMING_CONNECTIONS_GROUP_ID="$RUN-caps"
  # The bench measures the route itself: no rate limit, and a deadline far above any search here
  # (the default is 2 s; searches over it are counted from the figures below).
  export MAILROOM_SEARCH_SERVER_PER_MINUTE=1000000 MAILROOM_SEARCH_SERVER_BURST=1000000 MAILROOM_SEARCH_SERVER_DEADLINE=30s
  exec "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:NewRatio=1 -jar "$WORK/search-app/quarkus-run.jar"
) > "$WORK/search.log" 2>&1 &
SEARCH_PID=$!
KEY_ID=bench-1
KEY=$(head -c 32 /dev/urandom | base64)
export MAILROOM_TOPIC_SEARCH_REQUESTS="$RUN.search-requests" MAILROOM_TOPIC_SEARCH_REPLIES="$RUN.search-replies"
start_connector "$RUN" "$WORK/connector-app" "$WORK/connector.log" -Xmx256m -XX:+UseSerialGC -XX:NewRatio=1
await_connector "$WORK/connector.log"
for _ in $(seq 1 150); do grep -q "started in" "$WORK/search.log" && break; sleep 0.2; done
grep -q "started in" "$WORK/search.log" || { echo "search-service did not start:"; tail -30 "$WORK/search.log"; exit 1; }

FUZZY_ID=$(python3 -c 'import uuid; print(uuid.uuid4())')
PLAIN_ID=$(python3 -c 'import uuid; print(uuid.uuid4())')
export MAILROOM_CREDENTIALS_KEY_ID="$KEY_ID" MAILROOM_CREDENTIALS_KEY="$KEY" BENCH_IMAP_PASSWORD="$PASSWORD"
S0=$(date +%s.%N)
ACCOUNTS=("$PLAIN_ID")
TARGETS=("local=$PLAIN_ID:$PLAIN_USER")
if [[ "$ROUTES" == *fuzzy* ]]; then
  "$JAVA" -cp "$CP" "$ROOT/bench/search/SearchBench.java" define "$KAFKA" "$RUN.accounts" "$FUZZY_ID" "$FUZZY_USER" "$HOST" "$IMAPS"
  ACCOUNTS+=("$FUZZY_ID")
  TARGETS=("fuzzy=$FUZZY_ID:$FUZZY_USER" "${TARGETS[@]}")
fi
"$JAVA" -cp "$CP" "$ROOT/bench/search/SearchBench.java" define "$KAFKA" "$RUN.accounts" "$PLAIN_ID" "$PLAIN_USER" "$HOST" "$IMAPS"
echo "== first sync of the accounts into the local index (connector -> mail topic -> search-service)"
"$JAVA" -cp "$CP" "$ROOT/bench/search/SearchBench.java" await-index "jdbc:postgresql://$PG_HOST:$PG_PORT/$DB" "$N" \
  "$INDEX_TIMEOUT" "${ACCOUNTS[@]}"
printf "accounts synced and indexed %.1f s after their definition\n" "$(echo "$(date +%s.%N) - $S0" | bc -l)"
psql -h "$PG_HOST" -p "$PG_PORT" -d "$DB" -Atc "select 'index size: ' || pg_size_pretty(pg_database_size(current_database())) || ', words: ' || (select count(*) from indexed_word)"

echo "== $REPS searches per query and route through search-service ($DIRECT_REPS straight to Dovecot)"
"$JAVA" -cp "$CP" "$ROOT/bench/search/SearchBench.java" run "http://127.0.0.1:$SEARCH_PORT" "$HOST" "$IMAPS" "$CA" \
  "$REPS" "$DIRECT_REPS" "${TARGETS[@]}"
