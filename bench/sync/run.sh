#!/usr/bin/env bash
# Benchmarks sync-service as it runs in production: the packaged jar, fed from Kafka, writing
# PostgreSQL. Applies 100,000 "message added" and then 100,000 flag changes of one account, and
# prints events per second for each, then p95 of the message-list page and conversation calls.
#
# Uses its own topics (bench-sync.*.<timestamp>), consumer groups and database
# (mailroom_sync_bench, dropped and made again), so it can run next to a live stack.
#   KAFKA_BOOTSTRAP_SERVERS  default 127.0.0.1:22092 (or $MAILROOM_TEST_KAFKA)
#   BENCH_PG_HOST/PORT       default 127.0.0.1 / 18432, user and password mailroom
#   BENCH_HTTP_PORT          default 18982
#   BENCH_MESSAGES           default 100000
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
PG_HOST=${BENCH_PG_HOST:-127.0.0.1}
PG_PORT=${BENCH_PG_PORT:-18432}
DB=mailroom_sync_bench
STAMP=$(date +%s)

JAR=sync-service/target/quarkus-app/quarkus-run.jar
if [[ ! -f $JAR || ${BENCH_REBUILD:-0} == 1 ]]; then
  ./mvnw -B -q -o -pl events,sync-service install -DskipTests
fi
CP="sync-service/target/quarkus-app/lib/main/*"

export PGPASSWORD=mailroom
dropdb -h "$PG_HOST" -p "$PG_PORT" -U mailroom --if-exists "$DB"
createdb -h "$PG_HOST" -p "$PG_PORT" -U mailroom "$DB"

export KAFKA_BOOTSTRAP_SERVERS=${KAFKA_BOOTSTRAP_SERVERS:-${MAILROOM_TEST_KAFKA:-127.0.0.1:22092}}
export QUARKUS_OIDC_AUTH_SERVER_URL="${QUARKUS_OIDC_AUTH_SERVER_URL:-${MAILROOM_TEST_KEYCLOAK_URL:-http://127.0.0.1:19080}/realms/mailroom}" # internal endpoints need a service token (ADR 0006)
export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PG_HOST:$PG_PORT/$DB"
export QUARKUS_HTTP_PORT=${BENCH_HTTP_PORT:-18982}
export MAILROOM_TOPIC_MAIL=bench-sync.mail.$STAMP
export MAILROOM_TOPIC_ACCOUNTS=bench-sync.accounts.$STAMP
export MAILROOM_TOPIC_DEAD_LETTER=bench-sync.dlq.$STAMP
export MP_MESSAGING_INCOMING_MAIL_GROUP_ID=bench-sync-$STAMP
export MP_MESSAGING_INCOMING_ACCOUNTS_GROUP_ID=bench-sync-accounts-$STAMP

"$JAVA" -cp "$CP" bench/sync/Bench.java topics "$MAILROOM_TOPIC_MAIL" "$MAILROOM_TOPIC_ACCOUNTS" "$MAILROOM_TOPIC_DEAD_LETTER"

LOG=$(mktemp -t sync-bench.XXXXXX.log)
"$JAVA" -Xmx1g -jar "$JAR" >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$QUARKUS_HTTP_PORT/q/health/ready" >/dev/null 2>&1 && break
  kill -0 $PID 2>/dev/null || { echo "sync-service did not start; see $LOG"; exit 1; }
  sleep 0.5
done
echo "sync-service up (log: $LOG); topics *.$STAMP, database $DB"

"$JAVA" -Dbench.messages="${BENCH_MESSAGES:-100000}" -cp "$CP" bench/sync/Bench.java
