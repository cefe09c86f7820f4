# shellcheck shell=bash
# The one place for the local stack's ports and folders. Every value can be
# overridden from the environment; MAILROOM_PORT_OFFSET shifts every default port
# so that two stacks (the developer's and the test run's) can run side by side.

: "${MAILROOM_ROOT:?MAILROOM_ROOT must name the repository root}"

# Dovecot drops to `nobody` and PostgreSQL runs as `postgres`: files we create
# must stay readable by them even if the caller's umask is strict.
umask 022

export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

MAILROOM_HOME="${MAILROOM_HOME:-$MAILROOM_ROOT/.mailroom/local}"
MAILROOM_CACHE="${MAILROOM_CACHE:-$MAILROOM_ROOT/.mailroom/cache}"
MAILROOM_PORT_OFFSET="${MAILROOM_PORT_OFFSET:-0}"

# Absolute paths: they end up in generated configs and in the command lines we
# use to recognise our own processes.
MAILROOM_HOME="$(realpath -m "$MAILROOM_HOME")"
MAILROOM_CACHE="$(realpath -m "$MAILROOM_CACHE")"

port() { echo $(($1 + MAILROOM_PORT_OFFSET)); }
MAILROOM_KAFKA_PORT="${MAILROOM_KAFKA_PORT:-$(port 19092)}"
MAILROOM_KAFKA_CONTROLLER_PORT="${MAILROOM_KAFKA_CONTROLLER_PORT:-$(port 19093)}"
MAILROOM_PG_PORT="${MAILROOM_PG_PORT:-$(port 15432)}"
MAILROOM_IMAP_PORT="${MAILROOM_IMAP_PORT:-$(port 11143)}"
MAILROOM_IMAPS_PORT="${MAILROOM_IMAPS_PORT:-$(port 11993)}"
MAILROOM_SUBMISSION_PORT="${MAILROOM_SUBMISSION_PORT:-$(port 11587)}"
MAILROOM_SUBMISSIONS_PORT="${MAILROOM_SUBMISSIONS_PORT:-$(port 11465)}"
# Kept free for a test's own IMAP server with a self-signed certificate (ConsoleIT): the connector
# allows it as it allows Dovecot's ports, nothing of the stack listens on it.
MAILROOM_SELF_SIGNED_IMAPS_PORT="${MAILROOM_SELF_SIGNED_IMAPS_PORT:-$(port 11994)}"
MAILROOM_KEYCLOAK_PORT="${MAILROOM_KEYCLOAK_PORT:-$(port 18080)}"
MAILROOM_KEYCLOAK_MGMT_PORT="${MAILROOM_KEYCLOAK_MGMT_PORT:-$(port 19000)}"
MAILROOM_GATEWAY_PORT="${MAILROOM_GATEWAY_PORT:-$(port 8080)}"
MAILROOM_CONNECTOR_PORT="${MAILROOM_CONNECTOR_PORT:-$(port 8081)}"
MAILROOM_SYNC_PORT="${MAILROOM_SYNC_PORT:-$(port 8082)}"
MAILROOM_SEARCH_PORT="${MAILROOM_SEARCH_PORT:-$(port 8083)}"
MAILROOM_HEALTH_PORT="${MAILROOM_HEALTH_PORT:-$(port 8084)}"
unset -f port

# Folders inside the home.
MAILROOM_RUN="$MAILROOM_HOME/run"
MAILROOM_LOGS="$MAILROOM_HOME/logs"
MAILROOM_DATA="$MAILROOM_HOME/data"
MAILROOM_TLS="$MAILROOM_HOME/tls"
MAILROOM_APPS="$MAILROOM_HOME/apps"
MAILROOM_SECRETS="$MAILROOM_HOME/secrets"
MAILROOM_DOVECOT_DIR="$MAILROOM_HOME/dovecot"
MAILROOM_DOVECOT_CONF="$MAILROOM_DOVECOT_DIR/dovecot.conf"
MAILROOM_DOVECOT_PASSWD="$MAILROOM_DOVECOT_DIR/users"
MAILROOM_MAIL_DIR="$MAILROOM_DATA/mail"
MAILROOM_PG_DATA="$MAILROOM_DATA/postgres"
MAILROOM_KAFKA_DATA="$MAILROOM_DATA/kafka"
MAILROOM_KEYCLOAK_DIR="$MAILROOM_HOME/keycloak"

# Unix sockets (PostgreSQL's, Dovecot's) must fit in 107 bytes. A deep checkout
# would overflow that, so a long home puts them under /tmp instead.
if ((${#MAILROOM_HOME} <= 48)); then
  MAILROOM_SOCK="${MAILROOM_SOCK:-$MAILROOM_HOME/sock}"
else
  MAILROOM_SOCK="${MAILROOM_SOCK:-/tmp/mailroom-sock-$(printf '%s' "$MAILROOM_HOME" | sha1sum | cut -c1-12)}"
fi

# Downloads shared by every home.
MAILROOM_KAFKA_POM="$MAILROOM_ROOT/deploy/kafka/pom.xml"
MAILROOM_KAFKA_DEPS="$MAILROOM_CACHE/kafka/deps"
MAILROOM_KEYCLOAK_VERSION="26.5.6"
MAILROOM_KEYCLOAK_DIST="$MAILROOM_CACHE/keycloak/keycloak-$MAILROOM_KEYCLOAK_VERSION"
MAILROOM_PG_BIN="${MAILROOM_PG_BIN:-/usr/lib/postgresql/15/bin}"

# Seconds to wait for a component before giving up.
MAILROOM_START_TIMEOUT="${MAILROOM_START_TIMEOUT:-180}"

# The components, and the ports each one listens on (the first shows it is up).
MAILROOM_INFRA=(postgres kafka dovecot postfix keycloak)
MAILROOM_SERVICES=(connector-service sync-service search-service health-service gateway)
component_ports() {
  case "$1" in
    postgres) echo "$MAILROOM_PG_PORT" ;;
    kafka) echo "$MAILROOM_KAFKA_PORT $MAILROOM_KAFKA_CONTROLLER_PORT" ;;
    dovecot) echo "$MAILROOM_IMAP_PORT $MAILROOM_IMAPS_PORT" ;;
    postfix) echo "$MAILROOM_SUBMISSION_PORT $MAILROOM_SUBMISSIONS_PORT" ;;
    keycloak) echo "$MAILROOM_KEYCLOAK_PORT $MAILROOM_KEYCLOAK_MGMT_PORT" ;;
    *) service_port "$1" ;;
  esac
}
service_port() {
  case "$1" in
    connector-service) echo "$MAILROOM_CONNECTOR_PORT" ;;
    sync-service) echo "$MAILROOM_SYNC_PORT" ;;
    search-service) echo "$MAILROOM_SEARCH_PORT" ;;
    health-service) echo "$MAILROOM_HEALTH_PORT" ;;
    gateway) echo "$MAILROOM_GATEWAY_PORT" ;;
    *) return 1 ;;
  esac
}

export MAILROOM_HOME MAILROOM_CACHE MAILROOM_PORT_OFFSET \
  MAILROOM_KAFKA_PORT MAILROOM_KAFKA_CONTROLLER_PORT MAILROOM_PG_PORT \
  MAILROOM_IMAP_PORT MAILROOM_IMAPS_PORT MAILROOM_SUBMISSION_PORT MAILROOM_SUBMISSIONS_PORT \
  MAILROOM_SELF_SIGNED_IMAPS_PORT MAILROOM_KEYCLOAK_PORT MAILROOM_KEYCLOAK_MGMT_PORT \
  MAILROOM_GATEWAY_PORT MAILROOM_CONNECTOR_PORT MAILROOM_SYNC_PORT MAILROOM_SEARCH_PORT \
  MAILROOM_HEALTH_PORT
