# shellcheck shell=bash
# Installs what the local stack runs on: Debian packages, the Kafka jars and the
# Keycloak distribution. Idempotent; a marker per download makes the warm path
# cost a few file tests and one dpkg query.

MAILROOM_APT_PACKAGES=(dovecot-imapd dovecot-lmtpd dovecot-lucene postfix postgresql
  postgresql-contrib isync jq curl unzip openssl ca-certificates
  chromium chromium-driver)  # headless browser for the console tests (deploy ConsoleIT)

install_all() {
  check_java
  mkdir -p "$MAILROOM_CACHE"
  # Several homes share the cache: one installer at a time.
  local lock
  exec {lock}>"$MAILROOM_CACHE/.lock"
  if ! flock -n "$lock"; then
    say "waiting for another ./mailroom to finish installing into $MAILROOM_CACHE"
    flock "$lock"
  fi
  install_apt_packages
  install_kafka_jars
  install_keycloak
  keycloak_prepare_template
  exec {lock}>&-
}

check_java() {
  local release="$JAVA_HOME/release" major
  [[ -r "$release" ]] || die "no JDK at JAVA_HOME=$JAVA_HOME (Java 25 expected)"
  major="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")"
  ((major >= 25)) || die "JAVA_HOME=$JAVA_HOME is Java $major; Java 25 or newer is needed"
}

install_apt_packages() {
  local installed missing=() pkg
  installed="$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${MAILROOM_APT_PACKAGES[@]}" 2>/dev/null || true)"
  for pkg in "${MAILROOM_APT_PACKAGES[@]}"; do
    grep -q "^$pkg ii" <<<"$installed" || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0
  ((EUID == 0)) || die "missing packages: ${missing[*]}; run: sudo apt-get install ${missing[*]}"
  step "installing Debian packages: ${missing[*]}"
  local log="$MAILROOM_CACHE/apt.log"
  # Postfix's installer asks what kind of mail server this is. "No configuration" leaves
  # /etc/postfix/main.cf unwritten and the system instance unstarted: the stack runs a
  # private instance (postfix.sh), and a machine that already has its own Postfix keeps it.
  if [[ " ${missing[*]} " == *" postfix "* ]]; then
    echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections
  fi
  if ! (export DEBIAN_FRONTEND=noninteractive && apt-get update -q &&
    apt-get install -y -q --no-install-recommends "${missing[@]}") >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    die "apt-get failed (full log: $log)"
  fi
  # The packages start their own system-wide services; the stack runs private
  # instances instead, so those stay off.
  disable_system_service dovecot
  disable_system_service postgresql
  if [[ " ${missing[*]} " == *" postfix "* ]]; then disable_system_service postfix; fi
}

disable_system_service() {
  if command -v systemctl >/dev/null && systemctl is-system-running >/dev/null 2>&1; then
    systemctl disable --now "$1" >/dev/null 2>&1 || true
  else
    service "$1" stop >/dev/null 2>&1 || true
  fi
}

# Maven output goes to a log; it is shown only when something fails.
run_maven_logged() {
  local log="$MAILROOM_CACHE/install.log"
  # Maven's bundled Guava trips Java 25's sun.misc.Unsafe warnings; they are noise here.
  if ! MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" \
    maven -B -q -f "$MAILROOM_KAFKA_POM" "$@" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    die "Maven failed (full log: $log)"
  fi
}

install_kafka_jars() {
  local marker="$MAILROOM_KAFKA_DEPS/.complete" want
  want="$(sha1sum <"$MAILROOM_KAFKA_POM" | cut -d' ' -f1)"
  [[ -f "$marker" && "$(<"$marker")" == "$want" ]] && return 0
  step "downloading the Kafka jars into $MAILROOM_KAFKA_DEPS"
  rm -rf "$MAILROOM_KAFKA_DEPS"
  run_maven_logged org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$MAILROOM_KAFKA_DEPS"
  compgen -G "$MAILROOM_KAFKA_DEPS/kafka_2.13-*.jar" >/dev/null || die "no Kafka jar in $MAILROOM_KAFKA_DEPS"
  echo "$want" >"$marker"
}

install_keycloak() {
  local marker="$MAILROOM_KEYCLOAK_DIST/.complete" parent
  [[ -f "$marker" ]] && return 0
  parent="$(dirname "$MAILROOM_KEYCLOAK_DIST")"
  step "downloading Keycloak $MAILROOM_KEYCLOAK_VERSION into $parent"
  rm -rf "$MAILROOM_KEYCLOAK_DIST" "$parent/download"
  # Any standalone pom works for dependency:copy; the Kafka one avoids loading the reactor.
  run_maven_logged org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact="org.keycloak:keycloak-quarkus-dist:$MAILROOM_KEYCLOAK_VERSION:zip" \
    -DoutputDirectory="$parent/download"
  unzip -q "$parent/download/keycloak-quarkus-dist-$MAILROOM_KEYCLOAK_VERSION.zip" -d "$parent"
  rm -rf "$parent/download"
  [[ -x "$MAILROOM_KEYCLOAK_DIST/bin/kc.sh" ]] || die "the Keycloak archive has no bin/kc.sh"
  touch "$marker"
}
