#!/usr/bin/env bash
# Two-way sync benchmark, rerunnable against a running local stack (the MAILROOM_TEST_* variables
# of `./mailroom env`, with Keycloak): a connector, a sync-service and a gateway of this tree on
# topics, consumer groups and a database of their own, a Dovecot user with N messages, and
# Actions.java acting through the gateway with a token of the realm's demo user. Prints, for
# single flag changes and single moves, p50/p99 from the gateway's 202 until a second IMAP client
# sees the change and until sync-service shows the command applied, and the same for one bulk
# move of 1,000 messages. Stops only what it started.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SINGLES="${BENCH_SINGLE_ACTIONS:-100}"
BULK="${BENCH_BULK:-1000}"
source "$ROOT/bench/connector/stack.sh"
PG_URL="${MAILROOM_TEST_PG_URL:?set MAILROOM_TEST_PG_URL}"
[[ "$PG_URL" =~ ^jdbc:postgresql://([^:/]+)(:([0-9]+))?/ ]] || { echo "cannot read MAILROOM_TEST_PG_URL"; exit 1; }
PG_HOST="${BASH_REMATCH[1]}"
PG_PORT="${BASH_REMATCH[3]:-5432}"
KEYCLOAK="${MAILROOM_TEST_KEYCLOAK_URL:?set MAILROOM_TEST_KEYCLOAK_URL}"
export PGUSER=mailroom PGPASSWORD=mailroom
for m in connector-service sync-service gateway; do
  [ -f "$ROOT/$m/target/quarkus-app/quarkus-run.jar" ] || { echo "build first: ./mvnw -B -o -q package -DskipTests"; exit 1; }
done

RUN="bench-actions-$(date +%s)-$RANDOM"
USER_NAME="$RUN"
PASSWORD="pw-$RANDOM$RANDOM"
DB="mailroom_${RUN//-/_}"
TOPICS=("$RUN.mail:3" "$RUN.accounts:3" "$RUN.commands:3" "$RUN.dlq:1" "$RUN.connection:1" "$RUN.account-status:1")
WORK="$(mktemp -d)"
PIDS=()
DB_MADE=""
TOPICS_MADE=""
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  if [ -n "$DB_MADE" ]; then dropdb -h "$PG_HOST" -p "$PG_PORT" --if-exists "$DB" || true; fi
  if [ -n "$TOPICS_MADE" ]; then
    "$JAVA" -cp "$CP" "$ROOT/bench/connector/Bench.java" delete-topics "$KAFKA" "${TOPICS[@]%:*}" >/dev/null 2>&1 || true
  fi
  if [ -n "${BENCH_LOGS:-}" ]; then mkdir -p "$BENCH_LOGS" && cp "$WORK"/*.log "$BENCH_LOGS"/ 2>/dev/null || true; fi
  rm -rf "$HOME_DIR/data/mail/$USER_NAME" "$WORK"
}
trap cleanup EXIT

for m in connector-service sync-service gateway; do cp -a "$ROOT/$m/target/quarkus-app" "$WORK/$m"; done
PG_DRIVER=$(ls "$WORK/sync-service"/lib/main/org.postgresql.postgresql-*.jar)
CP="$WORK/connector-service/lib/main/*:$WORK/connector-service/app/*:$PG_DRIVER"

echo "== user $USER_NAME: $((SINGLES * 2 + BULK)) messages in INBOX"
add_users "$PASSWORD" "$USER_NAME"
sleep 2
load_mailbox "$USER_NAME" INBOX $((SINGLES * 2 + BULK)) bench >/dev/null

"$JAVA" -cp "$CP" "$ROOT/bench/connector/Bench.java" topics "$KAFKA" "${TOPICS[@]}" > "$WORK/topics.log" 2>&1 || {
  cat "$WORK/topics.log"; exit 1; }
TOPICS_MADE=1
createdb -h "$PG_HOST" -p "$PG_PORT" "$DB"
DB_MADE=1
KEY_ID=bench-1
KEY=$(head -c 32 /dev/urandom | base64)
export KAFKA_BOOTSTRAP_SERVERS="$KAFKA"
# Internal endpoints need a service token of the realm (ADR 0007); the gateway gets its own with the
# local realm's dev-only secret, and Actions.java reads sync-service with the same client.
export QUARKUS_OIDC_AUTH_SERVER_URL="$KEYCLOAK/realms/mailroom" BENCH_KEYCLOAK_REALM_URL="$KEYCLOAK/realms/mailroom"
(
  export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PG_HOST:$PG_PORT/$DB" QUARKUS_HTTP_PORT=0
  export MAILROOM_TOPIC_MAIL="$RUN.mail" MAILROOM_TOPIC_ACCOUNTS="$RUN.accounts" MAILROOM_TOPIC_DEAD_LETTER="$RUN.dlq"
  export MAILROOM_TOPIC_COMMANDS="$RUN.commands"
  export MP_MESSAGING_INCOMING_MAIL_GROUP_ID="$RUN.sync" MP_MESSAGING_INCOMING_ACCOUNTS_GROUP_ID="$RUN.sync-accounts"
  export MP_MESSAGING_INCOMING_COMMANDS_GROUP_ID="$RUN.sync-commands"
  exec "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:NewRatio=1 -jar "$WORK/sync-service/quarkus-run.jar"
) > "$WORK/sync.log" 2>&1 &
PIDS+=($!)
export MAILROOM_TOPIC_COMMANDS="$RUN.commands" MAILROOM_COMMANDS_GROUP_ID="$RUN.commands"
start_connector "$RUN" "$WORK/connector-service" "$WORK/connector.log" -Xmx256m -XX:+UseSerialGC -XX:NewRatio=1
PIDS+=("$CONNECTOR_PID")
port_of() {
  for _ in $(seq 1 900); do  # up to 3 minutes: a loaded two-core machine starts Quarkus slowly
    # The gateway logs JSON in prod: the host ends at the first ':' after it.
    p=$(sed -n 's/.*Listening on: http:\/\/[^ :"]*:\([0-9][0-9]*\).*/\1/p' "$1" | head -1 || true)
    [ -n "$p" ] && curl -fs "http://127.0.0.1:$p/q/health/$2" >/dev/null 2>&1 && { echo "$p"; return; }
    sleep 0.2
  done
  echo "not ready: $1" >&2; tail -30 "$1" >&2; exit 1
}
SYNC_URL="http://127.0.0.1:$(port_of "$WORK/sync.log" ready)"
(
  export QUARKUS_HTTP_PORT=0 QUARKUS_OIDC_CLIENT_ID=mailroom-gateway QUARKUS_OIDC_CLIENT_CREDENTIALS_SECRET=mailroom-gateway-dev-secret
  export QUARKUS_REST_CLIENT_SYNC_URL="$SYNC_URL" MAILROOM_ACCOUNTS_TOPIC="$RUN.accounts" MAILROOM_COMMANDS_TOPIC="$RUN.commands"
  export MAILROOM_CREDENTIALS_KEY_ID="$KEY_ID" MAILROOM_CREDENTIALS_KEY="$KEY"
  exec "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:NewRatio=1 -jar "$WORK/gateway/quarkus-run.jar"
) > "$WORK/gateway.log" 2>&1 &
PIDS+=($!)
GATEWAY_URL="http://127.0.0.1:$(port_of "$WORK/gateway.log" live)"
await_connector "$WORK/connector.log"
TOKEN=$(curl -fs -d grant_type=password -d client_id=mailroom-gateway -d client_secret=mailroom-gateway-dev-secret \
  -d username=demo -d password=demo "$KEYCLOAK/realms/mailroom/protocol/openid-connect/token" | jq -r .access_token)
OWNER=$(echo "$TOKEN" | cut -d. -f2 | tr '_-' '/+' | base64 -d 2>/dev/null | jq -r .sub || true)
[ -n "$OWNER" ] && [ "$OWNER" != null ] || { echo "no token from $KEYCLOAK"; exit 1; }
echo "services ready: sync-service $SYNC_URL, gateway $GATEWAY_URL"

MAILROOM_CREDENTIALS_KEY_ID="$KEY_ID" MAILROOM_CREDENTIALS_KEY="$KEY" "$JAVA" -cp "$CP" "$ROOT/bench/actions/Actions.java" \
  "$KAFKA" "$RUN.accounts" "$HOST" "$IMAPS" "$IMAP" "$USER_NAME" "$PASSWORD" "$SYNC_URL" "$GATEWAY_URL" \
  "$TOKEN" "$OWNER" "$SINGLES" "$BULK" > "$WORK/actions.out" 2>&1 || {
  cat "$WORK/actions.out"; echo "-- connector"; tail -30 "$WORK/connector.log"; echo "-- gateway"; tail -30 "$WORK/gateway.log"
  exit 1; }
grep -v -E "^(SLF4J|\[)" "$WORK/actions.out"
