#!/usr/bin/env bash
# A throwaway local PostgreSQL cluster for the demo, the tests and CI.
#
#   tools/throwaway-postgres.sh start DIR [PORT]   start (creating it if needed) the cluster of DIR;
#                                                  prints its connection string as the last line of stdout
#   tools/throwaway-postgres.sh stop DIR           stop it and delete its files (data, socket, password);
#                                                  its log is kept as DIR/server.log
#
# DIR is the caller's folder: it receives the connection string (DIR/connection-string, mode 0600) and
# links to the server's log (DIR/server.log) and cluster folder (DIR/cluster). The cluster itself (data,
# socket, password file) lives in a folder of its own under the system temp directory,
# /tmp/safe-migrate-pg-<hash of DIR>, owned by the server's user: PostgreSQL refuses to run as root, so as
# root the server runs as the "postgres" system user, who may not be able to enter DIR (a clone under
# /root, or in a mktemp -d folder, is mode 0700). The hash keeps two clones' clusters apart.
# THROWAWAY_PG_SCRAM_ITERATIONS (read at each start) stores the superuser's password as a SCRAM-SHA-256 verifier with
# that many PBKDF2 iterations instead of PostgreSQL's 4096 (computed with python3; left as it is without python3): every
# connection then costs client and server about 4 ms less CPU. Still password authentication; for build/test.sh, whose
# tests open thousands of connections to a server that only they use.
# THROWAWAY_PG_BASE (read when the cluster is created) puts that folder elsewhere, e.g. on a memory file system
# (/dev/shm): build/test.sh does, since every test database is created and dropped again (some 250 files each).
# The server's user must be able to create a folder there.
# The cluster listens on 127.0.0.1 only, with password (scram-sha-256) authentication over TCP;
# the superuser is "postgres" and its random password is in the cluster folder (mode 0600).
# When no PostgreSQL server binaries are installed, Debian's postgresql package is installed.
#
# THROWAWAY_PG_ARCHIVE (read when the cluster is created) makes a cluster that archives its WAL, for the
# restore-point backup strategy: "on" archives into the cluster folder's wal-archive/ (printed in
# DIR/wal-archive, a link), "fail" sets an archive_command that always fails (a broken archiver), "pgbackrest"
# archives with pgBackRest (Debian's pgbackrest, installed when missing) into a repository in the cluster folder,
# stanza "main", created at the first start; its configuration is DIR/pgbackrest.conf (a link, rewritten at each
# start with the port; give pgbackrest the link's target, readlink -f, since its user may not enter DIR), and DIR/pgbackrest-as-owner runs pgbackrest as the server's user, who owns the repository.
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

# Runs a command as the server's user, from / (the caller's folder may be closed to that user).
as_owner() {
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# The first port from $1 (default 54330) up to 54500 that nothing listens on. Two clusters started at the same moment
# can both see one port free: the start below retries on the next port when the server could not bind it.
free_port() {
  local p
  for p in $(seq "${1:-54330}" 54500); do
    if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "$p"; return 0; fi
  done
  die "no free port between 54330 and 54500"
}

# The cluster folder of DIR: the one DIR/cluster links to when that still exists (a cluster started before, wherever
# it was made), else $THROWAWAY_PG_BASE or /tmp (or $TMPDIR when not root) + a hash of DIR's absolute path.
cluster_of() {
  local linked base=/tmp
  linked=$(readlink "$1/cluster" 2>/dev/null || true)
  case "$linked" in */safe-migrate-pg-*) [ -d "$linked" ] && { echo "$linked"; return 0; } ;; esac
  [ "$(id -u)" = 0 ] || base=${TMPDIR:-/tmp}
  [ -n "${THROWAWAY_PG_BASE:-}" ] && base=${THROWAWAY_PG_BASE%/}
  echo "$base/safe-migrate-pg-$(printf '%s' "$1" | sha256sum | cut -c1-16)"
}

# The first FATAL/ERROR line of a log, for a one-line reason.
first_error() { grep -m1 -E 'FATAL|ERROR|error:|could not' "$1" 2>/dev/null || tail -n 1 "$1" 2>/dev/null || true; }

cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: $0 start DIR [PORT] | stop DIR"

case "$cmd" in
  start)
    case "${THROWAWAY_PG_SCRAM_ITERATIONS:-1}" in
      ""|*[!0-9]*|0) die "THROWAWAY_PG_SCRAM_ITERATIONS must be a positive number, not '${THROWAWAY_PG_SCRAM_ITERATIONS}'" ;;
    esac
    ensure_binaries
    mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
    cluster=$(cluster_of "$dir")
    if [ "$(id -u)" = 0 ]; then
      id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    fi
    if [ ! -d "$cluster" ]; then
      (umask 077; mkdir "$cluster")
      [ "$(id -u)" = 0 ] && chown postgres: "$cluster"
    fi
    [ -O "$cluster" ] || [ "$(stat -c %U "$cluster")" = postgres ] \
      || die "$cluster belongs to $(stat -c %U "$cluster"), not to the server's user; remove it and start again"
    as_owner test -w "$cluster" -a -x "$cluster" \
      || die "the server's user ($(as_owner id -un)) cannot write $cluster; check the permissions of $(dirname "$cluster")"
    ln -sfn "$cluster" "$dir/cluster"
    ln -sfn "$cluster/server.log" "$dir/server.log"
    if [ ! -f "$cluster/data/PG_VERSION" ]; then
      as_owner bash -c 'umask 077; head -c 18 /dev/urandom | base64 | tr -d "/+=" > "$1/password"' _ "$cluster"
      as_owner "$BIN/initdb" -D "$cluster/data" -U postgres -E UTF8 --locale=C \
        --auth-local=trust --auth-host=scram-sha-256 --pwfile="$cluster/password" >"$dir/initdb.log" 2>&1 \
        || die "initdb failed: $(first_error "$dir/initdb.log") (full log: $dir/initdb.log)"
      case "${THROWAWAY_PG_ARCHIVE:-}" in
        "") ;;
        on)
          as_owner bash -c 'umask 077; mkdir -p "$1/wal-archive"; printf "%s\n" "wal_level = replica" "archive_mode = on" \
            "archive_command = '"'"'test ! -f $1/wal-archive/%f && cp %p $1/wal-archive/%f'"'"'" >> "$1/data/postgresql.conf"' _ "$cluster" ;;
        fail)
          as_owner bash -c 'printf "%s\n" "wal_level = replica" "archive_mode = on" "archive_command = '"'"'false'"'"'" >> "$1/data/postgresql.conf"' _ "$cluster" ;;
        pgbackrest)
          as_owner bash -c 'umask 077; mkdir -p "$1/pgbackrest/repo" "$1/pgbackrest/log" "$1/pgbackrest/lock" "$1/pgbackrest/spool"; printf "%s\n" "wal_level = replica" "archive_mode = on" \
            "archive_command = '"'"'pgbackrest --config=$1/pgbackrest/pgbackrest.conf --stanza=main archive-push %p'"'"'" >> "$1/data/postgresql.conf"' _ "$cluster" ;;
        *) die "THROWAWAY_PG_ARCHIVE must be on, fail or pgbackrest, not '${THROWAWAY_PG_ARCHIVE}'" ;;
      esac
    fi
    [ -d "$cluster/wal-archive" ] && ln -sfn "$cluster/wal-archive" "$dir/wal-archive"
    if [ -d "$cluster/pgbackrest" ] && ! command -v pgbackrest >/dev/null 2>&1; then
      [ "$(id -u)" = 0 ] || die "pgbackrest not found; install the pgbackrest package"
      echo "throwaway-postgres: installing pgBackRest (apt-get install pgbackrest)" >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2
      apt-get install -y -qq pgbackrest >&2
    fi
    if as_owner "$BIN/pg_ctl" -D "$cluster/data" status >/dev/null 2>&1; then
      port=$(sed -n 4p "$cluster/data/postmaster.pid" | tr -d ' ')
    else
      port=${3:-$(free_port)}
      attempt=1
      until as_owner "$BIN/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 60 \
          -o "-p $port -k $cluster -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
          start >/dev/null 2>"$dir/pg_ctl.log"; do
        # Another server took the port between free_port and this start: try the next free one (not a port given as PORT).
        if [ -z "${3:-}" ] && [ "$attempt" -lt 10 ] && grep -q "Address already in use" "$cluster/server.log" 2>/dev/null; then
          as_owner "$BIN/pg_ctl" -D "$cluster/data" -m immediate stop >/dev/null 2>&1 || true
          echo "throwaway-postgres: port $port was taken meanwhile; trying another" >&2
          port=$(free_port "$((port + 1))"); attempt=$((attempt + 1))
          as_owner truncate -s 0 "$cluster/server.log"
          continue
        fi
        die "the server did not start: $(first_error "$cluster/server.log") (log: $dir/server.log)"
      done
    fi
    if [ -d "$cluster/pgbackrest" ]; then
      as_owner bash -c 'umask 077; printf "%s\n" "[global]" "repo1-path=$1/pgbackrest/repo" "repo1-retention-full=9999999" "log-path=$1/pgbackrest/log" \
        "lock-path=$1/pgbackrest/lock" "spool-path=$1/pgbackrest/spool" "start-fast=y" "log-level-console=warn" "[main]" "pg1-path=$1/data" \
        "pg1-port=$2" "pg1-socket-path=$1" "pg1-user=postgres" > "$1/pgbackrest/pgbackrest.conf"; chmod 0644 "$1/pgbackrest/pgbackrest.conf"' _ "$cluster" "$port"
      chmod 0711 "$cluster/pgbackrest" 2>/dev/null || true
      if [ ! -f "$cluster/pgbackrest/repo/backup/main/backup.info" ]; then
        as_owner pgbackrest --config="$cluster/pgbackrest/pgbackrest.conf" --stanza=main stanza-create >"$dir/pgbackrest-stanza.log" 2>&1 \
          || die "pgbackrest stanza-create failed: $(tail -n 3 "$dir/pgbackrest-stanza.log")"
      fi
      ln -sfn "$cluster/pgbackrest/pgbackrest.conf" "$dir/pgbackrest.conf"
      # pgbackrest as the server's user (the repository's owner, as archive-push runs): for SAFE_MIGRATE_PGBACKREST.
      if [ "$(id -u)" = 0 ]; then
        printf '%s\n' '#!/bin/sh' 'cd / && exec runuser -u postgres -- pgbackrest "$@"' > "$dir/pgbackrest-as-owner"
      else
        printf '%s\n' '#!/bin/sh' 'exec pgbackrest "$@"' > "$dir/pgbackrest-as-owner"
      fi
      chmod 0755 "$dir/pgbackrest-as-owner"
    fi
    if [ -n "${THROWAWAY_PG_SCRAM_ITERATIONS:-}" ] && command -v python3 >/dev/null 2>&1; then
      # The verifier format is PostgreSQL's (SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>, RFC 5802/7677);
      # the password goes to python3 on stdin, the verifier to psql on stdin: neither is on a command line.
      verifier=$(cd / && as_owner cat "$cluster/password" | python3 -c '
import base64, hashlib, hmac, os, sys
password, iterations, salt = sys.stdin.read().strip().encode(), int(sys.argv[1]), os.urandom(16)
salted = hashlib.pbkdf2_hmac("sha256", password, salt, iterations)
key = lambda name: hmac.new(salted, name, "sha256").digest()
b64 = lambda raw: base64.b64encode(raw).decode()
print("SCRAM-SHA-256$%d:%s$%s:%s" % (iterations, b64(salt), b64(hashlib.sha256(key(b"Client Key")).digest()), b64(key(b"Server Key"))))
' "$THROWAWAY_PG_SCRAM_ITERATIONS") \
        || die "python3 could not compute a SCRAM verifier of THROWAWAY_PG_SCRAM_ITERATIONS='${THROWAWAY_PG_SCRAM_ITERATIONS}' iterations (a positive number)"
      printf "ALTER ROLE postgres PASSWORD '%s';\n" "$verifier" \
        | as_owner "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$cluster" -p "$port" -U postgres -d postgres >/dev/null \
        || die "could not set the password's SCRAM iterations (log: $dir/server.log)"
    fi
    (umask 077; echo "Host=127.0.0.1;Port=$port;Username=postgres;Password=$(cat "$cluster/password")" > "$dir/connection-string")
    cat "$dir/connection-string"
    ;;
  stop)
    [ -d "$dir" ] || exit 0
    dir=$(cd "$dir" && pwd)
    cluster=$(cluster_of "$dir")
    BIN=$(find_bindir) || exit 0
    for data in "$cluster/data" "$dir/data"; do   # "$dir/data": a cluster made by an older version of this script
      [ -f "$data/PG_VERSION" ] || continue
      as_owner "$BIN/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    done
    rm -f "$dir/server.log" "$dir/connection-string" "$dir/cluster" "$dir/wal-archive" "$dir/pgbackrest.conf" "$dir/pgbackrest-as-owner"
    [ -f "$cluster/server.log" ] && cp "$cluster/server.log" "$dir/server.log"   # the log stays readable after stop
    rm -rf "$cluster" "$dir/data" "$dir/password"
    ;;
  *) die "unknown command '$cmd' (start or stop)";;
esac
