# shellcheck shell=bash
# A private PostgreSQL 15 cluster. PostgreSQL refuses to run as root, so the
# cluster belongs to the `postgres` OS user; setpriv (unlike runuser) execs in
# place, so the pid file names the postmaster itself.

MAILROOM_PG_SOCK="$MAILROOM_SOCK/pg"
# Fast shutdown: SIGINT ends client sessions, SIGTERM would wait for them to leave.
MAILROOM_STOP_SIGNAL_postgres=INT
MAILROOM_DATABASES=(mailroom_sync mailroom_health mailroom_search
  mailroom_sync_test mailroom_health_test mailroom_search_test)

as_postgres() { (cd / && setpriv --reuid=postgres --regid=postgres --init-groups "$@"); }

postgres_up() {
  local t0
  t0="$(now_ms)"
  if postgres_running; then
    say "postgres: already running (pid $(pid_of postgres), port $MAILROOM_PG_PORT)"
  else
    postgres_init_cluster
    start_bg postgres setpriv --reuid=postgres --regid=postgres --init-groups \
      "$MAILROOM_PG_BIN/postgres" -D "$MAILROOM_PG_DATA" \
      -c port="$MAILROOM_PG_PORT" -c listen_addresses=127.0.0.1 \
      -c unix_socket_directories="$MAILROOM_PG_SOCK" \
      -c fsync=off -c synchronous_commit=off -c full_page_writes=off
    wait_until postgres "$MAILROOM_START_TIMEOUT" postgres_ready
    say "postgres: started (pid $(pid_of postgres), port $MAILROOM_PG_PORT) in $(since "$t0")"
  fi
  postgres_create_databases
}

postgres_running() {
  pid_of postgres >/dev/null || return 1
  wait_until postgres "$MAILROOM_START_TIMEOUT" postgres_ready
}

postgres_ready() {
  "$MAILROOM_PG_BIN/pg_isready" -q -h "$MAILROOM_PG_SOCK" -p "$MAILROOM_PG_PORT"
}

postgres_init_cluster() {
  [[ -f "$MAILROOM_PG_DATA/PG_VERSION" ]] && return 0
  mkdir -p "$MAILROOM_PG_DATA" "$MAILROOM_PG_SOCK"
  chown postgres:postgres "$MAILROOM_PG_DATA" "$MAILROOM_PG_SOCK"
  chmod 700 "$MAILROOM_PG_DATA" "$MAILROOM_PG_SOCK"
  as_postgres test -w "$MAILROOM_PG_DATA" ||
    die "postgres: the postgres OS user cannot reach $MAILROOM_PG_DATA (a parent folder is not world-searchable); set MAILROOM_HOME elsewhere"
  # Local socket: trust (the folder is private to postgres and root). TCP: passwords.
  as_postgres "$MAILROOM_PG_BIN/initdb" -D "$MAILROOM_PG_DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >>"$(log_file postgres)" 2>&1 ||
    die "postgres: initdb failed (log: $(log_file postgres))"
}

postgres_psql() {
  psql -X -q -At -v ON_ERROR_STOP=1 -h "$MAILROOM_PG_SOCK" -p "$MAILROOM_PG_PORT" -U postgres -d postgres
}

postgres_create_databases() {
  local list
  list="$(printf "'%s'," "${MAILROOM_DATABASES[@]}")"
  postgres_psql >/dev/null <<SQL
SELECT 'CREATE ROLE mailroom LOGIN CREATEDB PASSWORD ''mailroom'''
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mailroom') \gexec
SELECT format('CREATE DATABASE %I OWNER mailroom', d)
  FROM unnest(ARRAY[${list%,}]) AS d
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = d) \gexec
SQL
}
