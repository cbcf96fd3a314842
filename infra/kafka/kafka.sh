#!/usr/bin/env bash
# Local single-node Apache Kafka (KRaft, broker+controller) built from Apache's
# own jars on Maven Central. Idempotent: `start` on a running broker does nothing.
#   bash infra/kafka/kafka.sh start|stop|status|fetch|reset
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
LIBS="$HERE/libs"
DATA="${KAFKA_LOCAL_DATA:-$HERE/.data}"
PORT="${KAFKA_LOCAL_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_LOCAL_CONTROLLER_PORT:-9093}"
HEAP="${KAFKA_LOCAL_HEAP:-1g}"
PIDFILE="$DATA/kafka.pid"
LOGDIR="$DATA/logs"
CONF="$DATA/server.properties"
# Optional SASL_PLAINTEXT listener (tests of the SASL path): PLAIN users from
# KAFKA_LOCAL_SASL_USERS ("user=password,..."), and OAUTHBEARER with Kafka's unsecured JWT validator.
SASL_PORT="${KAFKA_LOCAL_SASL_PORT:-}"
SASL_USERS="${KAFKA_LOCAL_SASL_USERS:-}"

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
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=$listeners,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=$advertised
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT
$sasl
log.dirs=$DATA/kraft
num.partitions=3
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
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
  id="$(java -cp "$LIBS/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1)"
  log "formatting storage (cluster $id)"
  java -Dlog4j.configuration="file:$DATA/log4j.properties" -cp "$LIBS/*" \
    kafka.tools.StorageTool format -t "$id" -c "$CONF" >&2
}

start() {
  if pid="$(running_pid)"; then
    log "already running (pid $pid) on 127.0.0.1:$PORT"
    return 0
  fi
  if port_open "$PORT"; then
    log "port $PORT already answers; assuming a broker is running there"
    return 0
  fi
  fetch
  write_config
  format_storage
  log "starting broker on 127.0.0.1:$PORT (heap $HEAP)"
  : > "$LOGDIR/server.log"
  nohup java -Xms256m -Xmx"$HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$DATA/log4j.properties" -Dkafka.logs.dir="$LOGDIR" \
    -cp "$LIBS/*" kafka.Kafka "$CONF" > "$LOGDIR/stdout.log" 2>&1 &
  echo $! > "$PIDFILE"
  local deadline=$((SECONDS + ${KAFKA_LOCAL_START_TIMEOUT:-90}))
  until port_open "$PORT" && grep -q "Kafka Server started" "$LOGDIR/server.log" 2>/dev/null; do
    if ! running_pid >/dev/null; then
      log "broker exited during startup; last log lines:"; tail -n 30 "$LOGDIR/stdout.log" "$LOGDIR/server.log" >&2 || true
      return 1
    fi
    if [ $SECONDS -ge $deadline ]; then log "timed out waiting for the broker"; return 1; fi
    sleep 0.5
  done
  log "ready on 127.0.0.1:$PORT"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then log "not running"; rm -f "$PIDFILE"; return 0; fi
  log "stopping pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then log "still alive, killing"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$PIDFILE"
}

status() {
  if pid="$(running_pid)"; then echo "running pid=$pid port=$PORT"; else echo "stopped"; return 1; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) status ;;
  fetch) fetch ;;
  reset) stop; rm -rf "$DATA" ;;
  *) echo "usage: $0 start|stop|restart|status|fetch|reset" >&2; exit 2 ;;
esac
