#!/usr/bin/env bash
# Live events benchmark: server change -> event on an open GET /api/events stream, p50/p90/p99.
# Against a running full stack (./mailroom up; the MAILROOM_TEST_* variables of `./mailroom env`):
# a fresh Dovecot user with 20 messages in INBOX is added as an account of Keycloak user demo
# through the gateway; once its INBOX is synced, EventLatency.java sets and clears \Flagged over
# IMAP, one change at a time, and times each from the server's OK to the event on the stream.
# The path measured: Dovecot -> connector (NOTIFY/IDLE) -> Kafka -> sync-service (store and change
# log, one transaction) -> gateway (long poll of the change log) -> the stream.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CHANGES="${BENCH_CHANGES:-100}"
source "$ROOT/bench/connector/stack.sh"
GATEWAY="${MAILROOM_TEST_GATEWAY_URL:?set MAILROOM_TEST_GATEWAY_URL}"
KEYCLOAK="${MAILROOM_TEST_KEYCLOAK_URL:?set MAILROOM_TEST_KEYCLOAK_URL}"
USER_NAME="bench-live-$(date +%s)-$RANDOM"
PASSWORD="pw-$RANDOM$RANDOM"
ACCOUNT=""
TOKEN="$(curl -sS --fail -d grant_type=password -d client_id=mailroom-gateway \
  -d client_secret=mailroom-gateway-dev-secret -d username=demo -d password=demo \
  "$KEYCLOAK/realms/mailroom/protocol/openid-connect/token" | jq -r .access_token)"
api() { curl -sS --fail -K <(printf 'header = "Authorization: Bearer %s"\n' "$TOKEN") "$@"; }
cleanup() {
  if [ -n "$ACCOUNT" ]; then api -X DELETE "$GATEWAY/api/accounts/$ACCOUNT" >/dev/null || true; fi
  rm -rf "$HOME_DIR/data/mail/$USER_NAME"
}
trap cleanup EXIT

add_users "$PASSWORD" "$USER_NAME"
sleep 2
mkdir -p "$HOME_DIR/data/mail/$USER_NAME/Maildir"
load_mailbox "$USER_NAME" INBOX 20 live
ACCOUNT="$(api -H 'Content-Type: application/json' --data-binary @<(jq -n --arg u "$USER_NAME" \
  --arg p "$PASSWORD" --arg h "$HOST" --argjson port "$IMAP" \
  '{displayName: "bench live", host: $h, port: $port, security: "starttls", username: $u, password: $p}') \
  "$GATEWAY/api/accounts" | jq -r .id)"
echo "account $ACCOUNT ($USER_NAME): waiting for its INBOX"
for _ in $(seq 1 120); do
  api "$GATEWAY/api/accounts/$ACCOUNT/mailboxes" 2>/dev/null |
    jq -e 'any(.[]; .path == "INBOX" and .stored >= 20)' >/dev/null 2>&1 && break
  sleep 1
done
"$JAVA" "$ROOT/bench/gateway/EventLatency.java" "$GATEWAY" "$TOKEN" "$ACCOUNT" "$HOST" "$IMAPS" "$CA" \
  "$USER_NAME" "$PASSWORD" "$CHANGES"
