#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# A Redis server for development, tests and CI, kept under .state/redis in
# the checkout (append-only file, fsync every second).
#
#   deploy/local/redis.sh up|down|status
#
# NEWSWATCH_REDIS_URL (default redis://127.0.0.1:6379/0) names the server. If
# one already answers PING there it is reused; otherwise one is started on
# that loopback port, after installing Debian's redis-server if it is
# missing. `down` stops only a server this script started.
# NEWSWATCH_REDIS_PERSISTENCE=none starts it with no append-only file and no
# snapshots, so a restart loses every key (the fault suite's "state lost" case).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
source "$HERE/common.sh"

SERVICE=Redis
URL="${NEWSWATCH_REDIS_URL:-redis://127.0.0.1:6379/0}"
READY_TIMEOUT="${NEWSWATCH_REDIS_READY_TIMEOUT:-30}"
STATE="$NEWSWATCH_STATE_DIR/redis"
CONF="$STATE/redis.conf"
PIDFILE="$STATE/redis.pid"
LOG="$STATE/redis.log"
PERSISTENCE="${NEWSWATCH_REDIS_PERSISTENCE:-aof}"
[[ "$PERSISTENCE" == aof || "$PERSISTENCE" == none ]] ||
  { echo "newswatch: error: NEWSWATCH_REDIS_PERSISTENCE must be aof or none, not '$PERSISTENCE'" >&2; exit 1; }

# redis://[user[:password]@]host[:port][/db]
SCHEME="${URL%%://*}"
HOSTPORT="${URL#*://}"
HOSTPORT="${HOSTPORT##*@}"
HOSTPORT="${HOSTPORT%%/*}"
HOST="${HOSTPORT%:*}"
PORT=6379
if [[ "$HOSTPORT" == *:* ]]; then PORT="${HOSTPORT##*:}"; fi
BIND="$(bind_address "$HOST")"
ADDRESS="$HOST:$PORT"
[[ "$SCHEME" == redis ]] || die "NEWSWATCH_REDIS_URL must be a redis:// URL, not '$URL'"
check_port NEWSWATCH_REDIS_URL "$PORT"

# A reply to PING from a Redis server: +PONG, or -NOAUTH when it wants a
# password (it is still a Redis server, which the worker reaches with the
# credentials in its URL). Anything else, -LOADING included, is not ready.
answers() {
  # shellcheck disable=SC2016  # expanded by the inner bash, from its arguments
  timeout 3 bash -c '
    exec 3<>"/dev/tcp/$0/$1" || exit 1
    printf "PING\r\n" >&3
    IFS= read -r reply <&3 || exit 1
    [[ "$reply" == "+PONG"* || "$reply" == "-NOAUTH"* ]]' "$HOST" "$PORT" 2>/dev/null
}
# Redis shows the address it serves in its process title.
our_address() {
  awk '$1 == "bind" { bind = $2 } $1 == "port" { port = $2 } END { if (port) print bind ":" port }' "$CONF" 2>/dev/null
}
our_pid() { owned_pid "$PIDFILE" redis-server "$(our_address)"; }

install_redis() {
  command -v redis-server >/dev/null && return 0
  if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
    die "redis-server is missing: install the Debian package redis-server (sudo apt-get install -y redis-server)"
  fi
  say "redis-server is missing; installing it with apt-get"
  # Wait for another apt-get (a developer's, a parallel job's) to finish.
  local apt=(apt-get -qq -o DPkg::Lock::Timeout=300)
  { "${apt[@]}" update && DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y redis-server; } >"$STATE/apt.log" 2>&1 ||
    { show_log_tail "$STATE/apt.log"; die "apt-get could not install redis-server (output above)"; }
}

write_config() {
  cat >"$CONF" <<EOF
# Written by deploy/local/redis.sh on every start; edit the script, not this.
bind $BIND
port $PORT
protected-mode yes
daemonize yes
pidfile "$PIDFILE"
logfile "$LOG"
dir "$STATE"
appendonly $([[ "$PERSISTENCE" == aof ]] && echo yes || echo no)
appendfsync everysec
save ""
EOF
}

start_service() {
  is_loopback "$HOST" ||
    die "no Redis answers at $ADDRESS, and $HOST is not a loopback address: this script only starts a local server"
  ! port_open "$BIND" "$PORT" ||
    die "$BIND:$PORT is taken by a program that does not answer as Redis; stop it or choose another NEWSWATCH_REDIS_URL"
  mkdir -p "$STATE"
  install_redis
  write_config
  rm -f "$PIDFILE"
  # redis-server daemonizes, then writes its pid file itself.
  redis-server "$CONF" || { show_log_tail "$LOG"; die "redis-server did not start (log above)"; }
  local deadline=$((SECONDS + 10))
  until [[ -s "$PIDFILE" ]]; do
    ((SECONDS < deadline)) || { show_log_tail "$LOG"; die "redis-server wrote no pid file within 10 s (log above)"; }
    sleep 0.2
  done
  say "starting Redis at $BIND:$PORT (pid $(cat "$PIDFILE"))"
}

service_main "$@"
