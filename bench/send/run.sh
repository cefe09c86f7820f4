#!/usr/bin/env bash
# Sending benchmark against a running stack (./mailroom up): N messages from the demo account
# to a fresh local mailbox that is itself a Mailroom account, at RATE per second, each timed
# until the gateway accepted it, until it is in the recipient's Dovecot (relay, connector,
# Postfix, LMTP), and until the recipient's Mailroom store lists it. Prints p50/p99.
# Same variables as ./mailroom (MAILROOM_HOME, MAILROOM_PORT_OFFSET, MAILROOM_CACHE).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
N="${BENCH_SENDS:-200}"
RATE="${BENCH_RATE:-10}"
eval "$("$ROOT/mailroom" env)"
GW="$MAILROOM_TEST_GATEWAY_URL"
TOKEN="$("$ROOT/mailroom" token demo)"
auth() { curl -sS -K <(printf 'header = "Authorization: Bearer %s"\n' "$TOKEN") "$@"; }

SENDER="$(auth "$GW/api/accounts" | jq -r 'first(.[] | select(.username == "demo") | .id) // empty')"
[[ -n "$SENDER" ]] || { echo "no demo account: run ./mailroom up first" >&2; exit 1; }

# A fresh recipient: a Dovecot user, registered in Mailroom so its store sees what arrives.
USER_NAME="bench-to-$(date +%s)-$RANDOM"
printf '%s:{PLAIN}%s::::::\n' "$USER_NAME" "$USER_NAME" >>"$MAILROOM_TEST_DOVECOT_PASSWD"
sleep 1.2
touch "$MAILROOM_TEST_DOVECOT_PASSWD"
RECIPIENT="$(auth -H 'Content-Type: application/json' --data-binary @<(jq -n --arg u "$USER_NAME" \
  --argjson port "$MAILROOM_TEST_IMAPS_PORT" '{displayName: "Bench recipient", email: ($u + "@mailroom.local"),
  host: "localhost", port: $port, security: "tls", username: $u, password: $u}') "$GW/api/accounts" | jq -r .id)"
[[ "$RECIPIENT" != null && -n "$RECIPIENT" ]] || { echo "registering the recipient failed" >&2; exit 1; }
# Its first sync (an empty INBOX) must be done before the clock starts.
for _ in $(seq 60); do
  auth "$GW/api/accounts/$RECIPIENT/mailboxes" | jq -e 'map(select(.path == "INBOX")) | length == 1' >/dev/null 2>&1 && break
  sleep 1
done
# The store is read through sync-service's internal API, which takes only service tokens (ADR 0007):
# the gateway's client credentials (its dev secret, deploy/keycloak/mailroom-realm.json).
SERVICE_TOKEN="$(curl -sS -d grant_type=client_credentials -d client_id=mailroom-gateway \
  -d client_secret=mailroom-gateway-dev-secret \
  "$MAILROOM_TEST_KEYCLOAK_URL/realms/mailroom/protocol/openid-connect/token" | jq -r .access_token)"
MAILDIR="$MAILROOM_HOME/data/mail/$USER_NAME/Maildir"
"${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" "$ROOT/bench/send/Bench.java" "$GW" "$TOKEN" "$SENDER" "$USER_NAME@mailroom.local" \
  "$RECIPIENT" "$MAILDIR" "$MAILROOM_TEST_SYNC_URL" "$N" "$RATE" "$SERVICE_TOKEN"
