#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on 127.0.0.1 for the test suite and prints the URL to export as
# HAIRKB_TEST_DATABASE_URL. Installs Debian's postgresql package if it is missing. Needs root.
# HAIRKB_PGDATA names the (empty) cluster folder, for a caller that stops and starts the server itself.
set -euo pipefail
# A free port unless one is given, so that a developer's own server is never in the way.
PORT="${1:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
    (apt-get install -y -q postgresql || (apt-get update -q && apt-get install -y -q postgresql)) >&2
fi
PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
PGDATA="${HAIRKB_PGDATA:-$(mktemp -d /tmp/hairkb-pg.XXXXXX)}"
chown postgres:postgres "$PGDATA"
su postgres -s /bin/sh -c "$PGBIN/initdb -D $PGDATA -A trust -U postgres" >/dev/null
su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D $PGDATA -l $PGDATA/server.log -w \
    -o '-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off' start" >/dev/null
"$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres hairkb_test
echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/hairkb_test"
