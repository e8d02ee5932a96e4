#!/usr/bin/env bash
# Mints the TLS test certificates once per build (tests/api/CMakeLists.txt runs it), so the
# TLS tests do not generate keys in every test process. Writes into $1: a CA and leaves for
# 127.0.0.1 (good), another host name (wronghost), an expired one (expired), a self-signed
# certificate nobody trusts (untrusted), and a second CA standing in for the system store
# (sysca) with its leaf (sysleaf). EC P-256 keys: fast to make, and TLS does not care.
set -euo pipefail
out="$1"
mkdir -p "$out"
cd "$out"
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; }
ca() {  # name CN
  key "$1"
  openssl req -x509 -new -key "$1.key" -out "$1.pem" -days 3650 -subj "/CN=$2" 2>/dev/null
}
leaf() {  # name CN subjectAltName CA days
  key "$1"
  openssl req -new -key "$1.key" -out "$1.csr" -subj "/CN=$2" 2>/dev/null
  printf 'subjectAltName=%s\n' "$3" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$4.pem" -CAkey "$4.key" -CAcreateserial -out "$1.pem" \
    -extfile "$1.ext" -days "$5" 2>/dev/null
}
ca ca test-ca
leaf good 127.0.0.1 'IP:127.0.0.1,DNS:localhost' ca 3650
leaf wronghost other.example 'DNS:other.example' ca 3650
leaf expired 127.0.0.1 'IP:127.0.0.1' ca -1  # notAfter lies in the past
key untrusted
openssl req -x509 -new -key untrusted.key -out untrusted.pem -days 3650 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 2>/dev/null
ca sysca system-ca
leaf sysleaf 127.0.0.1 'IP:127.0.0.1' sysca 3650
touch stamp
