#!/usr/bin/env bash
# Plain-server benchmark, rerunnable: what the connector costs a server without CONDSTORE,
# QRESYNC or NOTIFY (commands and bytes per minute for one account with nothing changing), and
# how late a \Flagged set by another client arrives (goal < 10 s for folders of 10,000 messages).
#   BENCH_SERVER=greenmail  GreenMail 2.1 in the bench's JVM (IDLE, no CONDSTORE); the default
#   BENCH_SERVER=dovecot    the stack's Dovecot, a user with imap_capability=IMAP4rev1 (no IDLE,
#                           no NOTIFY, no CONDSTORE): every folder, INBOX too, is swept and probed
# Needs MAILROOM_TEST_KAFKA (and for dovecot the stack's MAILROOM_TEST_* and MAILROOM_HOME, see
# deploy/README.md). Uses its own topics and consumer group; stops only the connector it started.
# The connector runs from connector-service/target/quarkus-app (or CONNECTOR_APP): package it
# first (./mvnw -pl events,connector-service package -DskipTests) so that it holds your sources.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
MODE="${BENCH_SERVER:-greenmail}"
# GreenMail's first sync slows down with the folder size (minutes for 10,000): 2,000 by default.
if [ "$MODE" = greenmail ]; then N="${BENCH_MESSAGES:-2000}"; else N="${BENCH_MESSAGES:-10000}"; fi
IDLE_SECONDS="${BENCH_IDLE_SECONDS:-60}"
FLAG_CHANGES="${BENCH_FLAG_CHANGES:-12}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
KAFKA="${MAILROOM_TEST_KAFKA:?set MAILROOM_TEST_KAFKA}"
APP="${CONNECTOR_APP:-$ROOT/connector-service/target/quarkus-app}"
[ -f "$APP/quarkus-run.jar" ] || { echo "no quarkus-run.jar in $APP: package connector-service first"; exit 1; }
GREENMAIL_JAR="$HOME/.m2/repository/com/icegreen/greenmail/2.1.13/greenmail-2.1.13.jar"
[ -f "$GREENMAIL_JAR" ] || (cd "$ROOT" && ./mvnw -B -q dependency:get -Dartifact=com.icegreen:greenmail:2.1.13)

RUN="bench-plain-$(date +%s)-$RANDOM"
USER_NAME="$RUN"
PASSWORD="pw-$RANDOM$RANDOM"
WORK="$(mktemp -d)"
HOST=127.0.0.1
PORT=0
cleanup() {
  rm -rf "$WORK"
  if [ "$MODE" = dovecot ]; then rm -rf "${MAILROOM_HOME:?}/data/mail/$USER_NAME"; fi
}
trap cleanup EXIT

if [ "$MODE" = dovecot ]; then
  source "$ROOT/bench/connector/stack.sh"
  HOST="$MAILROOM_TEST_IMAP_HOST"
  PORT="$MAILROOM_TEST_IMAP_PORT"
  # One passwd-file line with a userdb extra field: this user alone sees a plain IMAP4rev1 server.
  echo "$USER_NAME:{PLAIN}$PASSWORD::::::userdb_imap_capability=IMAP4rev1" >> "$PASSWD"
  touch -d "+2 seconds" "$PASSWD"
  for box in INBOX Archive Sent Trash Drafts; do
    case $box in INBOX|Archive) c=$N ;; Sent) c=$((N / 5)) ;; Trash) c=$((N / 50)) ;; Drafts) c=5 ;; esac
    load_mailbox "$USER_NAME" "$box" "$c" "$(echo "$box" | tr 'A-Z' 'a-z')" > /dev/null
    # Flags as in a folder in use (GreenMail gets the same): 95% read, 1 in 7 answered, 1 in 97
    # flagged. The probe's SEARCH answers grow with these; a folder without flags costs less.
    if [ "$c" -ge 20 ]; then
      doveadm -c "$CONF" flags add -u "$USER_NAME" '\Seen' mailbox "$box" uid "1:$((c * 95 / 100))"
      doveadm -c "$CONF" flags add -u "$USER_NAME" '\Answered' mailbox "$box" uid "1:$((c / 7))"
      doveadm -c "$CONF" flags add -u "$USER_NAME" '\Flagged' mailbox "$box" uid "1:$((c / 97))"
    fi
  done
fi

KEY_ID=bench-1
KEY=$(head -c 32 /dev/urandom | base64)
export KAFKA_BOOTSTRAP_SERVERS="$KAFKA"
export MAILROOM_TOPIC_ACCOUNTS="$RUN.accounts" MAILROOM_TOPIC_MAIL="$RUN.mail" MAILROOM_TOPIC_CONNECTION="$RUN.connection"
export MAILROOM_OWNERSHIP_GROUP_ID="$RUN" MAILROOM_CREDENTIALS_KEY_ID="$KEY_ID" MAILROOM_CREDENTIALS_KEY="$KEY"
export MAILROOM_IMAP_ALLOWED_PRIVATE_HOSTS="localhost:*,127.0.0.1:*" QUARKUS_HTTP_PORT=0
# The production intervals unless overridden (application.properties).
echo "intervals: poll ${MAILROOM_IMAP_POLL_INTERVAL:-2s}, flag probe ${MAILROOM_IMAP_FLAG_PROBE_INTERVAL:-5s}," \
  "full scan ${MAILROOM_IMAP_FULL_SCAN_INTERVAL:-10m}"

CP="$APP/lib/main/*:$APP/app/*:$GREENMAIL_JAR"
"$JAVA_HOME/bin/java" -cp "$CP" "$ROOT/bench/connector/plain-server/PlainServer.java" "$MODE" "$KAFKA" \
  "$RUN.accounts" "$RUN.mail" "$KEY_ID" "$KEY" "$HOST" "$PORT" "$USER_NAME" "$PASSWORD" "$N" \
  "$APP/quarkus-run.jar" "$WORK/connector.log" "$IDLE_SECONDS" "$FLAG_CHANGES" \
  > "$WORK/bench.out" 2>&1 || { cat "$WORK/bench.out"; tail -40 "$WORK/connector.log"; exit 1; }
grep -v -E "^(SLF4J|\[|WARNING)" "$WORK/bench.out" || true
