#!/usr/bin/env bash
# Issue 14 benchmark: the host's per-event writes (group-committed accepts, claims, completions) against
# candidate embedded stores, each run in its own JVM, rounds interleaved; then a kill -9 check per candidate.
# Usage: bench/store.sh [--rounds 3] [--conversations 4000] [--warmup 500] [--clients 32] [--workers 16]
#                       [--max-backlog 256] [--claim-order host|state-first] [--candidates "h2-today sqlite-wal ..."]
#                       [--kill-rounds 3] [--java-opts "-Xmx128m ..."]
# Candidates: see `StoreBench list` (printed first). Results: RESULT lines in target/store-bench.txt and a
# Markdown table (median and range per candidate); KILL lines say whether every acknowledged commit survived.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
fi
rounds=3 conversations=4000 warmup=500 clients=32 workers=16 kill_rounds=3 backlog=256 order=host
candidates="h2-today h2-analyze-off h2-page-16k h2-page-1k h2-retention-0 h2-cache-64m h2-nio sqlite-wal sqlite-wal-busy sqlite-wal-full"
java_opts="-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds) rounds="$2"; shift 2 ;;
        --conversations) conversations="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        --clients) clients="$2"; shift 2 ;;
        --workers) workers="$2"; shift 2 ;;
        --max-backlog) backlog="$2"; shift 2 ;;
        --claim-order) order="$2"; shift 2 ;;
        --candidates) candidates="$2"; shift 2 ;;
        --kill-rounds) kill_rounds="$2"; shift 2 ;;
        --java-opts) java_opts="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
# host-app's test classes and their class path, built with the modules host-app needs (-am: a fresh clone has
# none of them in ~/.m2) in one reactor run; nothing is installed
echo "Building (mvn test-compile) ..." >&2
mvn -B -q -pl host-app -am test-compile -DskipTests dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench-classpath.txt
cp="host-app/target/test-classes:host-app/target/classes:$(tr ':' '\n' < host-app/target/bench-classpath.txt | grep -v '\.pom$' | paste -sd: -)"
bench() {
    # shellcheck disable=SC2086
    java $java_opts -cp "$cp" com.helpdeskconnect.host.bench.StoreBench "$@"
}
out=target/store-bench.txt
mkdir -p target
: > "$out"
bench list
echo "load before: $(uptime)" | tee -a "$out"
for round in $(seq "$rounds"); do
    for c in $candidates; do
        dir=$(mktemp -d)
        bench run --candidate "$c" --dir "$dir" --warmup "$warmup" --conversations "$conversations" \
            --clients "$clients" --workers "$workers" --max-backlog "$backlog" --claim-order "$order" 2> "$dir.err" \
            | tee -a "$out" || { echo "FAILED $c (see $dir.err)" | tee -a "$out"; continue; }
        rm -rf "$dir" "$dir.err"
    done
    echo "load after round $round: $(uptime)" | tee -a "$out"
done
bench summary "$out"
if [[ "$kill_rounds" -gt 0 ]]; then
    status=0
    for c in $candidates; do
        dir=$(mktemp -d)
        bench kill --candidate "$c" --dir "$dir" --rounds "$kill_rounds" | tee -a "$out" || status=1
        rm -rf "$dir"
    done
    exit $status
fi
