#!/usr/bin/env bash
# Checks systemd/inclusiond.service: `systemd-analyze verify` on a copy whose ExecStart points at the built
# binary (verify needs the binary to exist), and `systemd-analyze security --offline=yes` scoring at most 2.0.
# `make test` runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${INCLUSIOND:-$(swift build --show-bin-path)/inclusiond}
max=${MAX_EXPOSURE:-2.0}
if ! command -v systemd-analyze >/dev/null; then
    echo "check-systemd: systemd-analyze is missing (apt-get install systemd)" >&2
    exit 1
fi
if [[ ! -x $binary ]]; then
    echo "check-systemd: $binary is not built" >&2
    exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unit=$work/inclusiond.service
sed "s|^ExecStart=/usr/local/bin/inclusiond|ExecStart=$binary|" systemd/inclusiond.service >"$unit"
grep -q "^ExecStart=$binary" "$unit"

verify=$(systemd-analyze verify "$unit" 2>&1 || true)
# Lines about other units on the machine are not ours to fix; anything naming our unit fails the check.
ours=$(grep -F "inclusiond.service" <<<"$verify" || true)
if [[ -n $ours ]]; then
    echo "check-systemd: systemd-analyze verify found problems:" >&2
    echo "$ours" >&2
    exit 1
fi
echo "check-systemd: verify ok"

security=$(systemd-analyze security --offline=yes "$unit" 2>&1)
score=$(sed -n 's/.*Overall exposure level for inclusiond.service: \([0-9.]*\).*/\1/p' <<<"$security")
if [[ -z $score ]]; then
    echo "check-systemd: could not read the exposure score:" >&2
    tail -n 5 <<<"$security" >&2
    exit 1
fi
if awk -v s="$score" -v m="$max" 'BEGIN { exit !(s > m) }'; then
    echo "check-systemd: exposure $score is above $max" >&2
    exit 1
fi
echo "check-systemd: security exposure $score (at most $max)"
