# shellcheck shell=bash
# The up/down/status life cycle shared by kafka.sh and redis.sh; sourced,
# never run. One place decides the rules for both services: a service that
# already answers is reused, never replaced; a service is only ever stopped
# through the pid file we wrote when we started it; every wait has a deadline.
#
# A service script sets SERVICE (its name), ADDRESS (as the user gave it),
# BIND and PORT (where a local instance listens for ADDRESS), PIDFILE, LOG and
# READY_TIMEOUT; defines answers (it serves requests at ADDRESS), our_pid
# (print the pid of the instance this checkout started, if it still runs),
# our_address (print BIND:PORT of that instance, from its config) and
# start_service (start it and record its pid in PIDFILE); then calls
# service_main "$@".

NEWSWATCH_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NEWSWATCH_STATE_DIR="${NEWSWATCH_STATE_DIR:-$NEWSWATCH_REPO_ROOT/.state}"
mkdir -p "$NEWSWATCH_STATE_DIR"
NEWSWATCH_STATE_DIR="$(cd "$NEWSWATCH_STATE_DIR" && pwd)"

say() { printf 'newswatch: %s\n' "$*"; }
die() { printf 'newswatch: error: %s\n' "$*" >&2; exit 1; }

# is_loopback HOST: true for the hosts we are willing to start a service on.
is_loopback() {
  case "$1" in
    localhost | 127.*) return 0 ;;
    *) return 1 ;;
  esac
}

# port_open HOST PORT: true if something accepts a TCP connection there.
port_open() {
  # shellcheck disable=SC2016  # expanded by the inner bash, from its arguments
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
}

# check_port NAME PORT: fail unless PORT is a number in 1..65535.
check_port() {
  if ! [[ "$2" =~ ^[0-9]+$ ]] || (($2 < 1 || $2 > 65535)); then
    die "$1: '$2' is not a TCP port"
  fi
}

# bind_address HOST: the IPv4 address a local service listens on for HOST.
bind_address() {
  if [[ "$1" == localhost ]]; then echo 127.0.0.1; else echo "$1"; fi
}

# process_alive PID: true while PID runs; a zombie (exited, not yet reaped)
# counts as gone, which kill -0 alone would not tell.
process_alive() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [[ "${stat:0:1}" != Z ]]
}

# pid_cmdline PID: the process's command line with spaces between arguments.
pid_cmdline() {
  process_alive "$1" || return 1
  tr '\0' ' ' <"/proc/$1/cmdline"
}

# owned_pid PIDFILE NEEDLE...: print the pid recorded in PIDFILE if that
# process is alive and its command line contains every NEEDLE; a pid file
# that names a dead or foreign process is stale and is removed.
owned_pid() {
  local file="$1" pid cmdline
  shift
  [[ -f "$file" ]] || return 1
  pid="$(tr -dc '0-9' <"$file")"
  if [[ -n "$pid" ]] && cmdline="$(pid_cmdline "$pid")" && contains_all "$cmdline" "$@"; then
    echo "$pid"
    return 0
  fi
  say "removing stale pid file $file (pid ${pid:-?} is not our process any more)" >&2
  rm -f "$file"
  return 1
}

# contains_all TEXT NEEDLE...: true if TEXT contains every NEEDLE.
contains_all() {
  local text="$1" needle
  shift
  for needle in "$@"; do
    [[ "$text" == *"$needle"* ]] || return 1
  done
}

# wait_until SECONDS PID COMMAND...: poll COMMAND every half second until it
# succeeds (0), the process PID dies (2) or SECONDS pass (1).
wait_until() {
  local deadline=$((SECONDS + $1)) pid="$2"
  shift 2
  until "$@"; do
    process_alive "$pid" || return 2
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

# stop_pid PID NAME: SIGTERM, wait up to 30 s, then SIGKILL.
stop_pid() {
  local pid="$1" name="$2" deadline=$((SECONDS + 30))
  kill -TERM "$pid" 2>/dev/null || return 0
  while process_alive "$pid"; do
    if ((SECONDS >= deadline)); then
      say "$name (pid $pid) ignored SIGTERM for 30 s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
  done
}

# show_log_tail FILE: the last 40 lines, for a service that failed to start.
show_log_tail() {
  printf 'newswatch: last 40 lines of %s:\n' "$1" >&2
  tail -n 40 "$1" >&2 2>/dev/null || true
}

# relative PATH: PATH inside the checkout, shortened for messages.
relative() { echo "${1#"$NEWSWATCH_REPO_ROOT"/}"; }

# wait_ready PID: wait until the service answers; if it dies or the deadline
# passes, show its log, leave nothing running and fail.
wait_ready() {
  local pid="$1" started=$SECONDS status=0
  wait_until "$READY_TIMEOUT" "$pid" answers || status=$?
  if ((status == 0)); then
    say "$SERVICE answers at $ADDRESS (pid $pid, ready after $((SECONDS - started)) s; log $(relative "$LOG"))"
    return 0
  fi
  show_log_tail "$LOG"
  if ((status == 2)); then
    rm -f "$PIDFILE"
    die "$SERVICE exited during startup (log above)"
  fi
  say "stopping $SERVICE (pid $pid), which did not become ready"
  stop_pid "$pid" "$SERVICE"
  rm -f "$PIDFILE"
  die "$SERVICE did not answer at $ADDRESS within $READY_TIMEOUT s (log above)"
}

service_up() {
  local pid at
  if pid="$(our_pid)"; then
    at="$(our_address)"
    if [[ "$at" == "$BIND:$PORT" ]]; then
      if answers; then
        say "$SERVICE already running at $ADDRESS (pid $pid, started by us); reusing it"
        return 0
      fi
      say "$SERVICE (pid $pid, started by us) is still starting; waiting"
      wait_ready "$pid"
      return 0
    fi
    if ! answers; then
      die "this checkout's $SERVICE (pid $pid) runs at $at, not $ADDRESS; stop it with '$0 down' first"
    fi
    say "a $SERVICE server we did not start answers at $ADDRESS; reusing it (ours, pid $pid, still runs at $at)"
    return 0
  fi
  if answers; then
    say "a $SERVICE server we did not start answers at $ADDRESS; reusing it"
    return 0
  fi
  start_service
  wait_ready "$(cat "$PIDFILE")"
}

# Stops the instance this checkout started, wherever it listens; never one
# that merely answers at ADDRESS.
service_down() {
  local pid at
  if ! pid="$(our_pid)"; then
    if answers; then
      say "$SERVICE at $ADDRESS was not started by this checkout; leaving it alone"
    else
      say "$SERVICE is not running (nothing to stop)"
    fi
    return 0
  fi
  at="$(our_address)"
  say "stopping $SERVICE at $at (pid $pid)"
  stop_pid "$pid" "$SERVICE"
  rm -f "$PIDFILE"
  say "$SERVICE stopped"
}

service_status() {
  local pid at owner="not started by this checkout" state="does not answer"
  if pid="$(our_pid)"; then
    at="$(our_address)"
    if [[ "$at" == "$BIND:$PORT" ]]; then
      owner="started by this checkout, pid $pid"
    else
      owner="not started by this checkout; ours runs at $at, pid $pid"
    fi
  fi
  if answers; then state="answers"; fi
  say "$SERVICE at $ADDRESS $state ($owner)"
}

service_main() {
  case "${1:-}" in
    up) service_up ;;
    down) service_down ;;
    status) service_status ;;
    *)
      echo "usage: $0 up|down|status" >&2
      exit 2
      ;;
  esac
}
