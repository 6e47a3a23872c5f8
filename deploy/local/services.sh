#!/usr/bin/env bash
# Brings the local Kafka broker and Redis server up or down together; this is
# what `make up`, `make down` and `make status` run.
#
#   deploy/local/services.sh up|down|status
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

case "${1:-}" in
  up)
    "$HERE/redis.sh" up
    "$HERE/kafka.sh" up
    ;;
  down | status)
    # Both, even if the first one fails; then report the failure.
    status=0
    "$HERE/kafka.sh" "$1" || status=1
    "$HERE/redis.sh" "$1" || status=1
    exit "$status"
    ;;
  *)
    echo "usage: $0 up|down|status" >&2
    exit 2
    ;;
esac
