# shellcheck shell=bash
# The five Quarkus services: built when their sources changed, copied into the
# home (so a later Maven run cannot rewrite jars under a running JVM), started,
# and awaited on their readiness endpoints.

MAILROOM_BUILD_STAMP="$MAILROOM_ROOT/.mailroom/build.stamp"
SERVICES_STARTED=()

services_up() {
  services_build_if_needed
  credentials_key_once
  local svc
  for svc in "${MAILROOM_SERVICES[@]}"; do service_start "$svc"; done
  for svc in "${MAILROOM_SERVICES[@]}"; do service_ready "$svc"; done
}

services_down() { stop_all "${MAILROOM_SERVICES[@]}"; }

# A digest of everything the build reads: poms, sources, the Maven wrapper.
sources_digest() {
  find "$MAILROOM_ROOT" \( -name .git -o -name .mailroom -o -name target -o -name node_modules \) -prune \
    -o -type f \( -name pom.xml -o -path '*/src/*' -o -path "$MAILROOM_ROOT/.mvn/*" -o -name mvnw \) \
    -printf '%P %T@ %s\n' | LC_ALL=C sort | sha1sum | cut -d' ' -f1
}

services_build_if_needed() {
  local digest svc missing=0 t0 log="$MAILROOM_LOGS/build.log"
  digest="$(sources_digest)"
  for svc in "${MAILROOM_SERVICES[@]}"; do
    [[ -f "$MAILROOM_ROOT/$svc/target/quarkus-app/quarkus-run.jar" ]] || missing=1
  done
  if ((missing == 0)) && [[ -f "$MAILROOM_BUILD_STAMP" && "$(<"$MAILROOM_BUILD_STAMP")" == "$digest" ]]; then
    say "build: up to date"
    return 0
  fi
  step "building the project (log: $log)"
  t0="$(now_ms)"
  if ! (cd "$MAILROOM_ROOT" && maven -B -q -DskipTests package) >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    die "the build failed (full log: $log)"
  fi
  mkdir -p "$(dirname "$MAILROOM_BUILD_STAMP")"
  echo "$digest" >"$MAILROOM_BUILD_STAMP"
  say "build: done in $(since "$t0")"
}

# The key that encrypts stored IMAP passwords: made once per home, never printed.
credentials_key_once() {
  local file="$MAILROOM_SECRETS/credentials.key"
  [[ -s "$file" ]] && return 0
  mkdir -p "$MAILROOM_SECRETS"
  chmod 700 "$MAILROOM_SECRETS"
  (umask 077 && head -c 32 /dev/urandom | base64 -w0 >"$file")
}

# Exports the configuration of one service into the current (sub)shell.
service_export_env() {
  local svc="$1"
  export QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT QUARKUS_PROFILE=prod
  export KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$MAILROOM_KAFKA_PORT"
  # Every service checks the bearer tokens on its internal endpoints against this realm (ADR 0007).
  export QUARKUS_OIDC_AUTH_SERVER_URL="http://127.0.0.1:$MAILROOM_KEYCLOAK_PORT/realms/mailroom"
  QUARKUS_HTTP_PORT="$(service_port "$svc")"
  case "$svc" in
    sync-service | health-service | search-service)
      export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$MAILROOM_PG_PORT/mailroom_${svc%-service}"
      export QUARKUS_DATASOURCE_USERNAME=mailroom QUARKUS_DATASOURCE_PASSWORD=mailroom
      ;;
    gateway)
      # The gateway's own identity towards the services: the local realm's dev-only secret.
      export QUARKUS_OIDC_CLIENT_CREDENTIALS_SECRET=mailroom-gateway-dev-secret
      export QUARKUS_REST_CLIENT_SYNC_URL="http://127.0.0.1:$MAILROOM_SYNC_PORT"
      export QUARKUS_REST_CLIENT_SEARCH_URL="http://127.0.0.1:$MAILROOM_SEARCH_PORT"
      export QUARKUS_REST_CLIENT_HEALTH_URL="http://127.0.0.1:$MAILROOM_HEALTH_PORT"
      export QUARKUS_REST_CLIENT_CONNECTOR_URL="http://127.0.0.1:$MAILROOM_CONNECTOR_PORT"
      # Attachment downloads go to the connector instance holding the account (ADR 0011): here one.
      export MAILROOM_ATTACHMENTS_CONNECTORS="http://127.0.0.1:$MAILROOM_CONNECTOR_PORT"
      ;;
    connector-service)
      export MAILROOM_IMAP_TRUSTED_CA="$MAILROOM_TLS/ca.pem"
      # Host and port: a name alone would let any user probe this machine's other ports.
      allowed=""
      for port in "$MAILROOM_IMAP_PORT" "$MAILROOM_IMAPS_PORT" "$MAILROOM_SUBMISSION_PORT" "$MAILROOM_SUBMISSIONS_PORT" \
        "$MAILROOM_SELF_SIGNED_IMAPS_PORT"; do
        allowed="$allowed,localhost:$port,127.0.0.1:$port"
      done
      export MAILROOM_IMAP_ALLOWED_PRIVATE_HOSTS="${allowed#,}"
      # The outbox's messages are read from sync-service (ADR 0007), with the connector's own
      # service token (ADR 0007): the local realm's dev-only secret.
      export MAILROOM_OUTBOX_STORE_URL="http://127.0.0.1:$MAILROOM_SYNC_PORT"
      export QUARKUS_OIDC_CLIENT_CREDENTIALS_SECRET=mailroom-connector-dev-secret
      ;;
  esac
  case "$svc" in
    gateway | connector-service)
      export MAILROOM_CREDENTIALS_KEY_ID=local-1
      MAILROOM_CREDENTIALS_KEY="$(<"$MAILROOM_SECRETS/credentials.key")"
      export MAILROOM_CREDENTIALS_KEY
      ;;
  esac
}

# A service already running the current build is left alone; one running an
# older build is replaced.
service_start() {
  local svc="$1" port app="$MAILROOM_APPS/$1" build
  port="$(service_port "$svc")"
  build="$(<"$MAILROOM_BUILD_STAMP")"
  if pid_of "$svc" >/dev/null; then
    if [[ "$(cat "$app/.build" 2>/dev/null)" == "$build" ]]; then
      say "$svc: already running (pid $(pid_of "$svc"), port $port)"
      return 0
    fi
    stop_pid "$svc"
  fi
  rm -rf "$app"
  mkdir -p "$MAILROOM_APPS"
  cp -a "$MAILROOM_ROOT/$svc/target/quarkus-app" "$app"
  echo "$build" >"$app/.build"
  service_launch "$svc"
}

# Starts SERVICE from its copy in the home, as it is. The serial collector with half the heap
# young (-XX:NewRatio=1): with the default third, the two batches a first sync holds outlived
# their young collections and were copied into the old generation, 110 MB of it in use after a
# young collection against 45-60 MB (bench/connector/README.md, "The next batch's command in
# flight").
service_launch() {
  local svc="$1"
  (
    service_export_env "$svc"
    start_bg "$svc" "$JAVA_HOME/bin/java" -Xmx256m -XX:+UseSerialGC -XX:NewRatio=1 \
      -jar "$MAILROOM_APPS/$svc/quarkus-run.jar"
  )
  SERVICES_T0="${SERVICES_T0:-$(now_ms)}"
  SERVICES_STARTED+=("$svc")
}

# `./mailroom start SERVICE` after a `stop`: the same build again, on the same database and
# topics (tests of what survives a restart).
service_restart_copy() {
  local svc="$1"
  [[ -f "$MAILROOM_APPS/$svc/quarkus-run.jar" ]] ||
    die "$svc: no copy in $MAILROOM_APPS to start: run ./mailroom up first"
  pid_of "$svc" >/dev/null || service_launch "$svc"
  service_ready "$svc"
}

# Waits for SERVICE's readiness; says so when this run started it.
service_ready() {
  local svc="$1" port
  port="$(service_port "$svc")"
  wait_until "$svc" "$MAILROOM_START_TIMEOUT" service_healthy "$port"
  if [[ " ${SERVICES_STARTED[*]} " == *" $svc "* ]]; then
    say "$svc: ready (pid $(pid_of "$svc"), port $port) after $(since "$SERVICES_T0")"
  fi
}

service_healthy() {
  [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/q/health/ready")" == 200 ]]
}
