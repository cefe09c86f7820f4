# shellcheck shell=bash
# A private Dovecot IMAP server on 127.0.0.1, its TLS certificates, its users,
# and the demo mailbox.

MAILROOM_DEMO_COUNT="${MAILROOM_DEMO_COUNT:-1000}"
MAILROOM_DOVECOT_USERS=(demo alice bob carol)
# The userdb fields of each seeded user: which full-text search it gets (dovecot.conf.in).
# demo: a Lucene index and SEARCH=FUZZY (RFC 6203), the server-fuzzy route; alice: a Lucene
# index without SEARCH=FUZZY; bob and carol: no index at all, the plain server.
declare -A MAILROOM_DOVECOT_USER_FIELDS=(
  [demo]="userdb_fts=lucene userdb_imap_capability=+SEARCH=FUZZY"
  [alice]="userdb_fts=lucene"
)

dovecot_up() {
  local t0
  t0="$(now_ms)"
  if pid_of dovecot >/dev/null; then
    wait_until dovecot "$MAILROOM_START_TIMEOUT" port_open "$MAILROOM_IMAPS_PORT"
    say "dovecot: already running (pid $(pid_of dovecot), ports $MAILROOM_IMAP_PORT/$MAILROOM_IMAPS_PORT)"
  else
    tls_ensure
    dovecot_write_config
    dovecot_ensure_users
    # -F keeps the master in the foreground so that our pid file names it.
    start_bg dovecot dovecot -F -c "$MAILROOM_DOVECOT_CONF"
    wait_until dovecot "$MAILROOM_START_TIMEOUT" dovecot_ports_open
    say "dovecot: started (pid $(pid_of dovecot), ports $MAILROOM_IMAP_PORT/$MAILROOM_IMAPS_PORT) in $(since "$t0")"
  fi
  dovecot_load_demo_once
}

dovecot_ports_open() { port_open "$MAILROOM_IMAP_PORT" && port_open "$MAILROOM_IMAPS_PORT"; }

# A local CA and a server certificate for localhost/127.0.0.1 signed by it, made
# once per home. Clients trust ca.pem explicitly, so host-name checks stay on.
tls_ensure() {
  [[ -f "$MAILROOM_TLS/server.pem" ]] && return 0
  mkdir -p "$MAILROOM_TLS"
  (
    cd "$MAILROOM_TLS"
    openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
      -keyout ca.key -out ca.pem -days 3650 -subj "/CN=Mailroom local CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
    openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
      -keyout server.key -out server.csr -subj "/CN=localhost"
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
      -out server.pem -days 825 -extfile <(printf '%s\n' \
        "subjectAltName=DNS:localhost,IP:127.0.0.1" "basicConstraints=critical,CA:FALSE" \
        "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth")
    rm -f server.csr ca.srl
    chmod 600 ca.key server.key
  ) >"$MAILROOM_LOGS/tls.log" 2>&1 || die "tls: making the certificates failed (log: $MAILROOM_LOGS/tls.log)"
}

dovecot_write_config() {
  mkdir -p "$MAILROOM_DOVECOT_DIR/state" "$MAILROOM_SOCK/dovecot" "$MAILROOM_MAIL_DIR"
  # Dovecot runs as nobody when it creates the home of a user a test has added.
  chown nobody:nogroup "$MAILROOM_MAIL_DIR"
  sed -e "s|@HOME@|$MAILROOM_HOME|g" -e "s|@SOCK@|$MAILROOM_SOCK|g" -e "s|@LOGS@|$MAILROOM_LOGS|g" \
    -e "s|@TLS@|$MAILROOM_TLS|g" -e "s|@PASSWD@|$MAILROOM_DOVECOT_PASSWD|g" \
    -e "s|@MAIL@|$MAILROOM_MAIL_DIR|g" -e "s|@IMAP_PORT@|$MAILROOM_IMAP_PORT|g" \
    -e "s|@IMAPS_PORT@|$MAILROOM_IMAPS_PORT|g" \
    "$MAILROOM_ROOT/deploy/dovecot/dovecot.conf.in" >"$MAILROOM_DOVECOT_CONF"
}

# The passwd-file is written once: tests append their own users to it.
dovecot_ensure_users() {
  [[ -f "$MAILROOM_DOVECOT_PASSWD" ]] && return 0
  local user
  for user in "${MAILROOM_DOVECOT_USERS[@]}"; do
    printf '%s:{PLAIN}%s::::::%s\n' "$user" "$user" "${MAILROOM_DOVECOT_USER_FIELDS[$user]:-}"
  done >"$MAILROOM_DOVECOT_PASSWD"
  # Dovecot's auth process reads it as the `dovecot` user.
  chgrp dovecot "$MAILROOM_DOVECOT_PASSWD"
  chmod 640 "$MAILROOM_DOVECOT_PASSWD"
}

doveadm_() { doveadm -c "$MAILROOM_DOVECOT_CONF" "$@"; }

# About a thousand messages for `demo`, written straight into the Maildir and
# then indexed: appending them over IMAP would take a minute.
dovecot_load_demo_once() {
  local marker="$MAILROOM_MAIL_DIR/.demo-loaded" maildir="$MAILROOM_MAIL_DIR/demo/Maildir" t0
  [[ -f "$marker" ]] && return 0
  t0="$(now_ms)"
  mkdir -p "$maildir"
  # A short-lived JVM: C1 alone compiles and runs the generator sooner.
  "$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    "$MAILROOM_ROOT/deploy/demo/DemoMailGenerator.java" "$maildir" "$MAILROOM_DEMO_COUNT" \
    >>"$(log_file demo-mail)" 2>&1 || die "demo mailbox: generation failed (log: $(log_file demo-mail))"
  chown -R nobody:nogroup "$MAILROOM_MAIL_DIR/demo"
  {
    doveadm_ force-resync -u demo '*'
    doveadm_ index -u demo '*'
  } >>"$(log_file demo-mail)" 2>&1 || die "demo mailbox: doveadm failed (log: $(log_file demo-mail))"
  touch "$marker"
  say "dovecot: demo mailbox loaded ($MAILROOM_DEMO_COUNT messages) in $(since "$t0")"
}
