#!/usr/bin/env bash
# A Spark standalone cluster on loopback, from the Spark jars Maven resolved (no Spark download):
#   spark/scripts/standalone.sh start [cores]   master on spark://127.0.0.1:7077, one worker with [cores] slots (4)
#   spark/scripts/standalone.sh stop
# Run spark/scripts/classpath.sh first. Logs and pids go to spark/target/standalone/.
set -euo pipefail
cd "$(dirname "$0")/../.."
source spark/scripts/java-opens.sh
dir=spark/target/standalone
# Without Kiln's slf4j-nop, so Spark logs through log4j (master and worker logs show registration).
cp=$(tr ':' '\n' <spark/target/classpath.txt | grep -v slf4j-nop | paste -sd:)

case "${1:-}" in
  start)
    cores=${2:-4}
    mkdir -p "$dir/home/jars"
    # Workers launch executors with $SPARK_HOME/jars/* on the class path: a home of links to the jars.
    tr ':' '\n' <<<"$cp" | grep '\.jar$' | while read -r jar; do ln -sf "$jar" "$dir/home/jars/"; done
    # The launcher asks SPARK_SCALA_VERSION before it looks at a home without build directories.
    export SPARK_HOME="$PWD/$dir/home" SPARK_LOCAL_IP=127.0.0.1 SPARK_SCALA_VERSION=2.13
    java -Xmx512m $JAVA_OPENS -cp "$cp" org.apache.spark.deploy.master.Master \
      --host 127.0.0.1 --port 7077 --webui-port 8080 >"$dir/master.log" 2>&1 &
    echo $! >"$dir/master.pid"
    sleep 3
    java -Xmx512m $JAVA_OPENS -cp "$cp" org.apache.spark.deploy.worker.Worker \
      --host 127.0.0.1 --cores "$cores" --memory 8g --work-dir "$PWD/$dir/work" \
      spark://127.0.0.1:7077 >"$dir/worker.log" 2>&1 &
    echo $! >"$dir/worker.pid"
    for _ in $(seq 30); do
      grep -q "Successfully registered with master" "$dir/worker.log" && break
      sleep 2
    done
    grep -h "Successfully registered with master" "$dir/worker.log" || {
      echo "the worker has not registered within a minute: see $dir/worker.log"; exit 1; }
    echo "master spark://127.0.0.1:7077, worker with $cores slots"
    ;;
  stop)
    for role in worker master; do
      if [ -f "$dir/$role.pid" ]; then kill "$(cat "$dir/$role.pid")" 2>/dev/null || true; rm -f "$dir/$role.pid"; fi
    done
    ;;
  *)
    echo "usage: $0 start [cores] | stop" >&2; exit 2 ;;
esac
