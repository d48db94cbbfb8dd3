#!/usr/bin/env bash
# Writes the development secrets docker compose reads (the git-ignored .env at the top of the
# repository), once: re-running keeps the existing values, so data encrypted with them stays
# readable. Production takes its secrets from the operator's secret store instead (infra/k8s).
set -euo pipefail
cd "$(dirname "$0")/.."
file=${1:-.env}
touch "$file"
chmod 600 "$file"

# 32 random bytes: base64url (identity, license, client secrets) or hex (seal's key format).
secret() { head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '='; }
hex_secret() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
ensure() { # NAME VALUE: appended only when NAME is not in the file yet
  grep -q "^$1=" "$file" || printf '%s=%s\n' "$1" "$2" >>"$file"
}

ensure POSTGRES_PASSWORD "$(secret)"
ensure IDENTITY_KEY_ENCRYPTION_KEY "$(secret)"
ensure LICENSE_KEY_ENCRYPTION_KEY "$(secret)"
ensure SEAL_KEY_ENCRYPTION_KEY "$(hex_secret)"
ensure CONSOLE_CLIENT_SECRET "$(secret)"
ensure LICENSE_SERVICE_CLIENT_SECRET "$(secret)"
ensure PAYMENT_SERVICE_CLIENT_SECRET "$(secret)"
# Not a secret, but compose reads it from here too: the development seals on one line.
ensure BOOTSTRAP_SEALS "'$(node -e 'process.stdout.write(JSON.stringify(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))))' infra/dev/seals.json)'"
echo "development secrets are in $file (git-ignored); docker compose reads it"
