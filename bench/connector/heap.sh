#!/usr/bin/env bash
# Connector benchmark 5, heap of the first sync: for each size in BENCH_SIZES (default 10,000,
# 100,000 and 300,000), an account of that many messages of the realistic corpus
# (bench/corpus/corpus.py, seed 1, so each size holds the smaller ones) is synced by the packaged
# connector with the stack's default heap (services.sh: -Xmx256m -XX:+UseSerialGC -XX:NewRatio=1), and the peak
# heap is printed: the most live data after a full collection (forced every BENCH_GC_SECONDS, 0.25,
# by GcSampler.java over JMX, and any the JVM made itself), read from the JVM's GC log. Goal: the peaks of
# all sizes within 20% of each other (memory follows the batch, not the mailbox).
# The connector runs with -XX:+ExitOnOutOfMemoryError, so an OutOfMemoryError ends that size
# (printed as such) instead of leaving a connector that limps on. Uses the stack named by the
# MAILROOM_TEST_* variables (Kafka and Dovecot only), its own topics, ownership group and Dovecot
# users (their Maildirs removed after each size), and stops only the processes it started.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SIZES="${BENCH_SIZES:-10000 100000 300000}"
HEAP_OPTS="${BENCH_HEAP_OPTS:--Xmx256m -XX:+UseSerialGC -XX:NewRatio=1}"   # deploy/scripts/services.sh
GC_SECONDS="${BENCH_GC_SECONDS:-0.25}"   # bench/connector/README.md: why not 1 s
source "$ROOT/bench/connector/stack.sh"
CONNECTOR_SRC="${CONNECTOR_APP:-$ROOT/connector-service/target/quarkus-app}"
ensure_app "$CONNECTOR_SRC" "${CONNECTOR_APP:-}" connector-service

RUN0="bench-heap-$(date +%s)-$RANDOM"
PASSWORD="pw-$RANDOM$RANDOM"
KEY_ID=bench-1
KEY=$(head -c 32 /dev/urandom | base64)
WORK="$(mktemp -d)"
CONNECTOR_PID=""
SAMPLER_PID=""
RUN=""
USER_NAME=""
stop() { if [ -n "$1" ]; then kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; fi; }
# end_size: stops this size's processes, deletes its topics and Maildir.
end_size() {
  stop "$SAMPLER_PID"; SAMPLER_PID=""
  stop "$CONNECTOR_PID"; CONNECTOR_PID=""
  if [ -n "$RUN" ]; then
    "$JAVA" -cp "$CP" "$ROOT/bench/connector/Bench.java" delete-topics "$KAFKA" "$RUN.mail" "$RUN.accounts" \
      "$RUN.connection" "$RUN.account-status" >/dev/null 2>&1 || true
    RUN=""
  fi
  if [ -n "$USER_NAME" ]; then rm -rf "${HOME_DIR:?}/data/mail/$USER_NAME"; USER_NAME=""; fi
}
cleanup() {
  end_size
  if [ -n "${BENCH_LOGS:-}" ]; then mkdir -p "$BENCH_LOGS" && cp "$WORK"/*.log "$BENCH_LOGS"/ 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

cp -a "$CONNECTOR_SRC" "$WORK/connector-app"   # a rebuild during the run changes nothing
CP="$WORK/connector-app/lib/main/*:$WORK/connector-app/app/*"

# gc_figures <gc log> <first line> <last line>: from the unified GC log lines in that range
# ("GC(7) Pause Full (System.gc()) 140M->61M(247M) 80.1ms"), prints: most heap after a full GC,
# most heap after any GC, most heap before any GC (garbage included), full GCs forced, full GCs
# the JVM made itself, young GCs, all in MB.
gc_figures() {
  sed -n "$2,$3p" "$1" | awk '
    function mb(v) { u = substr(v, length(v)); n = substr(v, 1, length(v) - 1) + 0;
                     return u == "G" ? n * 1024 : u == "K" ? n / 1024 : n }
    /Pause (Young|Full)/ {
      if (!match($0, /[0-9]+[KMG]->[0-9]+[KMG]\(/)) next
      split(substr($0, RSTART, RLENGTH - 1), ba, "->")
      before = mb(ba[1]); after = mb(ba[2])
      if (after > any) any = after
      if (before > peak) peak = before
      if ($0 ~ /Pause Full/) { if (after > full) full = after; if ($0 ~ /System.gc|Diagnostic Command/) forced++; else own++ } else young++
    }
    END { printf "%d %d %d %d %d %d\n", full, any, peak, forced, own, young }'
}

declare -a SUMMARY=()
for N in $SIZES; do
  RUN="$RUN0-$N"
  USER_NAME="$RUN"
  echo "== $N messages: user $USER_NAME, topics $RUN.*"
  add_users "$PASSWORD" "$USER_NAME"
  L0=$(date +%s.%N)
  load_corpus "$USER_NAME" "$N" 1
  printf "loaded and indexed in %.1f s\n" "$(echo "$(date +%s.%N) - $L0" | bc -l)"
  "$JAVA" -cp "$CP" "$ROOT/bench/connector/Bench.java" topics "$KAFKA" "$RUN.mail:12" "$RUN.accounts:3" \
    "$RUN.connection:3" "$RUN.account-status:1" > "$WORK/topics.out" 2>&1 || { cat "$WORK/topics.out"; exit 1; }
  GC_LOG="$WORK/gc-$N.log"
  # shellcheck disable=SC2086
  start_connector "$RUN" "$WORK/connector-app" "$WORK/connector-$N.log" $HEAP_OPTS -XX:+ExitOnOutOfMemoryError \
    "-Xlog:gc:file=$GC_LOG:uptime" ${BENCH_CONNECTOR_JAVA_OPTS:-}
  await_connector "$WORK/connector-$N.log"
  # The idle connector's live heap: the baseline the sync adds to.
  jcmd "$CONNECTOR_PID" GC.run >/dev/null
  BASE=$(gc_figures "$GC_LOG" 1 '$' | cut -d' ' -f1)
  FIRST=$(($(wc -l < "$GC_LOG") + 1))
  "$JAVA" "$ROOT/bench/connector/GcSampler.java" "$CONNECTOR_PID" "$GC_SECONDS" > "$WORK/sampler.out" 2>&1 &
  SAMPLER_PID=$!
  for _ in $(seq 1 100); do grep -q sampling "$WORK/sampler.out" && break; sleep 0.2; done
  grep -q sampling "$WORK/sampler.out" || { echo "GcSampler did not attach:"; cat "$WORK/sampler.out"; exit 1; }
  BENCH_IMAP_PASSWORD="$PASSWORD" MAILROOM_CREDENTIALS_KEY_ID="$KEY_ID" MAILROOM_CREDENTIALS_KEY="$KEY" \
    "$JAVA" -cp "$CP" "$ROOT/bench/connector/Heap.java" "$KAFKA" "$RUN.accounts" "$RUN.mail" "$HOST" "$IMAPS" \
    "$USER_NAME" "$N" "$CONNECTOR_PID" > "$WORK/heap-$N.out" 2>&1 || true
  stop "$SAMPLER_PID"; SAMPLER_PID=""
  grep -v -E "^(SLF4J|org\.slf4j|\[)" "$WORK/heap-$N.out" | grep -v "^RESULT" || true
  RESULT=$(grep "^RESULT heap_sync" "$WORK/heap-$N.out" || echo "RESULT heap_sync outcome=client-failed messages=0 seconds=0")
  OUTCOME=$(echo "$RESULT" | sed -n 's/.* outcome=\([^ ]*\).*/\1/p')
  GOT=$(echo "$RESULT" | sed -n 's/.* messages=\([0-9]*\).*/\1/p')
  SECONDS_TAKEN=$(echo "$RESULT" | sed -n 's/.* seconds=\([0-9.]*\).*/\1/p')
  if grep -q "OutOfMemoryError" "$WORK/connector-$N.log"; then
    OUTCOME=OutOfMemoryError
    grep -m1 "OutOfMemoryError" "$WORK/connector-$N.log" | cut -c1-200
  fi
  read -r FULL ANY PEAK FORCED OWN YOUNG <<< "$(gc_figures "$GC_LOG" "$FIRST" '$')"
  printf "%s messages: %s, %s on Kafka in %s s; peak live heap (after a full GC) %s MB, idle %s MB;" \
    "$N" "$OUTCOME" "$GOT" "$SECONDS_TAKEN" "$FULL" "$BASE"
  printf " most after any GC %s MB, most before a GC %s MB; full GCs %s forced + %s by the JVM, young GCs %s\n" \
    "$ANY" "$PEAK" "$FORCED" "$OWN" "$YOUNG"
  echo "RESULT heap messages=$N outcome=$OUTCOME synced=$GOT seconds=$SECONDS_TAKEN peak_live_mb=$FULL idle_live_mb=$BASE peak_after_gc_mb=$ANY peak_used_mb=$PEAK forced_full_gcs=$FORCED jvm_full_gcs=$OWN young_gcs=$YOUNG"
  SUMMARY+=("$N $OUTCOME $FULL $ANY $SECONDS_TAKEN")
  if [ -n "${BENCH_LOGS:-}" ]; then mkdir -p "$BENCH_LOGS" && cp "$WORK"/*-"$N".log "$BENCH_LOGS"/ 2>/dev/null || true; fi
  end_size
done

echo "== summary: first sync with $HEAP_OPTS (peak live heap = most heap after a full GC, forced every $GC_SECONDS s)"
MIN="" MAX="" ALL_DONE=1
for row in "${SUMMARY[@]}"; do
  read -r n outcome full any secs <<< "$row"
  printf "  %8s messages  %-18s peak live %4s MB  most after any GC %4s MB  %8s s\n" "$n" "$outcome" "$full" "$any" "$secs"
  if [ "$outcome" = done ]; then
    { [ -z "$MIN" ] || [ "$full" -lt "$MIN" ]; } && MIN=$full
    { [ -z "$MAX" ] || [ "$full" -gt "$MAX" ]; } && MAX=$full
  else
    ALL_DONE=0
  fi
done
if [ "$ALL_DONE" = 1 ] && [ -n "$MIN" ] && [ "$MIN" -gt 0 ]; then
  SPREAD=$(echo "$MAX / $MIN" | bc -l)
  printf "  largest / smallest peak live heap %.2f (goal <= 1.20): %s\n" "$SPREAD" \
    "$([ "$(echo "$SPREAD <= 1.2" | bc -l)" = 1 ] && echo met || echo NOT met)"
else
  echo "  goal (peaks within 20% of each other): NOT met, not every size completed"
fi
