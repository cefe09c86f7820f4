# shellcheck shell=bash
# Tokens from the local Keycloak, and the demo account the stack registers
# through the gateway. Passwords, secrets and tokens travel through process
# substitution, never on a command line that `ps` would show.

# Dev-only secret of the local realm (deploy/keycloak/mailroom-realm.json).
MAILROOM_CLIENT_ID=mailroom-gateway
MAILROOM_CLIENT_SECRET=mailroom-gateway-dev-secret

# Prints an access token for USER, or explains on stderr why there is none.
token_for() {
  local user="$1" password="$2" url response code form
  url="http://127.0.0.1:$MAILROOM_KEYCLOAK_PORT/realms/mailroom/protocol/openid-connect/token"
  form="$(jq -rn --arg u "$user" --arg p "$password" --arg id "$MAILROOM_CLIENT_ID" --arg s "$MAILROOM_CLIENT_SECRET" \
    '"grant_type=password&client_id=\($id|@uri)&client_secret=\($s|@uri)&username=\($u|@uri)&password=\($p|@uri)"')"
  if ! response="$(curl -sS -w '\n%{http_code}' --data-binary @<(printf '%s' "$form") \
    -H 'Content-Type: application/x-www-form-urlencoded' "$url" 2>&1)"; then
    printf 'mailroom: error: Keycloak does not answer at %s (is the stack up? ./mailroom status)\n' "$url" >&2
    return 1
  fi
  code="${response##*$'\n'}"
  response="${response%$'\n'*}"
  if [[ "$code" != 200 ]]; then
    printf 'mailroom: error: no token for %s: HTTP %s %s\n' "$user" "$code" \
      "$(jq -r '.error_description // .error // empty' <<<"$response" 2>/dev/null)" >&2
    return 1
  fi
  jq -r .access_token <<<"$response"
}

# curl against the gateway with the bearer token passed as a config file.
gateway_curl() {
  local token="$1"
  shift
  curl -sS -K <(printf 'header = "Authorization: Bearer %s"\n' "$token") "$@"
}

# Registers the demo IMAP mailbox for Keycloak user `demo` unless it is there.
# A service that has just reported ready may still fail its first requests, so
# a 5xx (or no answer) is retried for half a minute.
seed_demo_account() {
  local gw="http://127.0.0.1:$MAILROOM_GATEWAY_PORT" token accounts payload code attempt body
  token="$(token_for demo demo)" || die "seeding: cannot get a token for demo"
  accounts="$(gateway_curl "$token" -w '\n%{http_code}' "$gw/api/accounts" 2>&1)" || true
  code="${accounts##*$'\n'}"
  accounts="${accounts%$'\n'*}"
  [[ "$code" == 200 ]] ||
    die "seeding: GET $gw/api/accounts answered HTTP $code: $(head -c 300 <<<"$accounts") (gateway log: $(log_file gateway))"
  DEMO_ACCOUNT_ID="$(jq -r 'first(.[] | select(.username == "demo") | .id) // empty' <<<"$accounts")"
  if [[ -n "$DEMO_ACCOUNT_ID" ]]; then
    say "seed: demo account already registered (id $DEMO_ACCOUNT_ID)"
    return 0
  fi
  # SMTP through the stack's Postfix: demo can send to alice@mailroom.local and the others.
  payload="$(jq -n --argjson port "$MAILROOM_IMAPS_PORT" --argjson smtp "$MAILROOM_SUBMISSION_PORT" \
    '{displayName: "Demo mailbox", email: "demo@mailroom.local", host: "localhost", port: $port,
    security: "tls", username: "demo", password: "demo", smtpHost: "localhost", smtpPort: $smtp,
    smtpSecurity: "starttls"}')"
  body="$(mktemp)"
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    code="$(gateway_curl "$token" -o "$body" -w '%{http_code}' -H 'Content-Type: application/json' \
      --data-binary @<(printf '%s' "$payload") "$gw/api/accounts" 2>/dev/null)" || code=000
    [[ "$code" == 5* || "$code" == 000 ]] || break
    sleep 3
  done
  if [[ "$code" != 2* ]]; then
    printf 'seeding: POST /api/accounts answered HTTP %s: %s\n' "$code" "$(head -c 500 "$body")" >&2
    rm -f "$body"
    die "seeding the demo account failed (gateway log: $(log_file gateway))"
  fi
  DEMO_ACCOUNT_ID="$(jq -r '.id // empty' "$body" 2>/dev/null || true)"
  rm -f "$body"
  say "seed: demo account registered${DEMO_ACCOUNT_ID:+ (id $DEMO_ACCOUNT_ID)}"
}

# Waits until the gateway lists the demo account and its INBOX has finished its first sync, so
# that the commands `up` prints next answer with mail, not with [] (issue: a fresh stack listed no
# account for 1-2 s after the POST). Gives up with a warning after MAILROOM_START_TIMEOUT seconds.
wait_demo_synced() {
  local gw="http://127.0.0.1:$MAILROOM_GATEWAY_PORT" token deadline listed=0 mailboxes
  [[ -n "${DEMO_ACCOUNT_ID:-}" ]] || return 0
  token="$(token_for demo demo)" || return 0
  deadline=$((SECONDS + ${MAILROOM_START_TIMEOUT:-180}))
  while ((SECONDS < deadline)); do
    if ((!listed)); then
      gateway_curl "$token" -f "$gw/api/accounts" 2>/dev/null |
        jq -e --arg id "$DEMO_ACCOUNT_ID" 'any(.[]; .id == $id)' >/dev/null 2>&1 && listed=1
    fi
    if ((listed)); then
      mailboxes="$(gateway_curl "$token" -f "$gw/api/accounts/$DEMO_ACCOUNT_ID/mailboxes" 2>/dev/null)" || mailboxes=
      if jq -e 'any(.[]; .path == "INBOX" and .sync.total != null and .sync.done >= .sync.total
                 and .stored >= .total)' >/dev/null 2>&1 <<<"$mailboxes"; then
        say "seed: demo account listed and its INBOX synced"
        return 0
      fi
    fi
    sleep 0.5
  done
  warn "seed: the demo account's INBOX was not synced within ${MAILROOM_START_TIMEOUT:-180}s (connector log: $(log_file connector-service))"
}
