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
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
KAFKA="${MAILROOM_TEST_KAFKA:?set MAILROOM_TEST_KAFKA}"
HOST="${MAILROOM_TEST_IMAP_HOST:-localhost}"
IMAPS="${MAILROOM_TEST_IMAPS_PORT:?set MAILROOM_TEST_IMAPS_PORT}"
CA="${MAILROOM_TEST_TLS_CA:?set MAILROOM_TEST_TLS_CA}"
PASSWD="${MAILROOM_TEST_DOVECOT_PASSWD:?set MAILROOM_TEST_DOVECOT_PASSWD}"
CONF="${MAILROOM_TEST_DOVECOT_CONF:?set MAILROOM_TEST_DOVECOT_CONF}"
HOME_DIR="${MAILROOM_HOME:?set MAILROOM_HOME}"
APP="${CONNECTOR_APP:-$ROOT/connector-service/target/quarkus-app}"
[ -f "$APP/quarkus-run.jar" ] || (cd "$ROOT" && ./mvnw -B -o -q -pl events,connector-service install -DskipTests)

RUN="bench-catchup-$(date +%s)-$RANDOM"
USER_NAME="$RUN"
PASSWORD="pw-$RANDOM$RANDOM"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

echo "== user $USER_NAME, $N messages in INBOX"
echo "$USER_NAME:{PLAIN}$PASSWORD::::::" >> "$PASSWD"
touch -d "+2 seconds" "$PASSWD"   # Dovecot re-reads the file when its mtime changes
MAILDIR="$HOME_DIR/data/mail/$USER_NAME/Maildir"
python3 "$ROOT/bench/connector/load-maildir.py" "$MAILDIR" "$N" inbox
chown -R nobody:nogroup "$HOME_DIR/data/mail/$USER_NAME"
doveadm -c "$CONF" force-resync -u "$USER_NAME" INBOX
doveadm -c "$CONF" index -u "$USER_NAME" INBOX

KEY_ID=bench-1
KEY=$(head -c 32 /dev/urandom | base64)
export KAFKA_BOOTSTRAP_SERVERS="$KAFKA"
export MAILROOM_TOPIC_ACCOUNTS="$RUN.accounts" MAILROOM_TOPIC_MAIL="$RUN.mail" MAILROOM_TOPIC_CONNECTION="$RUN.connection"
export MAILROOM_OWNERSHIP_GROUP_ID="$RUN" MAILROOM_CREDENTIALS_KEY_ID="$KEY_ID" MAILROOM_CREDENTIALS_KEY="$KEY"
export MAILROOM_IMAP_ALLOWED_PRIVATE_HOSTS="localhost,127.0.0.1" MAILROOM_IMAP_TRUSTED_CA="$CA" QUARKUS_HTTP_PORT=0

CP="$APP/lib/main/*:$APP/app/*"
"$JAVA_HOME/bin/java" -cp "$CP" "$ROOT/bench/connector/Catchup.java" "$KAFKA" "$RUN.accounts" "$RUN.mail" \
  "$KEY_ID" "$KEY" "$HOST" "$IMAPS" "$USER_NAME" "$PASSWORD" "$N" "$APP/quarkus-run.jar" "$WORK/connector.log" \
  > "$WORK/bench.out" 2>&1 || { cat "$WORK/bench.out"; tail -40 "$WORK/connector.log".*; exit 1; }
grep -v -E "^(SLF4J|\[)" "$WORK/bench.out" || true
