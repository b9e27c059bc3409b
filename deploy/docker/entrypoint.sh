#!/bin/sh
# Entrypoint of the three service images (plans-api, learning-api, reporting-api).
#
#   migrate               apply this service's Alembic migrations (alembic upgrade head), exit
#   wait-for-migrations   wait until the database is at the latest migration, exit (an init
#                         container: the pods of a new version start once its Job has migrated)
#   anything else         run it: the image's CMD serves the API with uvicorn
#
# The database comes from the service's *_DATABASE__URL, as for the service itself.
set -eu

cd "${SERVICE_DIR:-/app}"

case "${1:-}" in
  migrate)
    exec alembic upgrade head
    ;;
  wait-for-migrations)
    deadline=$(( $(date +%s) + ${MIGRATIONS_WAIT_SECONDS:-600} ))
    until alembic current 2>/dev/null | grep -q '(head)'; do
      if [ "$(date +%s)" -ge "$deadline" ]; then
        echo "the database is not at the latest migration; has the migrate job run?" >&2
        exit 1
      fi
      sleep 2
    done
    ;;
  *)
    exec "$@"
    ;;
esac
