#!/bin/sh
# Builds Kiln and the benchmark, then times every WORKLOADS.md job in Kiln, PyTorch and DL4J side by
# side (docs/benchmarks.md). Arguments go to dev.kiln.bench.Bench, e.g. `bench/run.sh W1 --seconds 20`.
set -e
cd "$(dirname "$0")/.."
mvn -q -o -pl bench -am package -DskipTests
exec java -cp "$(cat bench/target/classpath.txt):bench/target/classes" dev.kiln.bench.Bench "$@"
