#!/usr/bin/env bash
# Issue 7 benchmark: the host (child JVM, real Creatio plugin jar) against the Creatio sandbox, all on 127.0.0.1.
# Usage: bench/run.sh [--connector creatio|noop] [--conversations 500] [--clients 32] [--latency-conversations 4,16,64|0]
#                     [--warmup 50] [--host-opts "-Xmx96m"] [--cds] [--embedded sqlite|h2] [--database-url jdbc:postgresql://...|jdbc:sqlite:FILE | --postgres] [--hosts N]
#                     [--batch N] [--http-client lean|jdk]
# --batch N (1 to 100, default 1 = one request per event): each client thread keeps N conversations going and posts
# their next events together in one POST /api/v1/events; latencies are then per batch request.
# --connector noop: no sandbox; the host loads a real plugin jar of a connector whose calls answer at once (the
# host's own cost); its latency phases delay each connector call by 100 ms. --latency-conversations 0: no latency phases.
# --warmup N: conversations before the measured phases (not counted; default 50): more of them take the JIT out of the figures.
# --cds: after the build, start the host once with -XX:ArchiveClassesAtExit (same host options) to write an
# AppCDS archive of its start-up classes, then run the host with -XX:SharedArchiveFile (see host-app/README.md).
# --embedded h2: the host's data folder already holds an H2 file (kept, as in an installation made before SQLite
# became the default); default: a new folder, SQLite. --database-url jdbc:sqlite:FILE: the one host uses this
# SQLite file (use a new path per run: it is kept).
# --database-url: the hosts use this PostgreSQL database (user/password in the URL or HELPDESK_CONNECT_DATABASE_USER /
# _PASSWORD); --postgres: a throwaway PostgreSQL (the installed server, durable defaults) for this run; --hosts N: N
# host processes share that database, each conversation's events sent to them in turn (docs/deployment.md).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
    sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
fi
# the runnable jar, the test classes (the driver) and target/test-plugins/creatio-plugin.jar, built with the
# modules host-app needs (-am: a fresh clone has none of them in ~/.m2), and the driver's class path, in one
# reactor run so the SNAPSHOT modules resolve to the jars just built (nothing is installed)
echo "Building (mvn package, about a minute on a fresh clone) ..." >&2
mvn -B -q -pl host-app -am package -DskipTests dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench-classpath.txt
args=() host_opts="" cds=false postgres=false
while [[ $# -gt 0 ]]; do
    case "$1" in
        --cds) cds=true; shift ;;
        --postgres) postgres=true; shift ;;
        --host-opts) host_opts="$2"; shift 2 ;;
        *) args+=("$1"); shift ;;
    esac
done
if $cds; then
    archive=host-app/target/helpdesk-connect.jsa
    tmp=$(mktemp -d)
    mkdir "$tmp/plugins" && cp host-app/target/test-plugins/creatio-plugin.jar "$tmp/plugins/"
    rm -f "$archive"
    # shellcheck disable=SC2086
    java $host_opts -XX:ArchiveClassesAtExit="$archive" -jar host-app/target/helpdesk-connect.jar serve --port 0 \
        --data-dir "$tmp/data" --plugins-dir "$tmp/plugins" > "$tmp/out" 2> "$tmp/log" &
    pid=$!
    for _ in $(seq 300); do grep -q listening "$tmp/out" && break; sleep 0.1; done
    kill "$pid"; wait "$pid" || true
    rm -rf "$tmp"
    [[ -f "$archive" ]] || { echo "no CDS archive written" >&2; exit 1; }
    host_opts="$host_opts -XX:SharedArchiveFile=$archive"
fi
[[ -n "${host_opts// }" ]] && args+=(--host-opts "$host_opts")
if $postgres; then
    source bench/throwaway-postgres.sh
    start_throwaway_postgres
    args+=(--database-url "$(pg_database bench)")
fi
# the creatio-plugin dependency is a reactor-order marker (type pom): keep .pom files off the class path
cp=$(tr ':' '\n' < host-app/target/bench-classpath.txt | grep -v '\.pom$' | paste -sd: -)
java -cp "host-app/target/test-classes:$cp" com.helpdeskconnect.host.bench.LoadDriver \
    --jar host-app/target/helpdesk-connect.jar --plugin host-app/target/test-plugins/creatio-plugin.jar "${args[@]}"
