#!/usr/bin/env bash
# Issue 7 benchmark: the host (child JVM, real Creatio plugin jar) against the Creatio sandbox, all on 127.0.0.1.
# Usage: bench/run.sh [--conversations 500] [--clients 32] [--latency-conversations 4,16,64] [--host-opts "-Xmx96m"]
set -euo pipefail
cd "$(dirname "$0")/.."
# the runnable jar, the test classes (the driver) and target/test-plugins/creatio-plugin.jar
mvn -B -q -pl host-app package -DskipTests
mvn -B -q -pl host-app dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench-classpath.txt
# the creatio-plugin dependency is a reactor-order marker (type pom): keep .pom files off the class path
cp=$(tr ':' '\n' < host-app/target/bench-classpath.txt | grep -v '\.pom$' | paste -sd: -)
exec java -cp "host-app/target/test-classes:$cp" com.helpdeskconnect.host.bench.LoadDriver \
    --jar host-app/target/helpdesk-connect.jar --plugin host-app/target/test-plugins/creatio-plugin.jar "$@"
