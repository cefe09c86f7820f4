# Sourced by run.sh, catchup.sh and failover.sh: the running stack they measure against (the
# MAILROOM_TEST_* variables and MAILROOM_HOME that `./mailroom env` prints, see deploy/README.md)
# and the steps they share. Expects ROOT (the repository) to be set.
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
KAFKA="${MAILROOM_TEST_KAFKA:?set MAILROOM_TEST_KAFKA}"
HOST="${MAILROOM_TEST_IMAP_HOST:-localhost}"
IMAP="${MAILROOM_TEST_IMAP_PORT:?set MAILROOM_TEST_IMAP_PORT}"
IMAPS="${MAILROOM_TEST_IMAPS_PORT:?set MAILROOM_TEST_IMAPS_PORT}"
CA="${MAILROOM_TEST_TLS_CA:?set MAILROOM_TEST_TLS_CA}"
PASSWD="${MAILROOM_TEST_DOVECOT_PASSWD:?set MAILROOM_TEST_DOVECOT_PASSWD}"
CONF="${MAILROOM_TEST_DOVECOT_CONF:?set MAILROOM_TEST_DOVECOT_CONF}"
HOME_DIR="${MAILROOM_HOME:?set MAILROOM_HOME}"

# ensure_app <quarkus-app dir> <override given by the caller, or empty> <module>: builds the
# module when its default directory has no package yet; an override must already hold one.
ensure_app() {
  [ -f "$1/quarkus-run.jar" ] && return
  [ -z "$2" ] || { echo "no quarkus-run.jar in $1"; exit 1; }
  (cd "$ROOT" && ./mvnw -B -o -q -pl "events,$3" install -DskipTests)
}

# add_users <password> <user>...: Dovecot users with that password in the stack's passwd-file.
add_users() {
  local password="$1" user
  shift
  for user in "$@"; do echo "$user:{PLAIN}$password::::::"; done >> "$PASSWD"
  touch -d "+2 seconds" "$PASSWD"   # Dovecot re-reads the file when its mtime changes
}

# load_mailbox <user> <mailbox> <count> <tag>: <count> messages written into the user's Maildir
# (load-maildir.py) and indexed by Dovecot; thousands per second.
load_mailbox() {
  local dir="$HOME_DIR/data/mail/$1/Maildir"
  [ "$2" = INBOX ] || dir="$dir/.$2"
  python3 "$ROOT/bench/connector/load-maildir.py" "$dir" "$3" "$4"
  chown -R nobody:nogroup "$HOME_DIR/data/mail/$1"
  doveadm -c "$CONF" force-resync -u "$1" "$2"
  doveadm -c "$CONF" index -u "$1" "$2"
}
