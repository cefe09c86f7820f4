# shellcheck shell=bash
# The subcommands of ./mailroom.

cmd_install() {
  install_all
  say "install: everything present (cache: $MAILROOM_CACHE)"
}

cmd_up() {
  local t0
  t0="$(now_ms)"
  if [[ "${1:-}" == --infra-only ]]; then
    install_all
    ensure_home
    require_free_ports "${MAILROOM_INFRA[@]}"
    infra_up
    say "infrastructure up in $(since "$t0") (home: $MAILROOM_HOME)"
  else
    stack_up
    wait_demo_synced
    print_welcome "$t0"
  fi
}

# The path shared by `up` and `test`.
stack_up() {
  install_all
  ensure_home
  require_free_ports "${MAILROOM_INFRA[@]}" "${MAILROOM_SERVICES[@]}"
  infra_up
  services_up
  seed_demo_account
}

print_welcome() {
  local gw="http://127.0.0.1:$MAILROOM_GATEWAY_PORT" id="${DEMO_ACCOUNT_ID:-<account-id>}"
  cat <<EOF

Mailroom is up in $(since "$1"): gateway $gw

Try it:
  TOKEN=\$(./mailroom token demo)
  curl -H "Authorization: Bearer \$TOKEN" $gw/api/accounts
  curl -H "Authorization: Bearer \$TOKEN" $gw/api/accounts/$id/mailboxes
  curl -H "Authorization: Bearer \$TOKEN" "$gw/api/accounts/$id/messages?mailbox=INBOX"
EOF
}

# Stops services first, then the infrastructure they use.
cmd_down() {
  local wipe=0
  [[ "${1:-}" == --wipe ]] && wipe=1
  if [[ -d "$MAILROOM_RUN" ]]; then
    services_down
    infra_down
  fi
  if ((wipe)); then wipe_home; fi
}

wipe_home() {
  [[ -e "$MAILROOM_HOME" ]] || return 0
  [[ -f "$MAILROOM_HOME/.mailroom-home" ]] ||
    die "refusing to delete $MAILROOM_HOME: it was not made by ./mailroom"
  rm -rf "$MAILROOM_HOME" "$MAILROOM_SOCK"
  say "deleted $MAILROOM_HOME"
}

# One infrastructure component or service, for tests and experiments that take it away and
# bring it back (Postfix gone during a send, sync-service restarted on the same database).
cmd_stop() {
  component_name "${1:-}"
  stop_pid "$1"
}

cmd_start() {
  component_name "${1:-}"
  ensure_home
  if [[ " ${MAILROOM_SERVICES[*]} " == *" $1 "* ]]; then
    service_restart_copy "$1"
    return
  fi
  case "$1" in
    kafka | keycloak) "${1}_start" && "${1}_ready" ;;
    *) "${1}_up" ;;
  esac
}

component_name() {
  [[ " ${MAILROOM_INFRA[*]} ${MAILROOM_SERVICES[*]} " == *" $1 "* ]] ||
    die "usage: ./mailroom stop|start NAME, NAME one of: ${MAILROOM_INFRA[*]} ${MAILROOM_SERVICES[*]}"
}

cmd_status() {
  local name
  STATUS_NOTES=()
  printf '%-18s %-8s %-12s %-9s %-9s %s\n' COMPONENT PID PORT STATE RSS 'PSS WITH CHILDREN'
  for name in "${MAILROOM_INFRA[@]}" "${MAILROOM_SERVICES[@]}"; do status_line "$name"; done
  if ((${#STATUS_NOTES[@]})); then
    printf '\n'
    printf '%s\n' "${STATUS_NOTES[@]}"
  fi
  cat <<EOF

home:          $MAILROOM_HOME
logs:          $MAILROOM_LOGS
passwd-file:   $MAILROOM_DOVECOT_PASSWD
dovecot conf:  $MAILROOM_DOVECOT_CONF
postfix conf:  $MAILROOM_POSTFIX_CONF (postfix -c; its log: $MAILROOM_LOGS/postfix.log)
TLS CA:        $MAILROOM_TLS/ca.pem
EOF
}

# STATE: down (no process), starting (port not open yet), frozen (stopped by a signal: its port
# still accepts connections, but nothing answers), up, or unhealthy (a service whose health
# endpoint is DOWN or does not answer; a note below the table says which check and why).
status_line() {
  local name="$1" ports pid state=down rss=- pss=-
  ports="$(component_ports "$name")"
  if pid="$(pid_of "$name")"; then
    state=starting
    if process_stopped "$(main_process "$pid")"; then
      state=frozen
      STATUS_NOTES+=("$name: stopped by a signal (SIGSTOP); 'kill -CONT $pid' resumes it")
    elif port_open "${ports%% *}"; then
      state=up
      if [[ " ${MAILROOM_SERVICES[*]} " == *" $name "* ]]; then
        service_health "$name"
        state="$HEALTH_STATE"
      fi
    fi
    rss="$(kib_to_mb "$(proc_field "$(main_process "$pid")" status VmRSS)")"
    pss="$(tree_pss "$pid")"
  else
    pid=-
  fi
  printf '%-18s %-8s %-12s %-9s %-9s %s\n' "$name" "$pid" "${ports// //}" "$state" "$rss" "$pss"
}

# State T in /proc/PID/stat: stopped by SIGSTOP (or a debugger).
process_stopped() {
  [[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" == T ]]
}

# Sets HEALTH_STATE to up or unhealthy from the service's liveness and readiness, and adds a note
# per probe that fails. Liveness DOWN: something is dead and only a restart helps (e.g. a Kafka
# channel that failed). Readiness DOWN: a dependency does not answer right now (the broker, the
# database); the service goes on by itself once it is back. Each probe gets 3 s.
service_health() {
  local name="$1" port probe response code
  port="$(service_port "$name")"
  HEALTH_STATE=up
  for probe in live ready; do
    response="$(curl -s -m 3 -w '\n%{http_code}' "http://127.0.0.1:$port/q/health/$probe" 2>/dev/null)" || true
    code="${response##*$'\n'}"
    [[ "$code" == 200 ]] && continue
    HEALTH_STATE=unhealthy
    if [[ "$code" == 000 || -z "$code" ]]; then
      STATUS_NOTES+=("$name: /q/health/$probe did not answer within 3 s")
    elif [[ "$probe" == live ]]; then
      STATUS_NOTES+=("$name: not live, restart it: $(down_checks <<<"${response%$'\n'*}")")
    else
      STATUS_NOTES+=("$name: not ready, waiting for: $(down_checks <<<"${response%$'\n'*}")")
    fi
  done
}

# The DOWN checks of a health response, and within each the entries that are not [OK].
down_checks() {
  jq -r '[.checks[]? | select(.status == "DOWN")
          | if (.data | type) == "object" and (.data | length) > 0
            then .name as $n | .data | to_entries[]
                 | select(.value | tostring | startswith("[OK]") | not) | "\(.key) \(.value)"
            else .name end] | join("; ")' 2>/dev/null | cut -c1-400
}

children() { cat /proc/"$1"/task/*/children 2>/dev/null || true; }

# Keycloak's pid is its launcher script while the JVM runs as its child.
main_process() {
  local child
  if [[ "$(cat "/proc/$1/comm" 2>/dev/null)" == *sh ]]; then
    for child in $(children "$1"); do
      echo "$child"
      return 0
    done
  fi
  echo "$1"
}

# A field (in KiB) of /proc/PID/FILE, 0 when the process is gone.
proc_field() {
  local v
  v="$(awk -v key="$3:" '$1 == key {print $2}' "/proc/$1/$2" 2>/dev/null)" || true
  echo "${v:-0}"
}

kib_to_mb() { echo "$(($1 / 1024)) MB"; }

# Proportional set size of the process and its children: PostgreSQL's and
# Dovecot's workers share memory, which plain RSS would count once per worker.
tree_pss() {
  local kb=0 p
  for p in "$1" $(children "$1"); do kb=$((kb + $(proc_field "$p" smaps_rollup Pss))); done
  kib_to_mb "$kb"
}

cmd_logs() {
  if [[ -z "${1:-}" ]]; then
    say "logs in $MAILROOM_LOGS (./mailroom logs NAME to read one):"
    ls -1sh "$MAILROOM_LOGS" 2>/dev/null | tail -n +2
    return 0
  fi
  local log
  log="$(log_file "$1")"
  [[ -f "$log" ]] || die "no log named $1 in $MAILROOM_LOGS"
  if [[ -t 1 ]]; then tail -n 100 -F "$log"; else tail -n 200 "$log"; fi
}

cmd_token() {
  [[ -n "${1:-}" ]] || die "usage: ./mailroom token USER [PASSWORD]"
  token_for "$1" "${2:-$1}"
}

# Every test of the project against a fresh stack of its own. The stack is
# stopped at the end whatever happens, and its logs are kept.
cmd_test() {
  cmd_down --wipe
  trap 'rc=$?; trap - EXIT; step "stopping the test stack (logs kept in $MAILROOM_LOGS)"; cmd_down || true; exit $rc' EXIT
  local t0
  t0="$(now_ms)"
  stack_up
  say "test stack up in $(since "$t0") (home: $MAILROOM_HOME)"
  export_test_env
  step "running the tests: $(maven_name) -B verify -DskipITs=false $*"
  local rc=0
  (cd "$MAILROOM_ROOT" && maven -B verify -DskipITs=false "$@") || rc=$?
  exit "$rc"
}

# For a test run from the IDE or one module's `mvn verify` against this stack:
# eval "$(./mailroom env)".
cmd_env() {
  local name
  export_test_env
  for name in MAILROOM_HOME $(compgen -e | grep '^MAILROOM_TEST_' | sort); do
    printf 'export %s=%q\n' "$name" "${!name}"
  done
}

export_test_env() {
  export MAILROOM_TEST_KAFKA="127.0.0.1:$MAILROOM_KAFKA_PORT"
  export MAILROOM_TEST_PG_URL="jdbc:postgresql://127.0.0.1:$MAILROOM_PG_PORT/"
  export MAILROOM_TEST_IMAP_HOST=localhost
  export MAILROOM_TEST_IMAP_PORT="$MAILROOM_IMAP_PORT"
  export MAILROOM_TEST_IMAPS_PORT="$MAILROOM_IMAPS_PORT"
  export MAILROOM_TEST_SELF_SIGNED_IMAPS_PORT="$MAILROOM_SELF_SIGNED_IMAPS_PORT"
  export MAILROOM_TEST_SUBMISSION_PORT="$MAILROOM_SUBMISSION_PORT"
  export MAILROOM_TEST_SUBMISSIONS_PORT="$MAILROOM_SUBMISSIONS_PORT"
  # Tests that stop and start one component (./mailroom stop|start NAME) need this stack's
  # home and offset to address it.
  export MAILROOM_TEST_ROOT="$MAILROOM_ROOT"
  export MAILROOM_TEST_HOME="$MAILROOM_HOME"
  export MAILROOM_TEST_PORT_OFFSET="$MAILROOM_PORT_OFFSET"
  export MAILROOM_TEST_GATEWAY_URL="http://127.0.0.1:$MAILROOM_GATEWAY_PORT"
  export MAILROOM_TEST_KEYCLOAK_URL="http://127.0.0.1:$MAILROOM_KEYCLOAK_PORT"
  export MAILROOM_TEST_TLS_CA="$MAILROOM_TLS/ca.pem"
  export MAILROOM_TEST_DOVECOT_PASSWD="$MAILROOM_DOVECOT_PASSWD"
  export MAILROOM_TEST_DOVECOT_CONF="$MAILROOM_DOVECOT_CONF"
  export MAILROOM_TEST_PG_BIN="$MAILROOM_PG_BIN"
  local svc var
  for svc in "${MAILROOM_SERVICES[@]}"; do
    var="${svc%-service}"
    var="MAILROOM_TEST_${var^^}_URL"
    export "$var=http://127.0.0.1:$(service_port "$svc")"
  done
}
