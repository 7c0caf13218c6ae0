#!/bin/sh
# Issues the certificates of the internal transports (TCP between the services, NATS, Temporal):
# a private CA and, per NAME, a certificate that is good as a TLS server and as a TLS client.
#
#   scripts/internal-certs.sh OUT_DIR NAME[=SAN,SAN...] ...
#
# writes OUT_DIR/NAME/{ca.crt,tls.crt,tls.key} for each NAME (point INTERNAL_TLS_CA_FILE,
# INTERNAL_TLS_CERT_FILE and INTERNAL_TLS_KEY_FILE, or NATS_TLS_*, at them). The SANs default to
# DNS:NAME,DNS:localhost,IP:127.0.0.1; give others as NAME=DNS:directory.internal,IP:10.0.0.5.
# Idempotent: an existing CA is kept, and a certificate is issued again only when it is missing,
# expires within RENEW_DAYS, or was not issued by the current CA.
#
# Environment:
#   CA_DIR        where the CA's key and certificate live (default OUT_DIR/ca). Keep it away from
#                 the services: whoever reads ca.key can mint certificates they all trust.
#   CA_DAYS       validity of a new CA (3650);  CERT_DAYS: of a new certificate (397)
#   RENEW_DAYS    issue again when a certificate expires within this many days (30)
#   FORCE=1       issue every certificate again (rotation)
#   ROTATE_CA=1   retire the current CA (still trusted, as CA_DIR/retired-ca.crt) and create a new
#                 one; every certificate is issued again by the new CA. Restart everything, then
#   DROP_RETIRED_CA=1  stop trusting the retired CA.
#   CERT_OWNER    uid:gid to chown the issued files to (e.g. 1000:1000, the images' `node` user)
# Needs only a POSIX shell and the openssl command-line tool (1.1.1 or 3.x).
set -eu

[ $# -ge 2 ] || { echo "usage: $0 OUT_DIR NAME[=SAN,...] ..." >&2; exit 2; }
OUT_DIR=$1
shift
CA_DIR=${CA_DIR:-$OUT_DIR/ca}
CA_DAYS=${CA_DAYS:-3650}
CERT_DAYS=${CERT_DAYS:-397}
RENEW_DAYS=${RENEW_DAYS:-30}
FORCE=${FORCE:-0}
umask 077
mkdir -p "$CA_DIR" "$OUT_DIR"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

if [ "${ROTATE_CA:-0}" = 1 ] && [ -f "$CA_DIR/ca.crt" ]; then
  mv "$CA_DIR/ca.crt" "$CA_DIR/retired-ca.crt"
  rm -f "$CA_DIR/ca.key"
  FORCE=1
  echo "internal-certs: retired the CA (still trusted until DROP_RETIRED_CA=1)"
fi
if [ "${DROP_RETIRED_CA:-0}" = 1 ] && [ -f "$CA_DIR/retired-ca.crt" ]; then
  rm -f "$CA_DIR/retired-ca.crt"
  echo "internal-certs: the retired CA is no longer trusted"
fi

if [ ! -f "$CA_DIR/ca.key" ] || [ ! -f "$CA_DIR/ca.crt" ]; then
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$CA_DIR/ca.key" 2>/dev/null
  openssl req -x509 -new -key "$CA_DIR/ca.key" -sha256 -days "$CA_DAYS" -subj "/CN=Access Manager internal CA $(date -u +%Y-%m-%d)" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$CA_DIR/ca.crt"
  FORCE=1
  echo "internal-certs: created a new CA in $CA_DIR"
fi
# What the services trust: the current CA, and a retired one until it is dropped.
cat "$CA_DIR/ca.crt" > "$TMP/trust.pem"
[ -f "$CA_DIR/retired-ca.crt" ] && cat "$CA_DIR/retired-ca.crt" >> "$TMP/trust.pem"

for spec in "$@"; do
  name=${spec%%=*}
  sans=DNS:$name,DNS:localhost,IP:127.0.0.1
  [ "$spec" != "$name" ] && sans=${spec#*=}
  dir=$OUT_DIR/$name
  mkdir -p "$dir"
  cp "$TMP/trust.pem" "$dir/ca.crt.new" && mv "$dir/ca.crt.new" "$dir/ca.crt"
  if [ "$FORCE" != 1 ] && [ -f "$dir/tls.crt" ] && [ -f "$dir/tls.key" ] \
    && openssl x509 -in "$dir/tls.crt" -noout -checkend $((RENEW_DAYS * 86400)) >/dev/null \
    && openssl verify -CAfile "$CA_DIR/ca.crt" "$dir/tls.crt" >/dev/null 2>&1; then
    echo "internal-certs: $name: current certificate kept"
  else
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$TMP/$name.key" 2>/dev/null
    openssl req -new -key "$TMP/$name.key" -subj "/CN=$name" -out "$TMP/$name.csr"
    printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=%s\n' "$sans" > "$TMP/$name.ext"
    openssl x509 -req -in "$TMP/$name.csr" -CA "$CA_DIR/ca.crt" -CAkey "$CA_DIR/ca.key" -CAcreateserial -CAserial "$TMP/ca.srl" \
      -days "$CERT_DAYS" -sha256 -extfile "$TMP/$name.ext" -out "$TMP/$name.crt" 2>/dev/null
    # Replace the pair as atomically as files allow: key first, then the certificate.
    mv "$TMP/$name.key" "$dir/tls.key"
    mv "$TMP/$name.crt" "$dir/tls.crt"
    echo "internal-certs: $name: issued ($sans, $CERT_DAYS days)"
  fi
  chmod 600 "$dir/tls.key"
  chmod 644 "$dir/tls.crt" "$dir/ca.crt"
  chmod 755 "$dir"
  [ -n "${CERT_OWNER:-}" ] && chown -R "$CERT_OWNER" "$dir"
done
exit 0
