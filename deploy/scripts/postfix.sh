# shellcheck shell=bash
# A private Postfix submission server on 127.0.0.1: its own config, queue and data
# folders under the home (master -c), STARTTLS and implicit TLS with the stack's
# certificate, SASL against Dovecot's users, delivery by LMTP into Dovecot.

MAILROOM_POSTFIX_DIR="$MAILROOM_HOME/postfix"
MAILROOM_POSTFIX_CONF="$MAILROOM_POSTFIX_DIR/conf"
MAILROOM_POSTFIX_DAEMONS=/usr/lib/postfix/sbin

postfix_up() {
  local t0
  t0="$(now_ms)"
  if pid_of postfix >/dev/null; then
    wait_until postfix "$MAILROOM_START_TIMEOUT" postfix_ports_open
    say "postfix: already running (pid $(pid_of postfix), ports $MAILROOM_SUBMISSION_PORT/$MAILROOM_SUBMISSIONS_PORT)"
    return 0
  fi
  tls_ensure
  postfix_write_config
  # `postfix check` makes the queue's folders with the owners and modes Postfix
  # insists on; it reads no config but ours (-c).
  postfix -c "$MAILROOM_POSTFIX_CONF" check >>"$(log_file postfix)" 2>&1 ||
    die "postfix: 'postfix check' failed (log: $(log_file postfix))"
  # The master daemon itself, in the foreground (-d), so that our pid file names it and its
  # command line names this home. `postfix start` would detach it, and `start-fg` runs it
  # in the foreground only as pid 1.
  start_bg postfix "$MAILROOM_POSTFIX_DAEMONS/master" -d -c "$MAILROOM_POSTFIX_CONF"
  wait_until postfix "$MAILROOM_START_TIMEOUT" postfix_ports_open
  say "postfix: started (pid $(pid_of postfix), ports $MAILROOM_SUBMISSION_PORT/$MAILROOM_SUBMISSIONS_PORT) in $(since "$t0")"
}

postfix_ports_open() { port_open "$MAILROOM_SUBMISSION_PORT" && port_open "$MAILROOM_SUBMISSIONS_PORT"; }

postfix_write_config() {
  mkdir -p "$MAILROOM_POSTFIX_CONF" "$MAILROOM_POSTFIX_DIR/queue" "$MAILROOM_POSTFIX_DIR/data"
  # Postfix refuses a queue or data folder its mail owner could replace.
  chown postfix "$MAILROOM_POSTFIX_DIR/data"
  local f
  for f in main.cf master.cf; do
    sed -e "s|@HOME@|$MAILROOM_HOME|g" -e "s|@SOCK@|$MAILROOM_SOCK|g" -e "s|@LOGS@|$MAILROOM_LOGS|g" \
      -e "s|@TLS@|$MAILROOM_TLS|g" \
      -e "s|@SUBMISSION_ADDR@|127.0.0.1:$MAILROOM_SUBMISSION_PORT|g" \
      -e "s|@SUBMISSIONS_ADDR@|127.0.0.1:$MAILROOM_SUBMISSIONS_PORT|g" \
      "$MAILROOM_ROOT/deploy/postfix/$f.in" >"$MAILROOM_POSTFIX_CONF/$f"
  done
}
