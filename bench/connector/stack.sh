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

# load_corpus <user> <count> <seed>: the realistic corpus (bench/corpus/corpus.py: several
# folders, attachments, nested MIME, non-ASCII names) written into the user's Maildir and indexed
# by Dovecot, every folder; prints the corpus's mix. Dovecot parses every message once here
# (`index`), so no contender pays that parse in its own timed fetch.
load_corpus() {
  local home="$HOME_DIR/data/mail/$1"
  python3 "$ROOT/bench/corpus/corpus.py" --seed "$3" "$home/Maildir" "$2"
  chown -R nobody:nogroup "$home"
  doveadm -c "$CONF" force-resync -u "$1" '*'
  doveadm -c "$CONF" index -u "$1" '*'
}

# start_connector <run> <quarkus-app dir> <log> [java options...]: the packaged connector on the
# run's topics (<run>.accounts, .mail, .connection, .account-status) and ownership group, in the
# background; sets CONNECTOR_PID. Expects KEY_ID and KEY (the credentials key) to be set.
start_connector() {
  local run="$1" app="$2" log="$3"
  shift 3
  (
    export KAFKA_BOOTSTRAP_SERVERS="$KAFKA"
    export MAILROOM_TOPIC_ACCOUNTS="$run.accounts" MAILROOM_TOPIC_MAIL="$run.mail" MAILROOM_TOPIC_CONNECTION="$run.connection"
    export MAILROOM_TOPIC_ACCOUNT_STATUS="$run.account-status"
    export MAILROOM_OWNERSHIP_GROUP_ID="$run" MAILROOM_CREDENTIALS_KEY_ID="$KEY_ID" MAILROOM_CREDENTIALS_KEY="$KEY"
    export MAILROOM_IMAP_ALLOWED_PRIVATE_HOSTS="localhost:*,127.0.0.1:*" MAILROOM_IMAP_TRUSTED_CA="$CA" QUARKUS_HTTP_PORT=0
    exec "$JAVA" "$@" -jar "$app/quarkus-run.jar"
  ) > "$log" 2>&1 &
  CONNECTOR_PID=$!
}

# await_connector <log>: until the connector has started and holds its account partitions.
await_connector() {
  for _ in $(seq 1 150); do grep -q "started in" "$1" && break; sleep 0.2; done
  grep -q "started in" "$1" || { echo "connector did not start:"; tail -30 "$1"; exit 1; }
  # Time the sync from a running connector: one that holds its partitions of the accounts topic.
  for _ in $(seq 1 100); do grep -q "assigned account partitions" "$1" && break; sleep 0.2; done
  grep -q "assigned account partitions" "$1" || echo "note: no 'assigned account partitions' in the connector log after 20 s"
}

# floor <user> <password> <rounds>: Floor.java's pipelined fetch of the connector's items from
# every mailbox of the user; prints each round and a RESULT floor line with the fastest.
floor() {
  BENCH_IMAP_PASSWORD="$2" "$JAVA" "$ROOT/bench/connector/Floor.java" "$HOST" "$IMAPS" "$1" "$CA" "$3"
}
