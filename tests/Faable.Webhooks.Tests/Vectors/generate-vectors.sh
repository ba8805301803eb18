#!/usr/bin/env bash
# Recomputes one known answer with OpenSSL, independently of .NET: prints sha256=<hex> of
# HMAC-SHA256(secret, "<timestamp>.<body>"). Usage: ./generate-vectors.sh <secret> <timestamp> <body-file>
set -euo pipefail
secret=${1:?secret}; timestamp=${2:?timestamp}; body_file=${3:?body file}
{ printf '%s.' "$timestamp"; cat "$body_file"; } | openssl dgst -sha256 -hmac "$secret" | sed 's/^.*= /sha256=/'
