#!/usr/bin/env bash
# Attachment downloads (ADR 0011): a packaged connector with the stack's default heap
# (services.sh: -Xmx256m -XX:+UseSerialGC) streams attachments of BENCH_SIZES MB (default 5, 20
# and 50; random binary, base64 in the message) from Dovecot through GET /internal/attachments,
# each compared by SHA-256 with the original. Prints throughput (BENCH_ROUNDS rounds per size,
# default 3) and, in one more round per size, the connector's live heap during the download (the
# most heap left after a full collection, forced every 200 ms over JMX) against the idle
# connector's: memory follows the 256 KB chunk, not the attachment. Uses the stack named by the
# MAILROOM_TEST_* variables (Kafka, Dovecot, Keycloak with the realm's attachments.read role), its
# own topics and Dovecot user (removed at the end), and stops only what it started.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SIZES="${BENCH_SIZES:-5 20 50}"
ROUNDS="${BENCH_ROUNDS:-3}"
HEAP_OPTS="${BENCH_HEAP_OPTS:--Xmx256m -XX:+UseSerialGC}"   # deploy/scripts/services.sh
KEYCLOAK="${MAILROOM_TEST_KEYCLOAK_URL:?set MAILROOM_TEST_KEYCLOAK_URL}"
source "$ROOT/bench/connector/stack.sh"
CONNECTOR_SRC="${CONNECTOR_APP:-$ROOT/connector-service/target/quarkus-app}"
ensure_app "$CONNECTOR_SRC" "${CONNECTOR_APP:-}" connector-service

RUN="bench-attach-$(date +%s)-$RANDOM"
PASSWORD="pw-$RANDOM$RANDOM"
KEY_ID=bench-1
KEY=$(head -c 32 /dev/urandom | base64)
WORK="$(mktemp -d)"
CONNECTOR_PID=""
stop() { if [ -n "$1" ]; then kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; fi; }
cleanup() {
  stop "$CONNECTOR_PID"
  "$JAVA" -cp "$CP" "$ROOT/bench/connector/Bench.java" delete-topics "$KAFKA" "$RUN.mail" "$RUN.accounts" \
    "$RUN.connection" "$RUN.account-status" "$RUN.commands" "$RUN.search-requests" "$RUN.search-replies" \
    >/dev/null 2>&1 || true
  rm -rf "${HOME_DIR:?}/data/mail/$RUN"
  if [ -n "${BENCH_LOGS:-}" ]; then mkdir -p "$BENCH_LOGS" && cp "$WORK"/*.log "$BENCH_LOGS"/ 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

cp -a "$CONNECTOR_SRC" "$WORK/connector-app"   # a rebuild during the run changes nothing
CP="$WORK/connector-app/lib/main/*:$WORK/connector-app/app/*"
add_users "$PASSWORD" "$RUN"
"$JAVA" -cp "$CP" "$ROOT/bench/connector/Bench.java" topics "$KAFKA" "$RUN.mail:3" "$RUN.accounts:3" \
  "$RUN.connection:3" "$RUN.account-status:1" "$RUN.commands:3" "$RUN.search-requests:1" \
  "$RUN.search-replies:1" > "$WORK/topics.out" 2>&1 || { cat "$WORK/topics.out"; exit 1; }
# Nothing but this run's topics: no shared commands, searches or outbox.
export MAILROOM_TOPIC_COMMANDS="$RUN.commands" MAILROOM_COMMANDS_GROUP_ID="$RUN-commands"
export MAILROOM_TOPIC_SEARCH_REQUESTS="$RUN.search-requests" MAILROOM_TOPIC_SEARCH_REPLIES="$RUN.search-replies"
export MAILROOM_OUTBOX_ENABLED=false
# shellcheck disable=SC2086
start_connector "$RUN" "$WORK/connector-app" "$WORK/connector.log" $HEAP_OPTS -XX:+ExitOnOutOfMemoryError \
  ${BENCH_CONNECTOR_JAVA_OPTS:-}
await_connector "$WORK/connector.log"
PORT=$(sed -n 's/.*Listening on: http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$WORK/connector.log" | head -1)
[ -n "$PORT" ] || { echo "no HTTP port in the connector log"; tail -20 "$WORK/connector.log"; exit 1; }
echo "== connector pid $CONNECTOR_PID on port $PORT ($HEAP_OPTS); attachments of $SIZES MB, user $RUN"
# shellcheck disable=SC2086
"$JAVA" -cp "$CP" "$ROOT/bench/attachments/Download.java" "$KAFKA" "$RUN.accounts" "$HOST" "$IMAPS" "$IMAP" \
  "$RUN" "$PASSWORD" "$KEY_ID" "$KEY" "http://127.0.0.1:$PORT" "$KEYCLOAK" "$CONNECTOR_PID" "$ROUNDS" $SIZES \
  2>&1 | grep -v -E "^(SLF4J|\[)"
if grep -q OutOfMemoryError "$WORK/connector.log"; then echo "connector: OutOfMemoryError"; exit 1; fi
grep "attachment INBOX" "$WORK/connector.log" | sed 's/.*\] ([^)]*) /connector: /' | tail -n "$(echo $SIZES | wc -w)"
