#!/usr/bin/env bash
# Connector benchmarks 1 and 2, rerunnable against a running local stack:
#   1. first sync of a bulk-loaded N-message INBOX until every message is on Kafka, against
#      mbsync pulling the same mailbox in the same run;
#   2. flag changes made by another IMAP client in INBOX and in Archive, timed until their
#      event is on Kafka (p50 / p99 per mailbox).
# Uses the stack named by the MAILROOM_TEST_* variables (see deploy/README.md), its own topics,
# consumer group and Dovecot user, and stops only the connector it started.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
N="${BENCH_MESSAGES:-10000}"
CHANGES="${BENCH_FLAG_CHANGES:-200}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
KAFKA="${MAILROOM_TEST_KAFKA:?set MAILROOM_TEST_KAFKA}"
HOST="${MAILROOM_TEST_IMAP_HOST:-localhost}"
IMAPS="${MAILROOM_TEST_IMAPS_PORT:?set MAILROOM_TEST_IMAPS_PORT}"
CA="${MAILROOM_TEST_TLS_CA:?set MAILROOM_TEST_TLS_CA}"
PASSWD="${MAILROOM_TEST_DOVECOT_PASSWD:?set MAILROOM_TEST_DOVECOT_PASSWD}"
CONF="${MAILROOM_TEST_DOVECOT_CONF:?set MAILROOM_TEST_DOVECOT_CONF}"
HOME_DIR="${MAILROOM_HOME:?set MAILROOM_HOME}"
APP="$ROOT/connector-service/target/quarkus-app"
[ -f "$APP/quarkus-run.jar" ] || (cd "$ROOT" && ./mvnw -B -o -q -pl events,connector-service install -DskipTests)

RUN="bench-$(date +%s)-$RANDOM"
USER_NAME="$RUN"
PASSWORD="pw-$RANDOM$RANDOM"
WORK="$(mktemp -d)"
CONNECTOR_PID=""
cleanup() {
  if [ -n "$CONNECTOR_PID" ]; then kill "$CONNECTOR_PID" 2>/dev/null || true; wait "$CONNECTOR_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== user $USER_NAME, $N messages in INBOX, $CHANGES in Archive"
echo "$USER_NAME:{PLAIN}$PASSWORD::::::" >> "$PASSWD"
touch -d "+2 seconds" "$PASSWD"   # Dovecot re-reads the file when its mtime changes
MAILDIR="$HOME_DIR/data/mail/$USER_NAME/Maildir"
python3 - "$MAILDIR" "$N" "$CHANGES" <<'PY'
import os, sys, time
root, n, archive = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
body = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 30 + "\r\n") * 2
def load(d, count, tag):
    cur = os.path.join(d, "cur"); os.makedirs(cur, exist_ok=True)
    for sub in ("new", "tmp"): os.makedirs(os.path.join(d, sub), exist_ok=True)
    now = int(time.time())
    for i in range(count):
        msg = (f"From: Sender {i % 50} <s{i % 50}@example.com>\r\nTo: bench@example.com\r\n"
               f"Subject: {tag} message {i}\r\nMessage-ID: <{tag}-{i}-{now}@bench>\r\n"
               f"Date: Thu, 26 Nov 2026 06:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}")
        with open(os.path.join(cur, f"{now - count + i}.b{i}.bench:2,"), "w") as f: f.write(msg)
load(root, n, "inbox")
load(os.path.join(root, ".Archive"), archive, "archive")
PY
chown -R nobody:nogroup "$HOME_DIR/data/mail/$USER_NAME"
for box in INBOX Archive; do
  doveadm -c "$CONF" force-resync -u "$USER_NAME" "$box"
  doveadm -c "$CONF" index -u "$USER_NAME" "$box"
done

echo "== mbsync pulls INBOX"
mkdir -p "$WORK/mbsync/INBOX"
cat > "$WORK/mbsyncrc" <<RC
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
Path $WORK/mbsync/
Inbox $WORK/mbsync/INBOX

Channel bench
Far :bench-far:
Near :bench-near:
Patterns INBOX
Create Near
Sync Pull
SyncState *
RC
T0=$(date +%s.%N)
mbsync -q -c "$WORK/mbsyncrc" bench
T1=$(date +%s.%N)
MBSYNC_S=$(echo "$T1 - $T0" | bc -l)
MBSYNC_N=$(find "$WORK/mbsync/INBOX/cur" "$WORK/mbsync/INBOX/new" -type f | wc -l)
printf "mbsync: %d messages in %.2f s (%.0f msg/s)\n" "$MBSYNC_N" "$MBSYNC_S" "$(echo "$MBSYNC_N / $MBSYNC_S" | bc -l)"

echo "== connector"
KEY_ID=bench-1
KEY=$(head -c 32 /dev/urandom | base64)
export KAFKA_BOOTSTRAP_SERVERS="$KAFKA"
export MAILROOM_TOPIC_ACCOUNTS="$RUN.accounts" MAILROOM_TOPIC_MAIL="$RUN.mail" MAILROOM_TOPIC_CONNECTION="$RUN.connection"
export MAILROOM_OWNERSHIP_GROUP_ID="$RUN" MAILROOM_CREDENTIALS_KEY_ID="$KEY_ID" MAILROOM_CREDENTIALS_KEY="$KEY"
export MAILROOM_IMAP_ALLOWED_PRIVATE_HOSTS="localhost,127.0.0.1" MAILROOM_IMAP_TRUSTED_CA="$CA" QUARKUS_HTTP_PORT=0
"$JAVA_HOME/bin/java" -jar "$APP/quarkus-run.jar" > "$WORK/connector.log" 2>&1 &
CONNECTOR_PID=$!
for _ in $(seq 1 100); do grep -q "started in" "$WORK/connector.log" && break; sleep 0.2; done
grep -q "started in" "$WORK/connector.log" || { tail -30 "$WORK/connector.log"; exit 1; }

CP="$APP/lib/main/*:$APP/app/*"
"$JAVA_HOME/bin/java" -cp "$CP" "$ROOT/bench/connector/Bench.java" "$KAFKA" "$RUN.accounts" "$RUN.mail" \
  "$KEY_ID" "$KEY" "$HOST" "$IMAPS" "$USER_NAME" "$PASSWORD" "$N" "$CHANGES" INBOX Archive > "$WORK/bench.out" 2>&1 || {
  cat "$WORK/bench.out"; tail -40 "$WORK/connector.log"; exit 1; }
OUT=$(grep -v -E "^(SLF4J|\[)" "$WORK/bench.out" || true)
echo "$OUT" | grep -v RESULT || true
CONN_S=$(echo "$OUT" | sed -n 's/.*connector_sync_seconds=\([0-9.]*\).*/\1/p')
echo "== summary"
printf "first sync, %d messages: connector %.2f s, mbsync %.2f s, connector/mbsync time ratio %.2f (goal <= 1, ~2,100 msg/s)\n" \
  "$N" "$CONN_S" "$MBSYNC_S" "$(echo "$CONN_S / $MBSYNC_S" | bc -l)"
echo "flag propagation goal: p99 < 1000 ms per mailbox (lines above)"
