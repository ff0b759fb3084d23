#!/usr/bin/env bash
# W1 data-parallel throughput with 1, 2 and 4 replicas (global batch 128), after spark/scripts/classpath.sh:
#   spark/scripts/w1-scaling.sh [master] [steps] [replicas...] [allgather]
#   spark/scripts/w1-scaling.sh 'local[4]' 20 1 2 4 allgather
#   spark/scripts/w1-scaling.sh spark://127.0.0.1:7077 20 1 2 4      (after standalone.sh start)
set -euo pipefail
cd "$(dirname "$0")/../.."
source spark/scripts/java-opens.sh
master=${1:-local[4]}; steps=${2:-20}; shift $(( $# >= 2 ? 2 : $# ))
java -Xmx4g -Dorg.bytedeco.javacpp.maxbytes=8G $JAVA_OPENS -Dspark.driver.host=127.0.0.1 \
  -Dspark.executor.cores=1 -Dspark.executor.memory=1g \
  -cp "$(cat spark/target/classpath.txt)" dev.kiln.spark.W1Scaling "$master" "$steps" "${@:-1 2 4}"
