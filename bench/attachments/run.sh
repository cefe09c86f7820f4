#!/usr/bin/env bash
# Attachment downloads (ADR 0011): a packaged connector with the stack's default heap
# (services.sh: -Xmx256m -XX:+UseSerialGC -XX:NewRatio=1) streams attachments of BENCH_SIZES MB (default 5, 20
# and 50; random binary, base64 in the message) from Dovecot through GET /internal/attachments,
# each compared by SHA-256 with the original. Prints throughput (BENCH_ROUNDS rounds per size,
# default 3) and, in one more round per size, the connector's live heap during the download (the
# most heap left after a full collection, forced every 200 ms over JMX) against the idle
# connector's: memory follows the 256 KB chunk, not the attachment. Then the same through the
# packaged gateway (BENCH_GATEWAY=0 skips it; FakeSync.java stands in for sync-service, whose only
# part here is the owner check and the part's place). Uses the stack named by the
# MAILROOM_TEST_* variables (Kafka, Dovecot, Keycloak with the realm's attachments.read role), its
# own topics and Dovecot user (removed at the end), and stops only what it started.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SIZES="${BENCH_SIZES:-5 20 50}"
ROUNDS="${BENCH_ROUNDS:-3}"
HEAP_OPTS="${BENCH_HEAP_OPTS:--Xmx256m -XX:+UseSerialGC -XX:NewRatio=1}"   # deploy/scripts/services.sh
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
GATEWAY_PID=""
SYNC_PID=""
stop() { if [ -n "$1" ]; then kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; fi; }
cleanup() {
  stop "$GATEWAY_PID"
  stop "$SYNC_PID"
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
if [ "${BENCH_GATEWAY:-1}" = 1 ]; then
  # The gateway in front, with FakeSync.java as its store (owner check and the part's place only).
  GATEWAY_SRC="${GATEWAY_APP:-$ROOT/gateway/target/quarkus-app}"
  ensure_app "$GATEWAY_SRC" "${GATEWAY_APP:-}" gateway
  cp -a "$GATEWAY_SRC" "$WORK/gateway-app"
  USER_TOKEN=$(curl -fs -d grant_type=password -d client_id=mailroom-gateway -d client_secret=mailroom-gateway-dev-secret \
    -d username=demo -d password=demo "$KEYCLOAK/realms/mailroom/protocol/openid-connect/token" | jq -r .access_token)
  SUBJECT=$(python3 -c 'import sys,json,base64;p=sys.argv[1].split(".")[1];print(json.loads(base64.urlsafe_b64decode(p+"="*(-len(p)%4)))["sub"])' "$USER_TOKEN")
  "$JAVA" "$ROOT/bench/attachments/FakeSync.java" "$SUBJECT" > "$WORK/fakesync.log" 2>&1 &
  SYNC_PID=$!
  for _ in $(seq 1 100); do grep -q '^port ' "$WORK/fakesync.log" && break; sleep 0.2; done
  SYNC_PORT=$(sed -n 's/^port //p' "$WORK/fakesync.log")
  (
    export QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=0 KAFKA_BOOTSTRAP_SERVERS="$KAFKA"
    export QUARKUS_OIDC_AUTH_SERVER_URL="$KEYCLOAK/realms/mailroom" QUARKUS_OIDC_CLIENT_CREDENTIALS_SECRET=mailroom-gateway-dev-secret
    export QUARKUS_REST_CLIENT_SYNC_URL="http://127.0.0.1:$SYNC_PORT" MAILROOM_ATTACHMENTS_CONNECTORS="http://127.0.0.1:$PORT"
    export MAILROOM_CREDENTIALS_KEY_ID="$KEY_ID" MAILROOM_CREDENTIALS_KEY="$KEY"
    export MAILROOM_ACCOUNTS_TOPIC="$RUN.accounts" MAILROOM_COMMANDS_TOPIC="$RUN.commands" MAILROOM_LIVE_STATUS_TOPIC="$RUN.account-status"
    # shellcheck disable=SC2086
    exec "$JAVA" $HEAP_OPTS -XX:+ExitOnOutOfMemoryError -jar "$WORK/gateway-app/quarkus-run.jar"
  ) > "$WORK/gateway.log" 2>&1 &
  GATEWAY_PID=$!
  for _ in $(seq 1 150); do grep -q "started in" "$WORK/gateway.log" && break; sleep 0.2; done
  GATEWAY_PORT=$(sed -n 's/.*Listening on: http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$WORK/gateway.log" | head -1)
  [ -n "$GATEWAY_PORT" ] || { echo "gateway did not start:"; tail -20 "$WORK/gateway.log"; exit 1; }
  export BENCH_GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT" BENCH_GATEWAY_PID="$GATEWAY_PID"
  echo "== gateway pid $GATEWAY_PID on port $GATEWAY_PORT ($HEAP_OPTS), store: FakeSync.java on $SYNC_PORT"
fi
# shellcheck disable=SC2086
"$JAVA" -cp "$CP" "$ROOT/bench/attachments/Download.java" "$KAFKA" "$RUN.accounts" "$HOST" "$IMAPS" "$IMAP" \
  "$RUN" "$PASSWORD" "$KEY_ID" "$KEY" "http://127.0.0.1:$PORT" "$KEYCLOAK" "$CONNECTOR_PID" "$ROUNDS" $SIZES \
  2>&1 | grep -v -E "^(SLF4J|\[)"
if grep -q OutOfMemoryError "$WORK"/*.log; then echo "OutOfMemoryError:"; grep -l OutOfMemoryError "$WORK"/*.log; exit 1; fi
grep "attachment INBOX" "$WORK/connector.log" | sed 's/.*\] ([^)]*) /connector: /' | tail -n "$(echo $SIZES | wc -w)"
