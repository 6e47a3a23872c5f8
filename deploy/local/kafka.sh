#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# A single-node Kafka broker (KRaft, combined broker + controller) for
# development, tests and CI, kept under .state/kafka in the checkout.
#
#   deploy/local/kafka.sh up|down|status
#
# NEWSWATCH_KAFKA_BOOTSTRAP (default 127.0.0.1:9092) names the broker. If a
# broker already answers there it is reused, never replaced; otherwise one is
# started on that loopback address, with its controller on the next port
# (NEWSWATCH_KAFKA_CONTROLLER_PORT overrides). `down` stops only a broker
# this script started.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
source "$HERE/common.sh"

SERVICE=Kafka
BOOTSTRAP="${NEWSWATCH_KAFKA_BOOTSTRAP:-127.0.0.1:9092}"
ADDRESS="$BOOTSTRAP"
READY_TIMEOUT="${NEWSWATCH_KAFKA_READY_TIMEOUT:-90}"
STATE="$NEWSWATCH_STATE_DIR/kafka"
LIBS="$STATE/libs"
LIBS_MARKER="$LIBS/.complete"
DATA="$STATE/data"
PROPS="$STATE/server.properties"
LOG4J="$STATE/log4j2.properties"
PIDFILE="$STATE/kafka.pid"
LOG="$STATE/kafka.log"
POM="$HERE/pom.xml"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JAVA_CMD=("$JAVA" "-Dlog4j2.configurationFile=$LOG4J" "-Dkafka.logs.dir=$STATE" -cp "$LIBS/*")

HOST="${BOOTSTRAP%:*}"
PORT="${BOOTSTRAP##*:}"
CONTROLLER_PORT="${NEWSWATCH_KAFKA_CONTROLLER_PORT:-$((${PORT//[^0-9]/} + 1))}"
BIND="$(bind_address "$HOST")"
check_port NEWSWATCH_KAFKA_BOOTSTRAP "$PORT"

answers() { python3 "$HERE/kafka_ready.py" "$BOOTSTRAP"; }
our_pid() { owned_pid "$PIDFILE" java kafka.Kafka "$PROPS"; }
our_address() { sed -n 's|^advertised\.listeners=PLAINTEXT://||p' "$PROPS" 2>/dev/null; }

require_tools() {
  command -v python3 >/dev/null || die "python3 is missing: apt-get install -y python3"
  command -v "$JAVA" >/dev/null ||
    die "java is missing: Kafka needs Java 17 or newer (apt-get install -y openjdk-17-jre-headless maven)"
  local version major
  version="$("$JAVA" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)"
  major="${version%%.*}"
  [[ "$major" == 1 ]] && major="$(cut -d. -f2 <<<"$version")"
  [[ "$major" =~ ^[0-9]+$ ]] || major=0
  ((major >= 17)) ||
    die "java '$version' is too old: Kafka 4 needs Java 17 or newer (apt-get install -y openjdk-17-jre-headless)"
  command -v mvn >/dev/null || die "mvn is missing: it fetches the broker jars (apt-get install -y maven)"
}

# The marker holds the pom's checksum: jars are fetched once per pom version,
# and a fetch cut short leaves no marker, so the next `up` fetches again.
fetch_jars() {
  local want
  want="$(sha256sum "$POM" | cut -d' ' -f1)"
  [[ -f "$LIBS_MARKER" && "$(cat "$LIBS_MARKER")" == "$want" ]] && return 0
  say "fetching the Kafka broker jars with Maven into $(relative "$LIBS")"
  rm -rf "$LIBS.partial"
  mvn -B -q -Dstyle.color=never -f "$POM" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$LIBS.partial" >"$STATE/maven.log" 2>&1 ||
    { show_log_tail "$STATE/maven.log"; die "Maven could not fetch the Kafka jars (output above)"; }
  echo "$want" >"$LIBS.partial/.complete"
  rm -rf "$LIBS"
  mv "$LIBS.partial" "$LIBS"
}

write_config() {
  cat >"$PROPS" <<EOF
# Written by deploy/local/kafka.sh on every start; edit the script, not this.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://$BIND:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$BIND:$PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA

# One node: every internal topic has a single replica.
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Fewer internal partitions than the default 50: faster first group join.
offsets.topic.num.partitions=6
transaction.state.log.num.partitions=6

# The worker creates its topics itself; a typo must fail, not make a topic.
auto.create.topics.enable=false
num.partitions=6
group.initial.rebalance.delay.ms=0
EOF
  cat >"$LOG4J" <<'EOF'
# Broker logs go to stdout, which kafka.sh sends to .state/kafka/kafka.log.
status = warn
appender.out.type = Console
appender.out.name = out
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.out.ref = out
logger.request.name = kafka.request.logger
logger.request.level = warn
# Each client and server prints its every setting at INFO; server.properties
# already says what was asked for.
logger.config.name = org.apache.kafka.common.config.AbstractConfig
logger.config.level = warn
EOF
}

# Format once: meta.properties marks a formatted storage, and a second
# format of the same folder would fail.
format_storage() {
  local cluster_id
  [[ -f "$DATA/meta.properties" ]] && return 0
  # The tool's own log lines share stdout with the id: keep the last line.
  cluster_id="$("${JAVA_CMD[@]}" kafka.tools.StorageTool random-uuid 2>>"$LOG" | tail -n 1)"
  [[ "$cluster_id" =~ ^[A-Za-z0-9_-]{22}$ ]] || die "kafka.tools.StorageTool random-uuid printed no cluster id"
  say "formatting new storage in $(relative "$DATA") (cluster id $cluster_id)"
  "${JAVA_CMD[@]}" kafka.tools.StorageTool format --standalone -t "$cluster_id" -c "$PROPS" >>"$LOG" 2>&1 ||
    { show_log_tail "$LOG"; die "formatting the Kafka storage failed (log above)"; }
}

start_service() {
  [[ "$BOOTSTRAP" != *,* ]] ||
    die "no broker answers at $BOOTSTRAP; to start a local one, set NEWSWATCH_KAFKA_BOOTSTRAP to a single host:port"
  check_port NEWSWATCH_KAFKA_CONTROLLER_PORT "$CONTROLLER_PORT"
  is_loopback "$HOST" ||
    die "no broker answers at $BOOTSTRAP, and $HOST is not a loopback address: this script only starts a local broker"
  [[ "$CONTROLLER_PORT" != "$PORT" ]] || die "the controller port must differ from the broker port $PORT"
  ! port_open "$BIND" "$PORT" ||
    die "$BIND:$PORT is taken by a program that does not answer as a Kafka broker; stop it or choose another NEWSWATCH_KAFKA_BOOTSTRAP"
  ! port_open 127.0.0.1 "$CONTROLLER_PORT" ||
    die "the controller port 127.0.0.1:$CONTROLLER_PORT is taken; free it or set NEWSWATCH_KAFKA_CONTROLLER_PORT"
  require_tools
  mkdir -p "$STATE"
  fetch_jars
  if [[ -f "$LOG" ]]; then mv -f "$LOG" "$LOG.1"; fi
  write_config
  format_storage
  # cwd is the state dir so that JVM crash files land there too.
  (
    cd "$STATE"
    exec setsid nohup "${JAVA_CMD[@]}" -Xmx512m kafka.Kafka "$PROPS" >>"$LOG" 2>&1 </dev/null
  ) &
  echo "$!" >"$PIDFILE"
  say "starting Kafka at $BIND:$PORT (pid $!, controller 127.0.0.1:$CONTROLLER_PORT)"
}

service_main "$@"
