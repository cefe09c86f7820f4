# shellcheck shell=bash
# Keycloak in dev mode with the `mailroom` realm.
#
# The first start of a Keycloak distribution re-augments it (Quarkus build
# step), creates the H2 schema and imports the realm: about a minute on two
# cores. That is done once, in the cache (keycloak_prepare_template). Each home
# then gets its own copy of the prepared distribution, so that two stacks never
# share an H2 database, and starts it in seconds.

MAILROOM_REALM_JSON="$MAILROOM_ROOT/deploy/keycloak/mailroom-realm.json"

realm_digest() { sha1sum <"$MAILROOM_REALM_JSON" | cut -d' ' -f1; }

# Fills KC_CMD with the command that runs the distribution in DIR. C1-only JIT
# halves start-up on two cores; a local Keycloak never needs C2's peak speed.
keycloak_command() {
  local dir="$1" http_port="$2" mgmt_port="$3"
  KC_CMD=(env JAVA_HOME="$JAVA_HOME"
    KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin
    JAVA_OPTS_KC_HEAP="-Xms64m -Xmx512m"
    JAVA_OPTS_APPEND="-XX:TieredStopAtLevel=1 -Dvertx.cacheDirBase=$dir/data/vertx"
    "$dir/bin/kc.sh" start-dev --http-host=127.0.0.1 --http-port="$http_port"
    --http-management-port="$mgmt_port" --health-enabled=true --import-realm)
}

# Runs the cached distribution once, on ports the system picks, until the realm
# is imported. Called by install, under its lock.
keycloak_prepare_template() {
  local dist="$MAILROOM_KEYCLOAK_DIST" want log pid deadline
  want="$(realm_digest)"
  [[ -f "$dist/data/realm.sha1" && "$(<"$dist/data/realm.sha1")" == "$want" ]] && return 0
  step "preparing Keycloak once for every home (realm import; about a minute)"
  log="$(dirname "$dist")/prepare.log"
  rm -rf "$dist/data"
  mkdir -p "$dist/data/import"
  cp "$MAILROOM_REALM_JSON" "$dist/data/import/mailroom-realm.json"
  keycloak_command "$dist" 0 0
  "${KC_CMD[@]}" </dev/null >"$log" 2>&1 &
  pid=$!
  deadline=$((SECONDS + 3 * MAILROOM_START_TIMEOUT))
  until grep -q 'Keycloak .* started in' "$log"; do
    if ! kill -0 "$pid" 2>/dev/null || ((SECONDS >= deadline)); then
      kill -TERM "$pid" 2>/dev/null || true
      tail -n 30 "$log" >&2
      die "keycloak: the first start failed (log: $log)"
    fi
    sleep 0.5
  done
  kill -TERM "$pid"
  wait "$pid" || true
  rm -rf "$dist/data/tmp" "$dist/data/vertx"
  echo "$want" >"$dist/data/realm.sha1"
}

keycloak_start() {
  if pid_of keycloak >/dev/null; then
    say "keycloak: already running (pid $(pid_of keycloak), port $MAILROOM_KEYCLOAK_PORT)"
    return 0
  fi
  KEYCLOAK_T0="$(now_ms)"
  keycloak_prepare_home
  keycloak_command "$MAILROOM_KEYCLOAK_DIR" "$MAILROOM_KEYCLOAK_PORT" "$MAILROOM_KEYCLOAK_MGMT_PORT"
  start_bg keycloak "${KC_CMD[@]}"
}

keycloak_ready() {
  wait_until keycloak "$MAILROOM_START_TIMEOUT" keycloak_healthy
  if [[ -n "${KEYCLOAK_T0:-}" ]]; then
    say "keycloak: started (pid $(pid_of keycloak), port $MAILROOM_KEYCLOAK_PORT) in $(since "$KEYCLOAK_T0")"
  fi
}

keycloak_healthy() {
  curl -fs -o /dev/null "http://127.0.0.1:$MAILROOM_KEYCLOAK_MGMT_PORT/health/ready"
}

# The home's copy: the 160 MB of jars are hard links into the cache (they are
# only read); the rest is copied because Keycloak writes to it. A changed realm
# file brings the freshly imported database of the cache.
keycloak_prepare_home() {
  local dir="$MAILROOM_KEYCLOAK_DIR" dist="$MAILROOM_KEYCLOAK_DIST"
  if [[ ! -x "$dir/bin/kc.sh" ]]; then
    rm -rf "$dir"
    mkdir -p "$dir/lib"
    tar -C "$dist" --exclude=./lib/lib --exclude=./.complete -cf - . | tar -C "$dir" -xf -
    cp -al "$dist/lib/lib" "$dir/lib/lib" 2>/dev/null || cp -a "$dist/lib/lib" "$dir/lib/lib"
  elif [[ "$(cat "$dir/data/realm.sha1" 2>/dev/null)" != "$(<"$dist/data/realm.sha1")" ]]; then
    rm -rf "$dir/data"
    cp -a "$dist/data" "$dir/data"
  fi
}
