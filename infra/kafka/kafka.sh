#!/usr/bin/env bash
# Local Apache Kafka (KRaft, combined broker+controller nodes) built from Apache's own jars on Maven
# Central. Two profiles, same commands; idempotent: `start` on a running node does nothing.
#   single  (default)  one node on 127.0.0.1:9092
#   cluster            three nodes on 127.0.0.1:29092, :29094, :29096 (each controller on the next port up),
#                      replication factor 3 with min.insync.replicas=2, 512 MiB heap each
#   bash infra/kafka/kafka.sh start|stop|status|restart|fetch|reset|brokers [single|cluster]
#                                                   (the profile also comes from KAFKA_LOCAL_PROFILE)
#   bash infra/kafka/kafka.sh node-stop|node-kill|node-start N   (one node of the cluster, for chaos tests)
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
LIBS="$HERE/libs"
COMMAND="${1:-}"
case "$COMMAND" in
  node-*) PROFILE=cluster ;;
  *) PROFILE="${2:-${KAFKA_LOCAL_PROFILE:-single}}" ;;
esac
case "$PROFILE" in single | cluster) ;; *) echo "profile must be single or cluster (got $PROFILE)" >&2; exit 2 ;; esac
CLUSTER_DATA="${KAFKA_CLUSTER_DATA:-$HERE/.data-cluster}"
CLUSTER_PORT="${KAFKA_CLUSTER_PORT:-29092}"
CLUSTER_NODES=3

# The node the functions below act on: the single broker, or node N of the cluster after select_node N.
NODE_ID=1
DATA="${KAFKA_LOCAL_DATA:-$HERE/.data}"
PORT="${KAFKA_LOCAL_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_LOCAL_CONTROLLER_PORT:-9093}"
HEAP="${KAFKA_LOCAL_HEAP:-1g}"
VOTERS="1@127.0.0.1:$CONTROLLER_PORT"
REPLICATION=1
MIN_ISR=1
set_paths() {
  PIDFILE="$DATA/kafka.pid"
  LOGDIR="$DATA/logs"
  CONF="$DATA/server.properties"
}
set_paths
# Optional SASL_PLAINTEXT listener (tests of the SASL path): PLAIN users from
# KAFKA_LOCAL_SASL_USERS ("user=password,..."), and OAUTHBEARER with Kafka's unsecured JWT validator.
SASL_PORT="${KAFKA_LOCAL_SASL_PORT:-}"
SASL_USERS="${KAFKA_LOCAL_SASL_USERS:-}"

select_node() {
  local n
  NODE_ID="$1"
  DATA="$CLUSTER_DATA/node-$1"
  PORT=$((CLUSTER_PORT + 2 * ($1 - 1)))
  CONTROLLER_PORT=$((PORT + 1))
  HEAP="${KAFKA_CLUSTER_HEAP:-512m}"
  VOTERS=""
  for n in $(seq 1 $CLUSTER_NODES); do VOTERS="$VOTERS${VOTERS:+,}$n@127.0.0.1:$((CLUSTER_PORT + 2 * (n - 1) + 1))"; done
  REPLICATION=3
  MIN_ISR=2
  SASL_PORT=""
  set_paths
}

brokers() {
  local n out=""
  if [ "$PROFILE" = cluster ]; then
    for n in $(seq 1 $CLUSTER_NODES); do out="$out${out:+,}127.0.0.1:$((CLUSTER_PORT + 2 * (n - 1)))"; done
    echo "$out"
  else
    echo "127.0.0.1:$PORT"
  fi
}

log() { echo "[kafka] $*" >&2; }

fetch() {
  if ls "$LIBS"/kafka_2.13-*.jar >/dev/null 2>&1 && ls "$LIBS"/reload4j-*.jar >/dev/null 2>&1; then
    return 0
  fi
  log "fetching Kafka jars from Maven Central (mvn dependency:copy-dependencies)"
  mvn -q -B -f "$HERE/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$LIBS" -DincludeScope=runtime >&2
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") >/dev/null 2>&1; }

running_pid() {
  [ -f "$PIDFILE" ] || return 1
  local pid; pid="$(cat "$PIDFILE")"
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

write_config() {
  mkdir -p "$DATA/kraft" "$LOGDIR"
  local listeners="PLAINTEXT://127.0.0.1:$PORT" advertised="PLAINTEXT://127.0.0.1:$PORT" sasl=""
  if [ -n "$SASL_PORT" ]; then
    listeners="$listeners,SASL_PLAINTEXT://127.0.0.1:$SASL_PORT"
    advertised="$advertised,SASL_PLAINTEXT://127.0.0.1:$SASL_PORT"
    local users="" pair
    IFS=',' read -ra pairs <<< "$SASL_USERS"
    for pair in "${pairs[@]}"; do users="$users user_${pair%%=*}=\"${pair#*=}\""; done
    sasl="sasl.enabled.mechanisms=PLAIN,OAUTHBEARER
listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required$users;
listener.name.sasl_plaintext.oauthbearer.sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub=\"broker\";"
  fi
  cat > "$CONF" <<CONF
process.roles=broker,controller
node.id=$NODE_ID
controller.quorum.voters=$VOTERS
listeners=$listeners,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=$advertised
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT
$sasl
log.dirs=$DATA/kraft
num.partitions=3
auto.create.topics.enable=false
default.replication.factor=$REPLICATION
min.insync.replicas=$MIN_ISR
offsets.topic.replication.factor=$REPLICATION
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=$REPLICATION
transaction.state.log.min.isr=$MIN_ISR
group.initial.rebalance.delay.ms=0
log.retention.hours=168
log.segment.bytes=67108864
CONF
  cat > "$DATA/log4j.properties" <<L4J
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=$LOGDIR/server.log
log4j.appender.file.MaxFileSize=20MB
log4j.appender.file.MaxBackupIndex=2
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.controller=INFO
L4J
}

format_storage() {
  [ -f "$DATA/kraft/meta.properties" ] && return 0
  local id
  if [ "$PROFILE" = cluster ]; then
    # Every node of the cluster is formatted with the same cluster id.
    mkdir -p "$CLUSTER_DATA"
    [ -s "$CLUSTER_DATA/cluster-id" ] || java -cp "$LIBS/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1 > "$CLUSTER_DATA/cluster-id"
    id="$(cat "$CLUSTER_DATA/cluster-id")"
  else
    id="$(java -cp "$LIBS/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1)"
  fi
  log "formatting storage of node $NODE_ID (cluster $id)"
  java -Dlog4j.configuration="file:$DATA/log4j.properties" -cp "$LIBS/*" \
    kafka.tools.StorageTool format -t "$id" -c "$CONF" >&2
}

# Starts the selected node in the background (LAUNCHED=1), or leaves one that already runs there (LAUNCHED=0).
# Not called as a condition, so that `set -e` still stops at a failed step inside it.
launch() {
  local pid
  LAUNCHED=0
  if pid="$(running_pid)"; then
    log "already running (pid $pid) on 127.0.0.1:$PORT"
    return 0
  fi
  if port_open "$PORT"; then
    log "port $PORT already answers; assuming a broker is running there"
    return 0
  fi
  write_config
  format_storage
  log "starting node $NODE_ID on 127.0.0.1:$PORT (heap $HEAP)"
  : > "$LOGDIR/server.log"
  nohup java -Xms256m -Xmx"$HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$DATA/log4j.properties" -Dkafka.logs.dir="$LOGDIR" \
    -cp "$LIBS/*" kafka.Kafka "$CONF" > "$LOGDIR/stdout.log" 2>&1 &
  echo $! > "$PIDFILE"
  LAUNCHED=1
}

# Waits until the selected node serves; a cluster node does once the controller quorum has formed.
await_ready() {
  local deadline=$((SECONDS + ${KAFKA_LOCAL_START_TIMEOUT:-90}))
  until port_open "$PORT" && grep -q "Kafka Server started" "$LOGDIR/server.log" 2>/dev/null; do
    if ! running_pid >/dev/null; then
      log "node $NODE_ID exited during startup; last log lines:"; tail -n 30 "$LOGDIR/stdout.log" "$LOGDIR/server.log" >&2 || true
      return 1
    fi
    if [ $SECONDS -ge $deadline ]; then log "timed out waiting for node $NODE_ID"; return 1; fi
    sleep 0.5
  done
  log "ready on 127.0.0.1:$PORT"
}

start() {
  fetch
  if [ "$PROFILE" != cluster ]; then
    launch
    if [ "$LAUNCHED" = 1 ]; then await_ready; fi
    return 0
  fi
  local n started=()
  # All three at once: none is ready before a quorum of controllers is up.
  for n in $(seq 1 $CLUSTER_NODES); do
    select_node "$n"
    launch
    if [ "$LAUNCHED" = 1 ]; then started+=("$n"); fi
  done
  for n in "${started[@]}"; do select_node "$n"; await_ready; done
  log "cluster of $CLUSTER_NODES nodes: KAFKA_BROKERS=$(brokers) KAFKA_REPLICATION_FACTOR=3"
}

stop_node() {
  local pid signal="${1:-TERM}"
  if ! pid="$(running_pid)"; then log "node $NODE_ID not running"; rm -f "$PIDFILE"; return 0; fi
  log "stopping node $NODE_ID (pid $pid, SIG$signal)"
  kill -"$signal" "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then log "still alive, killing"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$PIDFILE"
}

stop() {
  local n pid pids=()
  if [ "$PROFILE" != cluster ]; then stop_node; return 0; fi
  # All nodes at once: stopped one by one, the last ones lose their controller quorum and stall in
  # controlled shutdown. What has not exited after 20 s is killed (its logs are recovered at next start).
  for n in $(seq 1 $CLUSTER_NODES); do
    select_node "$n"
    if pid="$(running_pid)"; then log "stopping node $n (pid $pid)"; kill -TERM "$pid" 2>/dev/null || true; pids+=("$pid"); fi
    rm -f "$PIDFILE"
  done
  for _ in $(seq 1 40); do
    local alive=0
    for pid in "${pids[@]}"; do if kill -0 "$pid" 2>/dev/null; then alive=1; fi; done
    [ "$alive" = 0 ] && return 0
    sleep 0.5
  done
  for pid in "${pids[@]}"; do if kill -0 "$pid" 2>/dev/null; then log "pid $pid still alive, killing"; kill -KILL "$pid" 2>/dev/null || true; fi; done
}

status() {
  local n pid up=0
  if [ "$PROFILE" != cluster ]; then
    if pid="$(running_pid)"; then echo "running pid=$pid port=$PORT"; else echo "stopped"; return 1; fi
    return 0
  fi
  for n in $(seq 1 $CLUSTER_NODES); do
    select_node "$n"
    if pid="$(running_pid)"; then echo "node $n running pid=$pid port=$PORT"; up=$((up + 1)); else echo "node $n stopped port=$PORT"; fi
  done
  [ "$up" -gt 0 ]
}

reset() {
  stop
  if [ "$PROFILE" = cluster ]; then rm -rf "$CLUSTER_DATA"; else rm -rf "$DATA"; fi
}

node_arg() {
  local n="${1:-}"
  if ! [[ "$n" =~ ^[1-9]$ ]] || [ "$n" -gt $CLUSTER_NODES ]; then echo "node must be 1..$CLUSTER_NODES" >&2; exit 2; fi
  select_node "$n"
}

case "$COMMAND" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) status ;;
  fetch) fetch ;;
  reset) reset ;;
  brokers) brokers ;;
  node-stop) node_arg "${2:-}"; stop_node TERM ;;
  node-kill) node_arg "${2:-}"; stop_node KILL ;;
  node-start) node_arg "${2:-}"; fetch; launch; await_ready ;;
  *) echo "usage: $0 start|stop|restart|status|fetch|reset|brokers [single|cluster] | node-stop|node-kill|node-start N" >&2; exit 2 ;;
esac
