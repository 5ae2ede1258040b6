#!/bin/sh
# A throwaway PostgreSQL server for tests and benchmarks, in one directory.
#
#   scripts/pg-temp.sh start DIR     the first time: initdb into DIR/data; then start it on
#                                    127.0.0.1 and a free port (the same port on later starts),
#                                    and print the conninfo of its empty database `atio`:
#                                    postgresql://atio@127.0.0.1:PORT/atio
#   scripts/pg-temp.sh stop DIR      stop it (fast shutdown); the data stays for the next start
#   scripts/pg-temp.sh destroy DIR   stop it and delete DIR
#
# The server listens on 127.0.0.1 only (its unix socket is inside DIR) and trusts every
# connection from this machine: superuser `atio`, no password. fsync is off: a crash of the
# machine may lose its data, which is what a test server is for.
#
# initdb and pg_ctl refuse to run as root; as root they run as the `postgres` user Debian's
# package creates, who then owns DIR (DIR's parents must let that user through: /tmp does).
#
# Environment:
#   ATIO_PG_BIN       PostgreSQL's programs (default: /usr/lib/postgresql/15/bin, else the
#                     newest /usr/lib/postgresql/*/bin)
#   ATIO_PG_PORT      the port to try first (default: a random free one)
#   ATIO_PG_TEMPLATE  a directory in which to keep a freshly initdb'd cluster and copy it
#                     instead of running initdb again (a copy takes 0.1 s, initdb a second)
set -eu

die() { echo "pg-temp: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: $0 start|stop|destroy DIR"
cmd=$1
dir=$2
case "$dir" in /*) ;; *) dir="$(pwd)/$dir" ;; esac
cd /  # the postgres user may not be allowed in the caller's directory

bin=${ATIO_PG_BIN:-}
if [ -z "$bin" ]; then
  if [ -x /usr/lib/postgresql/15/bin/pg_ctl ]; then
    bin=/usr/lib/postgresql/15/bin
  else
    bin=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
fi
if [ ! -x "$bin/pg_ctl" ]; then
  die "PostgreSQL's server programs not found (install the postgresql package, or set ATIO_PG_BIN)"
fi

# Runs a server program as the user who may run it.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

running() {
  [ -f "$dir/data/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

# $1: fast (sessions ended, a clean shutdown) or immediate (for data about to be deleted).
stop() {
  if running; then
    as_pg "$bin/pg_ctl" -D "$dir/data" -m "$1" -w -t 30 stop >/dev/null ||
      die "could not stop the server in $dir (see $dir/log)"
  fi
}

# A port for the server: ATIO_PG_PORT the first time if set, else a random one below
# Linux's ephemeral range (32768-60999), where the ports given to outgoing connections and
# to servers bound to port 0 come from; start() tries another if this one is taken.
pick_port() {
  if [ "$tries" -eq 0 ] && [ -n "${ATIO_PG_PORT:-}" ]; then
    echo "$ATIO_PG_PORT"
  else
    echo $((20000 + $(od -An -N2 -tu2 /dev/urandom) % 12768))
  fi
}

write_config() {
  cat >"$dir/data/atio.conf" <<EOF
# Written by scripts/pg-temp.sh: a server for tests on this machine only.
port = $1
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 200
shared_buffers = 64MB
fsync = off
synchronous_commit = off
full_page_writes = off
timezone = 'UTC'
EOF
}

# initdb into DIR/data, or a copy of the cached cluster.
create_cluster() {
  major=$("$bin/pg_ctl" --version | sed -n 's/.* \([0-9][0-9]*\)\..*/\1/p')
  cache=""
  if [ -n "${ATIO_PG_TEMPLATE:-}" ]; then
    # Keyed by what initdb is given below: change v2 when that changes.
    cache="$ATIO_PG_TEMPLATE/pg$major-uid$(id -u)-v2"
  fi
  if [ -n "$cache" ] && [ -f "$cache/PG_VERSION" ]; then
    cp -a "$cache" "$dir/data"
  else
    as_pg "$bin/initdb" -D "$dir/data" --username=atio --auth=trust --encoding=UTF8 \
      --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
      die "initdb failed: $(tail -n 5 "$dir/initdb.log")"
    # Database `atio` is part of the cluster (and of its cached copy): created by a
    # single-user backend, before any server runs.
    echo "CREATE DATABASE atio" |
      as_pg "$bin/postgres" --single -D "$dir/data" -F -c exit_on_error=on postgres \
        >>"$dir/initdb.log" 2>&1 ||
      die "creating database atio failed: $(tail -n 5 "$dir/initdb.log")"
    if [ -n "$cache" ]; then
      # Another process may be filling the cache too: the first rename wins. The cache is
      # only a shortcut: a directory that cannot be written is no error.
      tmp="$cache.tmp.$$"
      if ! { mkdir -p "$ATIO_PG_TEMPLATE" 2>/dev/null && cp -a "$dir/data" "$tmp" 2>/dev/null &&
        mv -T "$tmp" "$cache" 2>/dev/null; }; then
        rm -rf "$tmp"
      fi
    fi
  fi
  echo "include 'atio.conf'" >>"$dir/data/postgresql.conf"
}

start() {
  mkdir -p "$dir"
  touch "$dir/.atio-pg-temp"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$dir"
    runuser -u postgres -- test -w "$dir" ||
      die "the postgres user cannot write $dir (its parent directories must let it through)"
  fi
  [ -f "$dir/data/PG_VERSION" ] || create_cluster
  if ! running; then
    tries=0
    while :; do
      if [ -f "$dir/port" ]; then
        port=$(cat "$dir/port")
      else
        port=$(pick_port)
      fi
      write_config "$port"
      if as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 30 start >/dev/null 2>&1; then
        echo "$port" >"$dir/port"
        break
      fi
      tries=$((tries + 1))
      # The port is taken: pick another, unless this is a restart (clients know the port).
      if [ ! -f "$dir/port" ] && [ $tries -lt 5 ] &&
        grep -q "could not bind\|already in use" "$dir/log"; then
        continue
      fi
      die "the server did not start: $(tail -n 5 "$dir/log")"
    done
  fi
  port=$(cat "$dir/port")
  echo "postgresql://atio@127.0.0.1:$port/atio"
}

case "$cmd" in
  start) start ;;
  stop)
    [ -d "$dir" ] || exit 0
    stop fast
    ;;
  destroy)
    [ -d "$dir" ] || exit 0
    [ -f "$dir/.atio-pg-temp" ] || die "$dir was not made by pg-temp.sh; not deleting it"
    stop immediate
    rm -rf "$dir"
    ;;
  *) die "usage: $0 start|stop|destroy DIR" ;;
esac
