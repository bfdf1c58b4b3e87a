#!/usr/bin/env bash
# Runs once, when the PostgreSQL volume is first initialised (docker-entrypoint-initdb.d): creates the
# application role the web and worker processes connect as. It may log in and nothing else yet; the web
# process, connected as the owner, migrates and then grants it what docs/operations.md lists (Store:AppRole).
set -euo pipefail
password="$(cat /run/secrets/app_db_password)"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -v app_password="$password" <<'SQL'
CREATE ROLE agenthost_app LOGIN PASSWORD :'app_password';
GRANT CONNECT ON DATABASE agenthost TO agenthost_app;
SQL
