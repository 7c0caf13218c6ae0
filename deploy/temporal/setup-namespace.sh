#!/bin/sh
# One-shot, after the Temporal server answers: the namespace the services use, and the search
# attributes operators find requests by (OrganizationId = '...' in the Temporal UI), registered
# through the operator API. Idempotent. docker-compose runs it in temporalio/admin-tools;
# `npm run rehearse` runs this same file with the pinned Temporal CLI.
set -eu
: "${TEMPORAL_ADDRESS:?set TEMPORAL_ADDRESS (host:port of the frontend)}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
RETENTION="${TEMPORAL_NAMESPACE_RETENTION:-720h}"
SEARCH_ATTRIBUTES="${SEARCH_ATTRIBUTES:?set SEARCH_ATTRIBUTES (Name=Type, space-separated)}"

attempt=0
until temporal operator cluster health --address "$TEMPORAL_ADDRESS" 2>/dev/null | grep -q SERVING; do
  attempt=$((attempt + 1))
  if [ "$attempt" -ge 120 ]; then echo "Temporal at $TEMPORAL_ADDRESS is not serving" >&2; exit 1; fi
  sleep 1
done

if ! temporal operator namespace describe --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE" >/dev/null 2>&1; then
  temporal operator namespace create --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE" --retention "$RETENTION"
fi
# A new namespace takes a moment to reach every part of the server.
attempt=0
until temporal operator search-attribute list --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE" >/dev/null 2>&1; do
  attempt=$((attempt + 1))
  if [ "$attempt" -ge 60 ]; then echo "Namespace $NAMESPACE did not become ready" >&2; exit 1; fi
  sleep 1
done

existing="$(temporal operator search-attribute list --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE")"
for sa in $SEARCH_ATTRIBUTES; do
  name="${sa%%=*}"
  type="${sa#*=}"
  if printf '%s\n' "$existing" | grep -qw "$name"; then
    echo "Search attribute $name exists"
  else
    temporal operator search-attribute create --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE" --name "$name" --type "$type"
  fi
done
echo "Namespace $NAMESPACE ready with search attributes: $SEARCH_ATTRIBUTES"
