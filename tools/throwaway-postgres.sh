#!/usr/bin/env bash
# A throwaway local PostgreSQL cluster for the demo, the tests and CI.
#
#   tools/throwaway-postgres.sh start DIR [PORT]   start (creating it if needed) a cluster in DIR;
#                                                  prints its connection string as the last line of stdout
#   tools/throwaway-postgres.sh stop DIR           stop it (the files stay; rm -rf DIR to drop them)
#
# The cluster listens on 127.0.0.1 only, with password (scram-sha-256) authentication over TCP;
# the superuser is "postgres" and its random password is kept in DIR/password (mode 0600).
# PostgreSQL refuses to run as root: as root the server runs as the "postgres" system user.
# When no PostgreSQL server binaries are installed, Debian's postgresql package is installed.
set -euo pipefail

die() { echo "throwaway-postgres: $*" >&2; exit 2; }

find_bindir() {
  local c
  if c=$(command -v pg_ctl 2>/dev/null) && [ -x "$(dirname "$(readlink -f "$c")")/initdb" ]; then
    dirname "$(readlink -f "$c")"; return 0
  fi
  c=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$c" ] && [ -x "$c/pg_ctl" ] && { echo "$c"; return 0; }
  return 1
}

ensure_binaries() {
  if ! BIN=$(find_bindir); then
    [ "$(id -u)" = 0 ] || die "PostgreSQL server binaries not found; install the postgresql package"
    echo "throwaway-postgres: installing PostgreSQL (apt-get install postgresql)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql postgresql-client >&2
    BIN=$(find_bindir) || die "PostgreSQL server binaries still not found after install"
  fi
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  local p
  for p in $(seq 54330 54500); do
    if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "$p"; return 0; fi
  done
  die "no free port between 54330 and 54500"
}

cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: $0 start DIR [PORT] | stop DIR"
ensure_binaries

case "$cmd" in
  start)
    mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
    if [ "$(id -u)" = 0 ]; then
      id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
      chown postgres "$dir"
    fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      umask 077
      head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$dir/password"
      [ "$(id -u)" = 0 ] && chown postgres "$dir/password"
      as_owner "$BIN/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C \
        --auth-local=trust --auth-host=scram-sha-256 --pwfile="$dir/password" >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    fi
    if as_owner "$BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      port=$(sed -n 4p "$dir/data/postmaster.pid" | tr -d ' ')
    else
      port=${3:-$(free_port)}
      as_owner "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
        start >&2 || { tail -n 20 "$dir/server.log" >&2; die "the server did not start"; }
    fi
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Password=$(cat "$dir/password")" > "$dir/connection-string"
    chmod 600 "$dir/connection-string"
    cat "$dir/connection-string"
    ;;
  stop)
    [ -d "$dir/data" ] || exit 0
    as_owner "$BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >&2 || true
    ;;
  *) die "unknown command '$cmd' (start or stop)";;
esac
