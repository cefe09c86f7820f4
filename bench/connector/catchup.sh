#!/usr/bin/env bash
# Connector benchmark 3, reconnect catch-up, rerunnable against a running local stack: a
# bulk-loaded N-message INBOX (default 100,000) is synced in full through a byte-counting proxy,
# the connector is stopped, 20 changes are made, and the connector is started again; prints the
# bytes read from the server and the time for both. Goal: catch-up < 1% of the full sync's bytes.
# Uses the stack named by the MAILROOM_TEST_* variables (see deploy/README.md), its own topics,
# consumer group and Dovecot user, and stops only the connectors it started.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
N="${BENCH_MESSAGES:-100000}"
source "$ROOT/bench/connector/stack.sh"
APP="${CONNECTOR_APP:-$ROOT/connector-service/target/quarkus-app}"
ensure_app "$APP" "${CONNECTOR_APP:-}" connector-service

RUN="bench-catchup-$(date +%s)-$RANDOM"
USER_NAME="$RUN"
PASSWORD="pw-$RANDOM$RANDOM"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

echo "== user $USER_NAME, $N messages in INBOX"
add_users "$PASSWORD" "$USER_NAME"
load_mailbox "$USER_NAME" INBOX "$N" inbox

KEY_ID=bench-1
KEY=$(head -c 32 /dev/urandom | base64)
export KAFKA_BOOTSTRAP_SERVERS="$KAFKA"
export MAILROOM_TOPIC_ACCOUNTS="$RUN.accounts" MAILROOM_TOPIC_MAIL="$RUN.mail" MAILROOM_TOPIC_CONNECTION="$RUN.connection"
export MAILROOM_OWNERSHIP_GROUP_ID="$RUN" MAILROOM_CREDENTIALS_KEY_ID="$KEY_ID" MAILROOM_CREDENTIALS_KEY="$KEY"
export MAILROOM_IMAP_ALLOWED_PRIVATE_HOSTS="localhost:*,127.0.0.1:*" MAILROOM_IMAP_TRUSTED_CA="$CA" QUARKUS_HTTP_PORT=0

CP="$APP/lib/main/*:$APP/app/*"
"$JAVA_HOME/bin/java" -cp "$CP" "$ROOT/bench/connector/Catchup.java" "$KAFKA" "$RUN.accounts" "$RUN.mail" \
  "$KEY_ID" "$KEY" "$HOST" "$IMAPS" "$USER_NAME" "$PASSWORD" "$N" "$APP/quarkus-run.jar" "$WORK/connector.log" \
  > "$WORK/bench.out" 2>&1 || { cat "$WORK/bench.out"; tail -40 "$WORK/connector.log".*; exit 1; }
grep -v -E "^(SLF4J|\[)" "$WORK/bench.out" || true
