#!/usr/bin/env bash
# Interleaved comparison of host jars (say, a commit before a change and after it) on this machine, whose load
# varies: round after round, each jar runs the same LoadDriver phase once, so a busy spell hits both alike.
# Usage: bench/compare.sh [--rounds 3] [--postgres] LABEL=JAR ... [-- LoadDriver options]
#   e.g. bench/compare.sh --postgres before=/tmp/hc-before.jar after=host-app/target/helpdesk-connect.jar \
#          -- --connector noop --conversations 1500 --clients 32 --latency-conversations 0 \
#             --host-opts "-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
# --postgres: one throwaway PostgreSQL (as in run.sh), a fresh database in it for every run; without it each run
# has a new SQLite folder. Prints one line per run: accepted and synced events/s, the host's CPU per event, load.
# Build a jar of another commit with: git worktree add /tmp/wt REV && (cd /tmp/wt && mvn -q -pl host-app -am package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=3 postgres=false jars=() driver=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds) rounds="$2"; shift 2 ;;
        --postgres) postgres=true; shift ;;
        --) shift; driver=("$@"); break ;;
        *=*) jars+=("$1"); shift ;;
        *) echo "unknown argument '$1' (see the usage at the top of $0)" >&2; exit 2 ;;
    esac
done
[[ ${#jars[@]} -gt 0 ]] || { echo "name at least one LABEL=JAR" >&2; exit 2; }
echo "Building the driver (mvn package) ..." >&2
mvn -B -q -pl host-app -am package -DskipTests dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench-classpath.txt
cp=$(tr ':' '\n' < host-app/target/bench-classpath.txt | grep -v '\.pom$' | paste -sd: -)
if $postgres; then
    source bench/throwaway-postgres.sh
    start_throwaway_postgres
fi
run=0
for round in $(seq "$rounds"); do
    for spec in "${jars[@]}"; do
        label=${spec%%=*} jar=${spec#*=} run=$((run + 1))
        database=()
        if $postgres; then
            database=(--database-url "$(pg_database "compare$run")")
        fi
        out=$(java -cp "host-app/target/test-classes:$cp" com.helpdeskconnect.host.bench.LoadDriver --jar "$jar" \
            --plugin host-app/target/test-plugins/creatio-plugin.jar "${database[@]}" "${driver[@]}" 2>&1) || true
        accepted=$(grep -o "accepted: [0-9]* events/s" <<< "$out" | head -1 || true)
        synced=$(grep -o "[0-9]* events/s, [0-9.]* conversations/s" <<< "$out" | head -1 | sed 's/^/synced: /' || true)
        cpu=$(grep -o "([0-9.]* ms per event)" <<< "$out" | head -1 || true)
        if [[ -z "$accepted" ]]; then
            echo "round $round $label: no result; the driver said:" && tail -20 <<< "$out"
        else
            echo "round $round $label: $accepted, ${synced:-synced: ?}, host CPU $cpu, load $(cut -d' ' -f1 /proc/loadavg)"
        fi
    done
done
