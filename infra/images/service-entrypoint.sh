#!/bin/sh
# Entrypoint of every service image.
#   serve (default)  apply pending migrations when MIGRATE_ON_START=true (the image's default; the
#                    advisory lock makes concurrent replicas safe), then run the service as PID 1's
#                    only child-free process, so SIGTERM reaches it directly
#   migrate          apply pending migrations and exit (Kubernetes Job, one-shot compose run)
set -eu
case "${1:-serve}" in
  serve)
    if [ "${MIGRATE_ON_START:-true}" = true ] && [ -f dist/migrate.js ]; then node dist/migrate.js; fi
    exec node --enable-source-maps dist/main.js
    ;;
  migrate) exec node dist/migrate.js ;;
  *) exec "$@" ;;
esac
