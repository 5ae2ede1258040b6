#!/bin/sh
# The container's command (Dockerfile ENTRYPOINT, after tini): `atio serve` listening on every
# interface at 8080 with its data in /var/lib/atio. Everything else comes from ATIO_*
# variables (`atio serve --help` lists them) or a config file named by ATIO_CONFIG; the
# defaults here are variables too, so that the environment can change them.
#   docker run atio:0.1.0                      atio serve
#   docker run atio:0.1.0 --workers 4          atio serve --workers 4
#   docker run atio:0.1.0 audit verify ...     any other atio subcommand
set -eu

: "${ATIO_LISTEN:=0.0.0.0:8080}"
: "${ATIO_DATA:=/var/lib/atio}"
export ATIO_LISTEN ATIO_DATA

if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then
  set -- serve "$@"
fi
# exec: atio is the process the container's signals reach (SIGTERM: in-flight requests
# finish, running executions resume on the next start).
exec atio "$@"
