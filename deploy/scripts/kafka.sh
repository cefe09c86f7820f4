# shellcheck shell=bash
# A single-node Kafka 4 broker in KRaft mode, run from the jars in the cache.

MAILROOM_KAFKA_CONF_DIR="$MAILROOM_HOME/kafka"
MAILROOM_TOPICS_CONF="$MAILROOM_ROOT/deploy/topics.conf"

# Starts the broker without waiting for it, so that it boots while other
# components start; kafka_ready finishes the job.
kafka_start() {
  if pid_of kafka >/dev/null; then
    say "kafka: already running (pid $(pid_of kafka), port $MAILROOM_KAFKA_PORT)"
    return 0
  fi
  KAFKA_T0="$(now_ms)"
  kafka_write_config
  kafka_format_once
  # SerialGC and a small heap: a local broker moves little data, and the machine
  # also runs Keycloak and five services.
  start_bg kafka "$JAVA_HOME/bin/java" -Xms64m -Xmx512m -XX:+UseSerialGC \
    -Dlog4j2.configurationFile="$MAILROOM_ROOT/deploy/kafka/log4j2.properties" \
    -Dkafka.logs.dir="$MAILROOM_LOGS" \
    -cp "$MAILROOM_KAFKA_DEPS/*" kafka.Kafka "$MAILROOM_KAFKA_CONF_DIR/server.properties"
}

kafka_ready() {
  wait_until kafka "$MAILROOM_START_TIMEOUT" port_open "$MAILROOM_KAFKA_PORT"
  if [[ -n "${KAFKA_T0:-}" ]]; then
    say "kafka: started (pid $(pid_of kafka), port $MAILROOM_KAFKA_PORT) in $(since "$KAFKA_T0")"
  fi
  kafka_create_topics
}

kafka_write_config() {
  mkdir -p "$MAILROOM_KAFKA_CONF_DIR" "$MAILROOM_KAFKA_DATA"
  cat >"$MAILROOM_KAFKA_CONF_DIR/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$MAILROOM_KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$MAILROOM_KAFKA_PORT,CONTROLLER://127.0.0.1:$MAILROOM_KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$MAILROOM_KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$MAILROOM_KAFKA_DATA
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
}

# The storage is formatted once per home, with a fresh cluster id. The id is a
# base64url-encoded random 128-bit UUID, as `kafka-storage random-uuid` prints;
# making it here saves starting a JVM. Like Kafka's own, it never starts with
# "-": the format command would take it for an option (one fresh home in 64).
kafka_format_once() {
  [[ -f "$MAILROOM_KAFKA_DATA/meta.properties" ]] && return 0
  local id=""
  until [[ -n "$id" && "$id" != -* ]]; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
  done
  rm -f "$MAILROOM_KAFKA_CONF_DIR/topics.sha1"
  kafka_tool kafka.tools.StorageTool format -t "$id" \
    -c "$MAILROOM_KAFKA_CONF_DIR/server.properties" --standalone >>"$(log_file kafka)" 2>&1 ||
    die "kafka: formatting the storage failed (log: $(log_file kafka))"
}

kafka_tool() {
  "$JAVA_HOME/bin/java" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dlog4j2.configurationFile="$MAILROOM_ROOT/deploy/kafka/log4j2.properties" \
    -Dmailroom.kafka.level=WARN -cp "$MAILROOM_KAFKA_DEPS/*" "$@"
}

# Creates every topic of topics.conf that does not exist yet. Each TopicCommand is
# a JVM start, so the work is skipped while topics.conf is unchanged.
kafka_create_topics() {
  local marker="$MAILROOM_KAFKA_CONF_DIR/topics.sha1" want log name partitions policy retention
  want="$(sha1sum <"$MAILROOM_TOPICS_CONF" | cut -d' ' -f1)"
  [[ -f "$marker" && "$(<"$marker")" == "$want" ]] && return 0
  log="$(log_file kafka-topics)"
  local t0 pids=()
  t0="$(now_ms)"
  while read -r name partitions policy retention _; do
    [[ -z "$name" || "$name" == \#* ]] && continue
    kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$MAILROOM_KAFKA_PORT" \
      --create --if-not-exists --topic "$name" --partitions "$partitions" --replication-factor 1 \
      --config "cleanup.policy=$policy" --config "retention.ms=$retention" >>"$log" 2>&1 &
    pids+=($!)
  done <"$MAILROOM_TOPICS_CONF"
  local pid failed=0
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  if ((failed)); then
    tail -n 20 "$log" >&2
    die "kafka: creating topics failed (log: $log)"
  fi
  echo "$want" >"$marker"
  say "kafka: ${#pids[@]} topics from deploy/topics.conf present ($(since "$t0"))"
}
