#!/usr/bin/env bash
# Two packaged connectors in one consumer group share BENCH_ACCOUNTS (default 6) accounts; one is
# killed with SIGKILL; prints which accounts each held, how long until the survivor held the dead
# one's accounts (the group notices a dead member only when its session times out:
# mailroom.ownership.session-timeout, 15 s), and whether mail appended afterwards to one of them
# is published by the survivor.
# Uses the stack named by the MAILROOM_TEST_* variables, its own topics, group and Dovecot users.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
K="${BENCH_ACCOUNTS:-6}"
source "$ROOT/bench/connector/stack.sh"
APP="${CONNECTOR_APP:-$ROOT/connector-service/target/quarkus-app}"
ensure_app "$APP" "${CONNECTOR_APP:-}" connector-service

RUN="bench-failover-$(date +%s)-$RANDOM"
PASSWORD="pw-$RANDOM$RANDOM"
WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

for i in $(seq 1 "$K"); do echo "$RUN-$i"; done > "$WORK/users"
mapfile -t USERS < "$WORK/users"
add_users "$PASSWORD" "${USERS[@]}"

KEY_ID=bench-1
KEY=$(head -c 32 /dev/urandom | base64)
export KAFKA_BOOTSTRAP_SERVERS="$KAFKA"
export MAILROOM_TOPIC_ACCOUNTS="$RUN.accounts" MAILROOM_TOPIC_MAIL="$RUN.mail" MAILROOM_TOPIC_CONNECTION="$RUN.connection"
export MAILROOM_OWNERSHIP_GROUP_ID="$RUN" MAILROOM_CREDENTIALS_KEY_ID="$KEY_ID" MAILROOM_CREDENTIALS_KEY="$KEY"
export MAILROOM_IMAP_ALLOWED_PRIVATE_HOSTS="localhost:*,127.0.0.1:*" QUARKUS_HTTP_PORT=0
CP="$APP/lib/main/*:$APP/app/*"
# The accounts topic first, with as many partitions as accounts (Idle.java creates it with 12).
"$JAVA_HOME/bin/java" -cp "$CP" "$ROOT/bench/connector/Idle.java" "$KAFKA" "$RUN.accounts" "$KEY_ID" "$KEY" \
  "$HOST" "$IMAP" "$PASSWORD" "$WORK/users" 2>&1 | grep -v -E "^(SLF4J|\[|org.slf4j)" || true
for n in a b; do
  "$JAVA_HOME/bin/java" -jar "$APP/quarkus-run.jar" > "$WORK/$n.log" 2>&1 &
  PIDS+=($!)
done
held() { grep -o "holding account [0-9a-f-]*" "$WORK/$1.log" | awk '{print $3}' | sort -u; }
released() { grep -o "released account [0-9a-f-]*" "$WORK/$1.log" | awk '{print $3}' | sort -u; }
holding() { comm -23 <(held "$1") <(released "$1"); }
for _ in $(seq 1 120); do
  [ "$(holding a | wc -l)" -gt 0 ] && [ "$(holding b | wc -l)" -gt 0 ] \
    && [ "$( (holding a; holding b) | sort -u | wc -l)" -eq "$K" ] && break
  sleep 0.5
done
echo "instance a holds: $(holding a | tr '\n' ' ')"
echo "instance b holds: $(holding b | tr '\n' ' ')"
BOTH=$(comm -12 <(holding a) <(holding b) | wc -l)
echo "held by both: $BOTH; held by either: $( (holding a; holding b) | sort -u | wc -l) of $K"
MOVED=$(holding a)
[ -n "$MOVED" ] || { echo "instance a holds nothing: nothing to fail over"; exit 1; }
kill -KILL "${PIDS[0]}"
T0=$(date +%s.%N)
echo "== SIGKILL instance a"
for _ in $(seq 1 240); do
  [ -z "$(comm -23 <(echo "$MOVED") <(holding b))" ] && break
  sleep 0.25
done
T1=$(date +%s.%N)
LEFT=$(comm -23 <(echo "$MOVED") <(holding b) | wc -l)
printf "survivor b holds a's %d accounts after %.1f s (%d not taken over)\n" \
  "$(echo "$MOVED" | wc -l)" "$(echo "$T1 - $T0" | bc -l)" "$LEFT"
# Mail appended afterwards to one of the moved accounts' mailbox: published by b?
ACCOUNT=$(echo "$MOVED" | head -1)
sleep 3
python3 - "$HOST" "$IMAP" "$WORK/users" "$PASSWORD" <<'PY'
import imaplib, sys, time
host, port, users, password = sys.argv[1], int(sys.argv[2]), open(sys.argv[3]).read().split(), sys.argv[4]
for user in users:  # every account gets one: the moved ones among them
    c = imaplib.IMAP4(host, port); c.login(user, password)
    c.append("INBOX", None, None, f"Subject: after failover\r\nFrom: a@example.com\r\n\r\nhello\r\n".encode())
    c.logout()
PY
for _ in $(seq 1 60); do
  grep -q "imap-$ACCOUNT.*INBOX: 1 new message" "$WORK/b.log" && break
  sleep 0.5
done
if grep -q "imap-$ACCOUNT.*INBOX: 1 new message" "$WORK/b.log"; then
  echo "mail appended after the kill to moved account $ACCOUNT: published by b"
else
  echo "mail appended after the kill to moved account $ACCOUNT: NOT seen published by b"; tail -20 "$WORK/b.log"; exit 1
fi
