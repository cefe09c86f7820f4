#!/usr/bin/env bash
# Connector benchmark 4, idle scale, rerunnable against a running local stack: one connector
# holds BENCH_ACCOUNTS (default 2,000) idle accounts on Dovecot (plain IMAP on loopback: Dovecot's
# imap-login keeps one process per TLS connection, which caps TLS connections far below this);
# prints heap after a full GC, RSS and platform threads, with no account and then with all of
# them connected (a session connection and a push connection each).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
K="${BENCH_ACCOUNTS:-2000}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
KAFKA="${MAILROOM_TEST_KAFKA:?set MAILROOM_TEST_KAFKA}"
HOST="${MAILROOM_TEST_IMAP_HOST:-localhost}"
IMAP="${MAILROOM_TEST_IMAP_PORT:?set MAILROOM_TEST_IMAP_PORT}"
PASSWD="${MAILROOM_TEST_DOVECOT_PASSWD:?set MAILROOM_TEST_DOVECOT_PASSWD}"
APP="${CONNECTOR_APP:-$ROOT/connector-service/target/quarkus-app}"
[ -f "$APP/quarkus-run.jar" ] || (cd "$ROOT" && ./mvnw -B -o -q -pl events,connector-service install -DskipTests)

RUN="bench-idle-$(date +%s)-$RANDOM"
PASSWORD="pw-$RANDOM$RANDOM"
WORK="$(mktemp -d)"
CONNECTOR_PID=""
cleanup() {
  if [ -n "$CONNECTOR_PID" ]; then kill "$CONNECTOR_PID" 2>/dev/null || true; wait "$CONNECTOR_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

for i in $(seq 1 "$K"); do echo "$RUN-$i"; done > "$WORK/users"
sed "s/\$/:{PLAIN}$PASSWORD::::::/" "$WORK/users" >> "$PASSWD"
touch -d "+2 seconds" "$PASSWD"   # Dovecot re-reads the file when its mtime changes

KEY_ID=bench-1
KEY=$(head -c 32 /dev/urandom | base64)
export KAFKA_BOOTSTRAP_SERVERS="$KAFKA"
export MAILROOM_TOPIC_ACCOUNTS="$RUN.accounts" MAILROOM_TOPIC_MAIL="$RUN.mail" MAILROOM_TOPIC_CONNECTION="$RUN.connection"
export MAILROOM_OWNERSHIP_GROUP_ID="$RUN" MAILROOM_CREDENTIALS_KEY_ID="$KEY_ID" MAILROOM_CREDENTIALS_KEY="$KEY"
export MAILROOM_IMAP_ALLOWED_PRIVATE_HOSTS="localhost,127.0.0.1" QUARKUS_HTTP_PORT=0
"$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:-} -jar "$APP/quarkus-run.jar" > "$WORK/connector.log" 2>&1 &
CONNECTOR_PID=$!
for _ in $(seq 1 100); do grep -q "started in" "$WORK/connector.log" && break; sleep 0.2; done
grep -q "started in" "$WORK/connector.log" || { tail -30 "$WORK/connector.log"; exit 1; }

measure() {
  "$JAVA_HOME/bin/jcmd" "$CONNECTOR_PID" GC.run > /dev/null
  sleep 1
  local used threads rss conns
  used=$("$JAVA_HOME/bin/jcmd" "$CONNECTOR_PID" GC.heap_info | sed -n 's/.*total .*, used \([0-9]*\)K.*/\1/p' | head -1)
  threads=$(awk '/^Threads:/ {print $2}' "/proc/$CONNECTOR_PID/status")
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$CONNECTOR_PID/status")
  conns=$(ss -tnp state established "( dport = :$IMAP )" 2>/dev/null | grep -c "pid=$CONNECTOR_PID," || true)
  echo "$1: heap used after GC ${used} KiB, RSS ${rss} KiB, platform threads ${threads}, IMAP connections ${conns}"
  eval "$2_HEAP=$used $2_RSS=$rss $2_THREADS=$threads $2_CONNS=$conns"
}
sleep 3
measure "no account" BASE

CP="$APP/lib/main/*:$APP/app/*"
"$JAVA_HOME/bin/java" -cp "$CP" "$ROOT/bench/connector/Idle.java" "$KAFKA" "$RUN.accounts" "$KEY_ID" "$KEY" \
  "$HOST" "$IMAP" "$PASSWORD" "$WORK/users" 2>&1 | grep -v -E "^(SLF4J|\[)" || true
T0=$(date +%s)
LAST=-1; STABLE=0
while :; do
  READY=$(grep -c "push ready" "$WORK/connector.log" || true)
  if [ "$READY" -ge "$K" ]; then break; fi
  if [ "$READY" -eq "$LAST" ]; then STABLE=$((STABLE + 1)); else STABLE=0; fi
  [ "$STABLE" -ge "${BENCH_STALL_SECONDS:-90}" ] && { echo "push ready stuck at $READY of $K for ${BENCH_STALL_SECONDS:-90} s"; break; }
  [ $(( $(date +%s) - T0 )) -ge 600 ] && { echo "timed out at $READY of $K"; break; }
  LAST=$READY; sleep 1
done
echo "$READY of $K accounts idle with push ready after $(( $(date +%s) - T0 )) s ($(grep -c "connected to" "$WORK/connector.log" || true) session connections made)"
sleep 10
measure "$READY accounts" ALL
FAILED=$(grep -c "connection failed" "$WORK/connector.log" || true)
echo "connection failures logged: $FAILED"; grep "connection failed" "$WORK/connector.log" | sed 's/.*connection failed: //' | sort | uniq -c | sort -rn | head -5 || true
if [ "$READY" -gt 0 ]; then
  printf "per idle account: heap %.1f KiB, RSS %.1f KiB, platform threads %+d in all for %d accounts\n" \
    "$(echo "($ALL_HEAP - $BASE_HEAP) / $READY" | bc -l)" "$(echo "($ALL_RSS - $BASE_RSS) / $READY" | bc -l)" \
    "$((ALL_THREADS - BASE_THREADS))" "$READY"
fi
