#!/usr/bin/env bash
# A private, socket-only PostgreSQL cluster in one directory, for development (`make run`) and tests
# (`make test`). Data lives in DIR/data, the socket and the log (DIR/postgres.log) in DIR itself.
#
#   pg-cluster.sh start [--throwaway] DIR   create (initdb) if needed, start, wait until it answers
#   pg-cluster.sh stop [--throwaway] DIR    stop (fast); a throwaway cluster's DIR is removed (with
#                                           --throwaway, DIR is removed whatever it held)
#   pg-cluster.sh status DIR                exit 0 when running, 3 when not
#   pg-cluster.sh url DIR                   the superuser's libpq conninfo
#   pg-cluster.sh crash DIR                 stop immediately (as a crash would: no checkpoint, connections
#                                           cut) and start again; for resilience tests
#   pg-cluster.sh halt DIR                  stop, keeping the data even of a throwaway cluster
#   pg-cluster.sh resume DIR                start a halted cluster again
#
# A throwaway cluster trades durability for speed (fsync, synchronous_commit and full_page_writes off) and
# is deleted by `stop`; the choice is made when the cluster is created and remembered in DIR/.throwaway.
#
# PostgreSQL refuses to run as root, so as root every server command runs as the `postgres` user, which
# must be able to reach DIR: keep DIR out of private homes (use /tmp or /run). The socket's path,
# DIR/.s.PGSQL.5432, must stay under 107 bytes.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib/pg.sh
source "$here/lib/pg.sh"

readonly port=5432
readonly start_timeout=30

usage() {
    echo "usage: ${0##*/} start [--throwaway] DIR | stop [--throwaway] DIR | status DIR | url DIR | crash DIR | halt DIR | resume DIR" >&2
    exit 64
}

die() {
    echo "pg-cluster: $*" >&2
    exit 1
}

command=${1:-}
[[ $# -gt 0 ]] && shift
throwaway=false
dir=
for arg in "$@"; do
    case $arg in
    --throwaway) throwaway=true ;;
    -*) usage ;;
    *)
        [[ -z $dir ]] || usage
        dir=$arg
        ;;
    esac
done
[[ -n $command && -n $dir ]] || usage
[[ $command == start || $command == stop || $throwaway == false ]] || usage

[[ $dir == /* ]] || dir=$PWD/$dir
dir=$(realpath -m -- "$dir")
# The path goes into postgresql.conf and conninfo strings unquoted: keep it plain.
[[ $dir =~ ^/[A-Za-z0-9._+/-]+$ && $dir == /*/* ]] ||
    die "DIR must be a plain path (letters, digits, . _ + - /) below a top-level directory, not '$dir'"
socket="$dir/.s.PGSQL.$port"
((${#socket} < 107)) || die "the socket path $socket is ${#socket} bytes; Unix sockets allow 106: use a shorter DIR"

data=$dir/data
marker=$dir/.throwaway
log=$dir/postgres.log
conninfo="host=$dir user=postgres dbname=postgres"

# Server commands run with a working directory the postgres user can enter.
cd /

is_root() { [[ $(id -u) -eq 0 ]]; }

# as_owner runs a command as the cluster's owner: postgres when we are root, else ourselves.
as_owner() {
    if is_root; then
        if command -v runuser >/dev/null; then
            runuser -u postgres -- "$@"
        else
            su -s /bin/bash -c "$(printf '%q ' "$@")" postgres
        fi
    else
        "$@"
    fi
}

# live_postgres tells whether pid is a live (not zombie) PostgreSQL process. Where nothing reaps orphans
# (containers whose pid 1 is not an init), a killed postmaster lingers as a zombie that `kill -0` still finds.
live_postgres() {
    local pid=$1 comm state
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    comm=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
    [[ $comm == postgres || $comm == postmaster ]] || return 1
    state=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$pid/status" 2>/dev/null) || return 1
    [[ -n $state && $state != Z && $state != X ]]
}

# running_pid prints the postmaster's pid when this cluster's postmaster is alive. A pid file whose pid is
# gone, or now belongs to some other process (pids are reused after a reboot or in containers), is stale.
running_pid() {
    local pid
    [[ -f $data/postmaster.pid ]] || return 1
    pid=$(head -n 1 "$data/postmaster.pid" 2>/dev/null) || return 1
    live_postgres "$pid" || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$data" || return 1
    printf '%s\n' "$pid"
}

server_bindir() {
    pg_bindir || die "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found: run scripts/install-deps.sh"
}

print_log_tail() {
    if [[ -f $log ]]; then
        echo "pg-cluster: last lines of $log:" >&2
        tail -n 30 "$log" >&2
    fi
}

initialise() {
    local bindir=$1 locale_args=(--no-locale) sync_args=()
    if locale -a 2>/dev/null | grep -qixE 'c\.utf-?8'; then
        locale_args=(--locale=C.UTF-8)
    fi
    [[ $throwaway == true ]] && sync_args=(--no-sync)
    # A data directory without PG_VERSION is what a killed initdb leaves behind.
    rm -rf -- "$data"
    echo "pg-cluster: initialising $data"
    if ! as_owner "$bindir/initdb" -D "$data" --auth=trust --username=postgres --encoding=UTF8 \
        "${locale_args[@]}" "${sync_args[@]}" >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        die "initdb failed"
    fi
}

write_settings() {
    if ! grep -qx "include_if_exists = 'inclusiond.conf'" "$data/postgresql.conf"; then
        echo "include_if_exists = 'inclusiond.conf'" | as_owner tee -a "$data/postgresql.conf" >/dev/null
    fi
    {
        echo "# Written by scripts/pg-cluster.sh at every start: change the script, not this file."
        echo "listen_addresses = ''"
        echo "unix_socket_directories = '$dir'"
        echo "port = $port"
        echo "max_connections = 300"
        echo "shared_buffers = 256MB"
        if [[ $throwaway == true ]]; then
            echo "# A throwaway test cluster: durability is not wanted."
            echo "fsync = off"
            echo "synchronous_commit = off"
            echo "full_page_writes = off"
        fi
    } | as_owner tee "$data/inclusiond.conf" >/dev/null
}

# launch starts the postmaster and waits until it accepts connections or the deadline passes.
launch() {
    local bindir=$1 deadline=$((SECONDS + start_timeout)) remaining
    as_owner "$bindir/pg_ctl" start -D "$data" -l "$log" -w -t "$start_timeout" -s >/dev/null 2>&1 || return 1
    while ((SECONDS < deadline)); do
        "$isready" -q -h "$dir" -p "$port" -U postgres -d postgres && return 0
        sleep 0.2
    done
    remaining=$(running_pid) || true
    echo "pg-cluster: the server (pid ${remaining:-gone}) did not answer within ${start_timeout}s" >&2
    return 1
}

start() {
    local pid bindir
    if pid=$(running_pid); then
        echo "pg-cluster: already running in $dir (pid $pid)"
        return 0
    fi
    bindir=$(server_bindir)
    isready=$(pg_client pg_isready) || die "pg_isready not found: run scripts/install-deps.sh"
    if is_root && ! id postgres >/dev/null 2>&1; then
        die "running as root needs the postgres user, which the postgresql package creates: run scripts/install-deps.sh"
    fi
    if [[ -e $marker ]]; then
        throwaway=true
    elif [[ $throwaway == true && -e $data ]]; then
        die "$dir holds a persistent cluster: stop it, remove $dir, or choose another DIR for a throwaway one"
    fi

    mkdir -p -- "$dir"
    chmod 0755 "$dir"
    if is_root; then
        chown postgres:postgres "$dir"
    fi
    as_owner test -w "$dir" -a -x "$dir" ||
        die "the postgres user cannot reach $dir (a parent directory is private, e.g. a 0700 home): use a DIR under /tmp or /run"

    if [[ $throwaway == true ]]; then
        as_owner touch "$marker"
        # A throwaway cluster that is not running is leftover from a killed run: start afresh.
        rm -rf -- "$data"
    fi
    [[ -f $data/PG_VERSION ]] || initialise "$bindir"
    write_settings

    if ! launch "$bindir"; then
        if remove_stale_locks && launch "$bindir"; then
            report_started
            return 0
        fi
        print_log_tail
        die "could not start the cluster in $dir"
    fi
    report_started
}

# remove_stale_locks deletes the lock files a killed postmaster left behind when their pid is no live
# PostgreSQL process (PostgreSQL itself only checks that the pid exists, which a reused pid or an unreaped
# zombie defeats). Succeeds when it removed something, so that a retry can help.
remove_stale_locks() {
    local removed=1 lock pid
    running_pid >/dev/null && return 1
    for lock in "$data/postmaster.pid" "$socket.lock"; do
        [[ -f $lock ]] || continue
        pid=$(head -n 1 "$lock" 2>/dev/null) || pid=
        live_postgres "$pid" && continue
        echo "pg-cluster: removing the stale $lock (pid ${pid:-none} is no PostgreSQL server) and retrying" >&2
        rm -f -- "$lock"
        removed=0
    done
    return "$removed"
}

report_started() {
    local kind=persistent
    [[ $throwaway == true ]] && kind=throwaway
    echo "pg-cluster: $kind cluster running in $dir (pid $(running_pid || echo '?'), log $log)"
}

stop() {
    local bindir
    if running_pid >/dev/null; then
        bindir=$(server_bindir)
        if ! as_owner "$bindir/pg_ctl" stop -D "$data" -m fast -w -t 60 -s; then
            echo "pg-cluster: fast shutdown failed; shutting down immediately" >&2
            as_owner "$bindir/pg_ctl" stop -D "$data" -m immediate -w -t 30 -s || die "could not stop the cluster in $dir"
        fi
        echo "pg-cluster: stopped the cluster in $dir"
    elif [[ -e $data ]]; then
        echo "pg-cluster: the cluster in $dir is not running"
    fi
    if [[ -e $marker || ($throwaway == true && -d $dir) ]]; then
        rm -rf -- "$dir"
        echo "pg-cluster: removed throwaway cluster $dir"
    fi
}

status() {
    local pid
    if pid=$(running_pid); then
        echo "running in $dir (pid $pid, log $log): $conninfo"
    elif [[ -f $data/PG_VERSION ]]; then
        echo "stopped: a cluster in $dir is not running"
        exit 3
    else
        echo "no cluster in $dir"
        exit 3
    fi
}

# crash stops the server the way a crash would and starts it again on the same data.
crash() {
    local bindir
    bindir=$(server_bindir)
    isready=$(pg_client pg_isready) || die "pg_isready not found: run scripts/install-deps.sh"
    running_pid >/dev/null || die "no cluster is running in $dir"
    as_owner "$bindir/pg_ctl" stop -D "$data" -m immediate -w -t 30 -s || die "could not stop the cluster in $dir"
    [[ -e $marker ]] && throwaway=true
    launch "$bindir" || { print_log_tail; die "could not restart the cluster in $dir"; }
    echo "pg-cluster: crashed and restarted the cluster in $dir"
}

halt() {
    local bindir
    running_pid >/dev/null || { echo "pg-cluster: the cluster in $dir is not running"; return 0; }
    bindir=$(server_bindir)
    as_owner "$bindir/pg_ctl" stop -D "$data" -m fast -w -t 60 -s || die "could not stop the cluster in $dir"
    echo "pg-cluster: halted the cluster in $dir (data kept)"
}

resume() {
    local bindir
    running_pid >/dev/null && { echo "pg-cluster: already running in $dir"; return 0; }
    [[ -f $data/PG_VERSION ]] || die "no cluster in $dir to resume"
    bindir=$(server_bindir)
    isready=$(pg_client pg_isready) || die "pg_isready not found: run scripts/install-deps.sh"
    [[ -e $marker ]] && throwaway=true
    write_settings
    launch "$bindir" || { print_log_tail; die "could not start the cluster in $dir"; }
    report_started
}

case $command in
start) start ;;
crash) crash ;;
halt) halt ;;
resume) resume ;;
stop) stop ;;
status) status ;;
url) echo "$conninfo" ;;
*) usage ;;
esac
