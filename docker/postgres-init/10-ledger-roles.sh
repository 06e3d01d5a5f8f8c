#!/bin/sh
# Run once by the postgres image on an empty data volume (/docker-entrypoint-initdb.d),
# as the superuser POSTGRES_USER. It makes the roles of the production shape:
#   ledger_owner            LOGIN, owns database `ledger`: runs the migrations
#                           (LEDGER_MIGRATION_DATABASE_URL); not a superuser
#   ai_credit_ledger_writer NOLOGIN: what the runtime may do (the migrations grant it:
#                           read and insert events, never change or remove one)
#   ledger_app              LOGIN, a member of ai_credit_ledger_writer and nothing
#                           more: what the API and the worker log in as (DATABASE_URL)
# so the running service holds only the writer's privileges whatever SQL it runs
# (libs/event-store/src/postgres/ledger-writer-role.ts). Passwords come from
# LEDGER_OWNER_DB_PASSWORD and LEDGER_APP_DB_PASSWORD; psql quotes them (:'name').
# A volume initialised before this script existed keeps its roles: see README, Operations.
# test/docker-compose.spec.ts runs this script against a fresh PostgreSQL.
set -eu

: "${LEDGER_OWNER_DB_PASSWORD:?set LEDGER_OWNER_DB_PASSWORD}"
: "${LEDGER_APP_DB_PASSWORD:?set LEDGER_APP_DB_PASSWORD}"

psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "${POSTGRES_DB:-$POSTGRES_USER}" \
  -v owner_password="$LEDGER_OWNER_DB_PASSWORD" \
  -v app_password="$LEDGER_APP_DB_PASSWORD" <<'SQL'
CREATE ROLE ledger_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE ai_credit_ledger_writer NOLOGIN;
CREATE ROLE ledger_app LOGIN PASSWORD :'app_password' IN ROLE ai_credit_ledger_writer;
CREATE DATABASE ledger OWNER ledger_owner;
REVOKE ALL ON DATABASE ledger FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE ledger TO ai_credit_ledger_writer;
SQL
