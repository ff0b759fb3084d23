#!/usr/bin/env bash
# Compiles kiln-spark (with its tests and the examples) and writes its full class path, Spark's jars
# included, to spark/target/classpath.txt. The other scripts read it.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q -o -pl spark -am test-compile \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.outputFile="$PWD/spark/target/dependencies.txt" -Dmdep.includeScope=test
echo "$PWD/spark/target/test-classes:$PWD/spark/target/classes:$(cat spark/target/dependencies.txt)" \
  > spark/target/classpath.txt
echo "wrote spark/target/classpath.txt"
