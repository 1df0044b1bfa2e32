# Sourced by run.sh and compare.sh: starts a throwaway PostgreSQL from the installed server (durable defaults) in a
# temp folder on a free port, stopped and removed when the script exits; pg_database NAME then makes a database and
# prints its JDBC URL. PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres user (Debian's
# package makes it).
start_throwaway_postgres() {
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [[ -x "$pg_bin/initdb" ]] || { echo "--postgres needs the PostgreSQL server (apt-get install postgresql)" >&2; exit 1; }
    pg_dir=$(mktemp -d /tmp/hc-bench-pg.XXXXXX)
    as_pg=()
    if [[ $(id -u) == 0 ]]; then chown postgres "$pg_dir"; as_pg=(runuser -u postgres --); fi
    pg_port=$((20000 + RANDOM % 20000))
    "${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 --no-locale > /dev/null
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$pg_dir -c max_connections=200" start > /dev/null
    trap '"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop > /dev/null; rm -rf "$pg_dir"' EXIT
}

# pg_database NAME: creates the database and prints its JDBC URL
pg_database() {
    "${as_pg[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres "$1"
    echo "jdbc:postgresql://127.0.0.1:$pg_port/$1?user=postgres"
}
