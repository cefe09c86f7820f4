# shellcheck shell=bash
# The infrastructure components, started in an order that overlaps the two
# slow JVMs (Kafka, Keycloak) with the quick native ones.

infra_up() {
  kafka_start
  keycloak_start
  postgres_up
  dovecot_up
  postfix_up
  kafka_ready
  keycloak_ready
}

infra_down() { stop_all "${MAILROOM_INFRA[@]}"; }
