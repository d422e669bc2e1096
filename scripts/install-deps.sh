#!/usr/bin/env bash
# Installs what building and testing inclusiond need and is missing: pkg-config, libpq's headers, the
# PostgreSQL server and client, and systemd-analyze. Swift is only checked (it does not come from apt). Idempotent; prints one line
# when everything is present. As root it installs with apt-get; otherwise it names the packages and exits 1.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib/pg.sh
source "$here/lib/pg.sh"

# missing_packages prints the Debian packages that provide whatever is absent, one per line.
missing_packages() {
    if ! command -v pkg-config >/dev/null; then
        echo pkg-config
    fi
    if ! command -v pkg-config >/dev/null || ! pkg-config --exists libpq; then
        echo libpq-dev
    fi
    if ! pg_bindir >/dev/null; then
        echo postgresql
        echo postgresql-contrib
    fi
    if ! pg_client psql >/dev/null || ! pg_client pg_isready >/dev/null; then
        echo postgresql-client
    fi
    # `make test` checks the systemd unit with systemd-analyze.
    if ! command -v systemd-analyze >/dev/null; then
        echo systemd
    fi
}

check_swift() {
    if command -v swift >/dev/null; then
        return 0
    fi
    if [[ -x /opt/swift/usr/bin/swift ]]; then
        echo "install-deps: swift is not on PATH but /opt/swift/usr/bin/swift exists:" \
            "export PATH=\"\$PATH:/opt/swift/usr/bin\" (make adds it by itself)" >&2
        return 0
    fi
    echo "install-deps: swift not found (not on PATH, not in /opt/swift/usr/bin): install a Swift 6.3 toolchain" \
        "from swift.org and put its usr/bin on PATH" >&2
    return 1
}

mapfile -t missing < <(missing_packages | sort -u)

if ((${#missing[@]} > 0)); then
    if [[ $(id -u) -ne 0 ]]; then
        echo "install-deps: missing: ${missing[*]}" >&2
        echo "install-deps: as root run: apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
        exit 1
    fi
    echo "install-deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
    mapfile -t still < <(missing_packages | sort -u)
    if ((${#still[@]} > 0)); then
        echo "install-deps: still missing after apt-get install: ${still[*]}" >&2
        exit 1
    fi
fi

check_swift

bindir=$(pg_bindir)
echo "deps ok: libpq $(pkg-config --modversion libpq), PostgreSQL server in $bindir, $(swift --version 2>/dev/null | head -n 1 || echo 'swift off PATH')"
