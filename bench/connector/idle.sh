#!/usr/bin/env bash
# Connector benchmark 4, idle scale: one connector holds BENCH_ACCOUNTS (default 2,000) idle
# accounts, a session connection and a push connection each, against a Dovecot of the
# benchmark's own (idle-dovecot.conf.in: plain IMAP on a free loopback port, users, mail and
# sockets in a temporary folder, limits sized for the run) and the stack's Kafka
# (MAILROOM_TEST_KAFKA). Prints heap after a full GC, RSS and platform threads with no account
# and with all of them idle, the peaks on the way, the time until all were idle and the CPU the
# connector and Dovecot used, and the failures and errors in both logs.
# Run as root: Dovecot's mail processes take a uid of their own (BENCH_MAIL_UID, default 64900),
# and fs.inotify.max_user_instances is raised for the run if it is below what that uid needs.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
K="${BENCH_ACCOUNTS:-2000}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
KAFKA="${MAILROOM_TEST_KAFKA:?set MAILROOM_TEST_KAFKA}"
SOURCE_APP="${CONNECTOR_APP:-$ROOT/connector-service/target/quarkus-app}"
MAIL_UID="${BENCH_MAIL_UID:-64900}"
STALL="${BENCH_STALL_SECONDS:-90}"
TIMEOUT="${BENCH_TIMEOUT_SECONDS:-600}"
[ -f "$SOURCE_APP/quarkus-run.jar" ] || (cd "$ROOT" && ./mvnw -B -o -q -pl events,connector-service install -DskipTests)
[ "$(id -u)" -eq 0 ] || { echo "idle.sh starts Dovecot with a mail uid of its own: run it as root"; exit 1; }

# Two connections per account, a quarter more for reconnects and stragglers.
CONNECTIONS=$((2 * K))
CLIENTS=$((CONNECTIONS * 5 / 4 + 100))
IMAP_PROCESSES=$(((CLIENTS + 49) / 50))   # idle-dovecot.conf.in: 50 connections per imap process

RUN="bench-idle-$(date +%s)-$RANDOM"
PASSWORD="pw-$RANDOM$RANDOM"
WORK="$(mktemp -d)"
DOVE="$(mktemp -d /tmp/bench-dovecot.XXXXXX)"
CONNECTOR_PID="" DOVECOT_PID="" SAMPLER_PID="" JSTAT_PID="" INOTIFY_RESTORE=""
stop_pid() { # pid: SIGTERM, then SIGKILL after 15 s
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 1 150); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
cleanup() {
  for pid in "$SAMPLER_PID" "$JSTAT_PID" "$CONNECTOR_PID"; do
    if [ -n "$pid" ]; then stop_pid "$pid"; fi
  done
  if [ -n "$CONNECTOR_PID" ]; then # the run's topics and consumer group, off the stack's Kafka
    "$JAVA_HOME/bin/java" -cp "$WORK/app/lib/main/*:$WORK/app/app/*" "$ROOT/bench/connector/Idle.java" delete \
      "$KAFKA" "$RUN" "$RUN.accounts" "$RUN.mail" "$RUN.connection" > /dev/null 2>&1 || true
  fi
  if [ -n "$DOVECOT_PID" ]; then
    local children
    children=$(pgrep -P "$DOVECOT_PID" || true)
    stop_pid "$DOVECOT_PID"   # the master stops its own processes
    for pid in $children; do
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null && echo "dovecot: process $pid outlived the master, killed" || true
    done
  fi
  if [ -n "$INOTIFY_RESTORE" ]; then
    sysctl -q -w fs.inotify.max_user_instances="$INOTIFY_RESTORE" && echo "fs.inotify.max_user_instances restored to $INOTIFY_RESTORE"
  fi
  if [ -n "${BENCH_LOG_DIR:-}" ]; then
    mkdir -p "$BENCH_LOG_DIR" && cp "$WORK/connector.log" "$DOVE/dovecot.log" "$BENCH_LOG_DIR/" 2>/dev/null || true
  fi
  rm -rf "$WORK" "$DOVE"
}
trap cleanup EXIT
trap 'echo "idle.sh: failed at line $LINENO: $BASH_COMMAND" >&2' ERR

# Open files, for Dovecot and the connector alike: as high as this process may go, up to 65,536.
WANT_FILES=65536
if [ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -ge "$WANT_FILES" ]; then ulimit -Sn "$WANT_FILES"
else ulimit -n "$WANT_FILES" 2>/dev/null || ulimit -Sn "$(ulimit -Hn)"; fi
[ "$(ulimit -n)" -ge $((2 * CLIENTS)) ] || echo "warning: open files limit $(ulimit -n) is below $((2 * CLIENTS))"

# Every imap process with a client in IDLE or NOTIFY holds one inotify instance; past the limit
# Dovecot logs "Inotify instance limit ... exceeded" and falls back to polling for changes.
INOTIFY_NEED=$((IMAP_PROCESSES + 8))
INOTIFY_NOW=$(sysctl -n fs.inotify.max_user_instances)
if [ "$INOTIFY_NOW" -lt "$INOTIFY_NEED" ]; then
  sysctl -q -w fs.inotify.max_user_instances="$INOTIFY_NEED"
  INOTIFY_RESTORE="$INOTIFY_NOW"
  echo "fs.inotify.max_user_instances raised from $INOTIFY_NOW to $INOTIFY_NEED for this run"
fi

free_port() { # a port nothing listens on or connects from, outside the ephemeral range
  local port
  for _ in $(seq 1 100); do
    port=$((23000 + RANDOM % 9000))
    [ -z "$(ss -Htan "( sport = :$port or dport = :$port )")" ] && { echo "$port"; return 0; }
  done
  return 1
}
PORT=$(free_port)

# Dovecot: its users (passwd-file, as deploy/scripts/dovecot.sh writes them), mail and sockets.
for i in $(seq 1 "$K"); do echo "$RUN-$i"; done > "$WORK/users"
chmod 755 "$DOVE"
mkdir -p "$DOVE/mail" "$DOVE/state"
chown "$MAIL_UID:$MAIL_UID" "$DOVE/mail"
sed "s/\$/:{PLAIN}$PASSWORD::::::/" "$WORK/users" > "$DOVE/users"
chgrp dovecot "$DOVE/users" && chmod 640 "$DOVE/users"   # read by the auth process as `dovecot`
sed -e "s|@DIR@|$DOVE|g" -e "s|@PORT@|$PORT|g" -e "s|@UID@|$MAIL_UID|g" -e "s|@CLIENTS@|$CLIENTS|g" \
  -e "s|@IMAP_PROCESSES@|$IMAP_PROCESSES|g" -e "s|@CONNECTIONS@|$CLIENTS|g" \
  "$ROOT/bench/connector/idle-dovecot.conf.in" > "$DOVE/dovecot.conf"
dovecot -F -c "$DOVE/dovecot.conf" > "$DOVE/master.out" 2>&1 &
DOVECOT_PID=$!
for _ in $(seq 1 100); do [ -n "$(ss -Htln "( sport = :$PORT )")" ] && break; sleep 0.1; done
[ -n "$(ss -Htln "( sport = :$PORT )")" ] || { cat "$DOVE/master.out" "$DOVE/dovecot.log" 2>/dev/null; exit 1; }
echo "dovecot $(dovecot --version | cut -d' ' -f1) on 127.0.0.1:$PORT, mail uid $MAIL_UID: imap-login 4 x $CLIENTS clients," \
  "imap $IMAP_PROCESSES x 50, stats/anvil/auth $CLIENTS clients, open files $(ulimit -n)," \
  "inotify instances per uid $(sysctl -n fs.inotify.max_user_instances)"

# The connector runs from a copy, so that a rebuild during the run does not change its jars.
cp -r "$SOURCE_APP" "$WORK/app"
APP="$WORK/app"
KEY_ID=bench-1
KEY=$(head -c 32 /dev/urandom | base64)
export KAFKA_BOOTSTRAP_SERVERS="$KAFKA"
export MAILROOM_TOPIC_ACCOUNTS="$RUN.accounts" MAILROOM_TOPIC_MAIL="$RUN.mail" MAILROOM_TOPIC_CONNECTION="$RUN.connection"
export MAILROOM_OWNERSHIP_GROUP_ID="$RUN" MAILROOM_CREDENTIALS_KEY_ID="$KEY_ID" MAILROOM_CREDENTIALS_KEY="$KEY"
export MAILROOM_IMAP_ALLOWED_PRIVATE_HOSTS="127.0.0.1:$PORT" QUARKUS_HTTP_PORT=0
"$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:-} -jar "$APP/quarkus-run.jar" > "$WORK/connector.log" 2>&1 &
CONNECTOR_PID=$!
for _ in $(seq 1 150); do grep -q "started in" "$WORK/connector.log" && break; sleep 0.2; done
grep -q "started in" "$WORK/connector.log" || { tail -30 "$WORK/connector.log"; exit 1; }
FLAGS=$("$JAVA_HOME/bin/jcmd" "$CONNECTOR_PID" VM.flags)
MAX_HEAP=$(echo "$FLAGS" | sed -n 's/.*-XX:MaxHeapSize=\([0-9]*\).*/\1/p')
GC=$(echo "$FLAGS" | sed -n 's/.*-XX:+Use\([A-Za-z0-9]*GC\).*/\1/p')
echo "connector JVM: $GC, max heap $((MAX_HEAP / 1048576)) MiB (BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:-})"

# Peaks, sampled every second: heap in use (garbage included) and committed, threads; RSS from VmHWM.
"$JAVA_HOME/bin/jstat" -gc "$CONNECTOR_PID" 1000 > "$WORK/jstat" 2>/dev/null &
JSTAT_PID=$!
( while [ -d "/proc/$CONNECTOR_PID" ]; do awk '/^Threads:/ {print $2}' "/proc/$CONNECTOR_PID/status" 2>/dev/null; sleep 1; done ) \
  > "$WORK/threads" &
SAMPLER_PID=$!

measure() {
  "$JAVA_HOME/bin/jcmd" "$CONNECTOR_PID" GC.run > /dev/null
  sleep 1
  local used committed threads rss conns
  used=$("$JAVA_HOME/bin/jcmd" "$CONNECTOR_PID" GC.heap_info | sed -n 's/.*total .*, used \([0-9]*\)K.*/\1/p' | head -1)
  committed=$("$JAVA_HOME/bin/jcmd" "$CONNECTOR_PID" GC.heap_info | sed -n 's/.*committed \([0-9]*\)K.*/\1/p' | head -1)
  threads=$(awk '/^Threads:/ {print $2}' "/proc/$CONNECTOR_PID/status")
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$CONNECTOR_PID/status")
  conns=$(ss -tnp state established "( dport = :$PORT )" 2>/dev/null | grep -c "pid=$CONNECTOR_PID," || true)
  echo "$1: heap used after GC ${used} KiB (committed ${committed} KiB), RSS ${rss} KiB, platform threads ${threads}, IMAP connections ${conns}"
  eval "$2_HEAP=$used $2_RSS=$rss $2_THREADS=$threads $2_CONNS=$conns"
}
sleep 3
measure "no account" BASE

ready() { # accounts whose push connection is ready (one push thread per account)
  grep "push ready" "$WORK/connector.log" | grep -o "(push-[^)]*)" | sort -u | wc -l || true
}
ticks() { # utime + stime of a process, with its reaped children's when $2 is set, in clock ticks
  local t
  t=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk -v c="${2:-}" '{ print $12 + $13 + (c ? $14 + $15 : 0) }' || true)
  echo "${t:-0}"
}
cpu() { # CPU seconds used so far: "connector dovecot" (Dovecot: the master and all its processes)
  local hz t d=0
  hz=$(getconf CLK_TCK)
  t=$(ticks "$CONNECTOR_PID")
  d=$(ticks "$DOVECOT_PID" children)
  for pid in $(pgrep -P "$DOVECOT_PID"); do d=$((d + $(ticks "$pid"))); done
  echo "$(echo "scale=1; $t / $hz" | bc) $(echo "scale=1; $d / $hz" | bc)"
}
CPU0=$(cpu)
CP="$APP/lib/main/*:$APP/app/*"
"$JAVA_HOME/bin/java" -cp "$CP" "$ROOT/bench/connector/Idle.java" "$KAFKA" "$RUN.accounts" "$KEY_ID" "$KEY" \
  127.0.0.1 "$PORT" "$PASSWORD" "$WORK/users" 2>&1 | grep -v -E "^(SLF4J|org\.slf4j|\[)" || true
T0=$(date +%s)
LAST=-1; STABLE=0
while :; do
  READY=$(ready)
  if [ "$READY" -ge "$K" ]; then break; fi
  if [ "$READY" -eq "$LAST" ]; then STABLE=$((STABLE + 1)); else STABLE=0; fi
  [ "$STABLE" -ge "$STALL" ] && { echo "push ready stuck at $READY of $K for $STALL s"; break; }
  [ $(( $(date +%s) - T0 )) -ge "$TIMEOUT" ] && { echo "timed out at $READY of $K"; break; }
  LAST=$READY; sleep 1
done
read -r CPU_C0 CPU_D0 <<< "$CPU0"; read -r CPU_C1 CPU_D1 <<< "$(cpu)"
echo "$READY of $K accounts idle with push ready after $(( $(date +%s) - T0 )) s from their definition" \
  "($(grep -c "connected to" "$WORK/connector.log" || true) session connections made;" \
  "CPU used meanwhile: connector $(echo "$CPU_C1 - $CPU_C0" | bc) s, Dovecot $(echo "$CPU_D1 - $CPU_D0" | bc) s)"
sleep 10
read -r CPU_C2 CPU_D2 <<< "$(cpu)"
echo "CPU in the next 10 s, all idle: connector $(echo "($CPU_C2 - $CPU_C1) * 10" | bc) %," \
  "Dovecot $(echo "($CPU_D2 - $CPU_D1) * 10" | bc) % (of one core)"
measure "$READY accounts" ALL

stop_pid "$JSTAT_PID"; JSTAT_PID=""
stop_pid "$SAMPLER_PID"; SAMPLER_PID=""
awk 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
  $1 ~ /^[0-9.]+$/ {
    u = $c["S0U"] + $c["S1U"] + $c["EU"] + $c["OU"]; k = $c["S0C"] + $c["S1C"] + $c["EC"] + $c["OC"]
    if (u > mu) mu = u; if (k > mk) mk = k }
  END { printf "peaks: heap in use %.0f MiB (sampled each second, garbage included), heap committed %.0f MiB", mu / 1024, mk / 1024 }' \
  "$WORK/jstat"
printf ", platform threads %s, RSS %s MiB\n" "$(sort -n "$WORK/threads" | tail -1)" \
  "$(( $(awk '/^VmHWM:/ {print $2}' "/proc/$CONNECTOR_PID/status") / 1024 ))"

FAILED=$(grep -c "connection failed" "$WORK/connector.log" || true)
echo "connection failures logged: $FAILED"; grep "connection failed" "$WORK/connector.log" | sed 's/.*connection failed: //' | sort | uniq -c | sort -rn | head -5 || true
# Other warnings and errors, grouped: time, thread, MDC and ids left out.
echo "connector log: $(grep -c -E '^[0-9:.]+ (WARN|ERROR)' "$WORK/connector.log" || true) warnings and errors"
grep -E '^[0-9:.]+ (WARN|ERROR)' "$WORK/connector.log" | grep -v "connection failed" \
  | sed -E 's/^[0-9:.]+ +//; s/ \([^)]*\) (\{[^}]*\} )?/ /; s/[0-9a-f]{8}-[0-9a-f-]{27}/<id>/g; s/[0-9]+/N/g' | cut -c1-160 \
  | sort | uniq -c | sort -rn | head -5 || true
IMAP_PIDS=$(pgrep -u "$MAIL_UID" -f "mailroom-bench-idle-$PORT/imap" || true)
INOTIFY_USED=0
for pid in $IMAP_PIDS; do
  INOTIFY_USED=$((INOTIFY_USED + $(find "/proc/$pid/fd" -lname 'anon_inode:inotify' 2>/dev/null | wc -l)))
done
DOVECOT_CPU=$(for pid in $(pgrep -P "$DOVECOT_PID"); do echo "$(sed 's/^[0-9]* (\(.*\)) .*/\1/' "/proc/$pid/stat" 2>/dev/null) $(ticks "$pid")"; done \
  | awk -v hz="$(getconf CLK_TCK)" '$1 != "" { t[$1] += $2 } END { for (k in t) if (t[k] >= hz / 10) printf "%s %.1f s, ", k, t[k] / hz }' \
  | sed 's/, $//')
echo "dovecot CPU since its start, by process: $DOVECOT_CPU"
echo "dovecot: $(echo "$IMAP_PIDS" | grep -c . || true) imap processes, $INOTIFY_USED inotify instances;" \
  "log: $(grep -c -E ' (Error|Warning|Fatal|Panic): ' "$DOVE/dovecot.log" || true) errors and warnings," \
  "$(grep -c "Connection queue full" "$DOVE/dovecot.log" || true) 'Connection queue full'"
grep -E ' (Error|Warning|Fatal|Panic): ' "$DOVE/dovecot.log" \
  | sed -E 's/^[A-Z][a-z]{2} +[0-9]+ [0-9:]+ //; s/\([^)]*\)//; s/<[^>]*>//g; s/[0-9]+/N/g' | cut -c1-160 \
  | sort | uniq -c | sort -rn | head -5 || true

if [ "$READY" -gt 0 ]; then
  printf "per idle account: heap %.1f KiB, RSS %.1f KiB, platform threads %+d in all for %d accounts\n" \
    "$(echo "($ALL_HEAP - $BASE_HEAP) / $READY" | bc -l)" "$(echo "($ALL_RSS - $BASE_RSS) / $READY" | bc -l)" \
    "$((ALL_THREADS - BASE_THREADS))" "$READY"
fi
