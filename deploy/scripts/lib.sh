# shellcheck shell=bash
# Messages, and the life cycle of the background processes the stack owns: each
# one has a pid file under $MAILROOM_RUN and a log under $MAILROOM_LOGS.

say() { printf '%s\n' "$*"; }
step() { printf '==> %s\n' "$*"; }
warn() { printf 'mailroom: warning: %s\n' "$*" >&2; }
die() {
  printf 'mailroom: error: %s\n' "$*" >&2
  exit 1
}

# Seconds since $1 (an epoch in milliseconds), one decimal.
now_ms() { date +%s%3N; }
since() {
  local ms=$(($(now_ms) - $1))
  printf '%d.%ds' $((ms / 1000)) $((ms % 1000 / 100))
}

port_open() { timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

pid_file() { echo "$MAILROOM_RUN/$1.pid"; }
log_file() { echo "$MAILROOM_LOGS/$1.log"; }

# The pid recorded for NAME, if that process is alive and is one of ours: its
# command line names this home. A pid recycled by an unrelated program after a
# reboot is therefore never signalled.
pid_of() {
  local file pid
  file="$(pid_file "$1")"
  [[ -s "$file" ]] || return 1
  pid="$(<"$file")"
  [[ "$pid" =~ ^[0-9]+$ && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$MAILROOM_HOME" || return 1
  echo "$pid"
}

# Checked before anything starts: every port that a NAME not yet running will
# take must be free.
require_free_ports() {
  local name port
  for name in "$@"; do
    pid_of "$name" >/dev/null && continue
    for port in $(component_ports "$name"); do
      if port_open "$port"; then
        die "$name: port $port is already in use by another program (see: ss -ltnp 'sport = :$port'); stop it or set MAILROOM_PORT_OFFSET"
      fi
    done
  done
}

# Starts CMD... in its own session, detached from the terminal, appending its
# output to NAME's log. The child writes its own pid before exec, so the pid
# file names the real program whatever setsid does.
start_bg() {
  local name="$1" pidf
  shift
  pidf="$(pid_file "$name")"
  rm -f "$pidf"
  setsid -f bash -c 'echo $$ >"$0"; exec "$@"' "$pidf" "$@" \
    </dev/null >>"$(log_file "$name")" 2>&1
  local i
  for i in $(seq 50); do
    [[ -s "$pidf" ]] && return 0
    sleep 0.1
  done
  die "$name: did not start (see $(log_file "$name"))"
}

# Whether the process that NAME's pid file names is still there (and no zombie),
# whatever its command line says. For the seconds after a start, where pid_of can
# miss it: its command line is empty while it execs, and Dovecot execs doveconf and
# then itself again as it starts ("dovecot exited during start-up" while it ran).
still_running() {
  local file pid stat rest
  file="$(pid_file "$1")"
  [[ -s "$file" ]] || return 1
  pid="$(<"$file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || return 1
  rest="${stat##*) }"
  [[ -n "$rest" && "${rest%% *}" != Z ]]
}

# Waits until CHECK... succeeds, failing early if NAME's process exits.
wait_until() {
  local name="$1" timeout="$2"
  shift 2
  local deadline=$((SECONDS + timeout))
  until "$@"; do
    if ! pid_of "$name" >/dev/null && ! still_running "$name"; then
      show_log_tail "$name"
      die "$name exited during start-up (log: $(log_file "$name"))"
    fi
    if ((SECONDS >= deadline)); then
      show_log_tail "$name"
      die "$name not ready after ${timeout}s (log: $(log_file "$name"))"
    fi
    sleep 0.3
  done
}

show_log_tail() {
  local log
  log="$(log_file "$1")"
  [[ -f "$log" ]] || return 0
  printf -- '--- last lines of %s ---\n' "$log" >&2
  tail -n 30 "$log" >&2
  printf -- '---\n' >&2
}

# Stops the process named by NAME's pid file: its stop signal (TERM unless the
# component sets MAILROOM_STOP_SIGNAL_<name>), up to 30 s of grace, then KILL.
# Only ever our own pid.
stop_pid() {
  local name="$1" pid signal_var signal
  signal_var="MAILROOM_STOP_SIGNAL_${name//-/_}"
  signal="${!signal_var:-TERM}"
  if ! pid="$(pid_of "$name")"; then
    rm -f "$(pid_file "$name")"
    return 0
  fi
  local i t0
  t0="$(now_ms)"
  # A process stopped with SIGSTOP (a freeze test that did not finish, a debugger) would only
  # handle its stop signal once continued: continue it first, or it waits 30 s for SIGKILL.
  kill -s CONT "$pid" 2>/dev/null || true
  kill -s "$signal" "$pid" 2>/dev/null || true
  for i in $(seq 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    warn "$name (pid $pid) ignored SIG$signal for 30s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$(pid_file "$name")"
  say "$name: stopped (pid $pid) in $(since "$t0")"
}

# Stops every NAME at once: each waits only for itself.
stop_all() {
  local name pids=() pid
  for name in "$@"; do
    stop_pid "$name" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || true; done
}

# The marker lets `down --wipe` delete only a folder this tool created.
ensure_home() {
  mkdir -p "$MAILROOM_HOME" "$MAILROOM_RUN" "$MAILROOM_LOGS" "$MAILROOM_DATA" "$MAILROOM_SOCK"
  touch "$MAILROOM_HOME/.mailroom-home"
}

# The project's Maven: the wrapper when the repository has one.
maven_name() { if [[ -x "$MAILROOM_ROOT/mvnw" ]]; then echo ./mvnw; else echo mvn; fi; }
maven() {
  if [[ -x "$MAILROOM_ROOT/mvnw" ]]; then
    "$MAILROOM_ROOT/mvnw" "$@"
  else
    mvn "$@"
  fi
}
