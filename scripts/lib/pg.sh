# shellcheck shell=bash
# Shared helpers for the PostgreSQL scripts; sourced, never run.

# pg_bindir prints the directory holding the PostgreSQL server binaries (initdb, pg_ctl, postgres),
# or nothing when there is none. Order: $PG_BINDIR, `pg_config --bindir`, the newest
# /usr/lib/postgresql/N/bin (Debian keeps server binaries off PATH), then PATH itself.
pg_bindir() {
    local dir candidate
    for candidate in "${PG_BINDIR:-}" "$(pg_config --bindir 2>/dev/null || true)"; do
        if [[ -n "$candidate" && -x "$candidate/initdb" && -x "$candidate/pg_ctl" && -x "$candidate/postgres" ]]; then
            printf '%s\n' "$candidate"
            return 0
        fi
    done
    dir=$(
        for candidate in /usr/lib/postgresql/*/bin; do
            [[ -x "$candidate/initdb" && -x "$candidate/pg_ctl" && -x "$candidate/postgres" ]] || continue
            printf '%s\n' "$candidate"
        done | sort -t/ -k5,5 -V | tail -n 1
    )
    if [[ -n "$dir" ]]; then
        printf '%s\n' "$dir"
        return 0
    fi
    if command -v initdb >/dev/null && command -v pg_ctl >/dev/null && command -v postgres >/dev/null; then
        dirname "$(command -v pg_ctl)"
        return 0
    fi
    return 1
}

# pg_client prints the path of a client program (psql, pg_isready): PATH first, then the server bindir.
pg_client() {
    local name=$1 dir
    if command -v "$name" >/dev/null; then
        command -v "$name"
        return 0
    fi
    if dir=$(pg_bindir) && [[ -x "$dir/$name" ]]; then
        printf '%s\n' "$dir/$name"
        return 0
    fi
    return 1
}
