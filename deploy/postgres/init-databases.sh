#!/bin/sh
# Run once by the postgres image when it initialises an empty data directory (docker-compose.yml
# mounts it into /docker-entrypoint-initdb.d): the application role and the three databases.
# Each service then migrates its own database (`migrate`). The role owns the databases, so the
# migrations may create trusted extensions (unaccent, pg_trgm) themselves.
set -eu

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    --set=app_password="$CCHC_DB_PASSWORD" <<'SQL'
CREATE ROLE cchc LOGIN PASSWORD :'app_password';
CREATE DATABASE cchc_plans OWNER cchc ENCODING 'UTF8' TEMPLATE template0;
CREATE DATABASE cchc_learning OWNER cchc ENCODING 'UTF8' TEMPLATE template0;
CREATE DATABASE cchc_reporting OWNER cchc ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE cchc_plans, cchc_learning, cchc_reporting FROM PUBLIC;
SQL
