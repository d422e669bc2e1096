#!/usr/bin/env bash
# Times `inclusionctl pupil import` of 250,000 generated pupils against the floor PostgreSQL itself sets: psql,
# as the same login, `\copy` into a temporary table and one INSERT … SELECT into inclusion.pupil. Not a test:
# it prints both times and their ratio.
#
#   bench-import.sh ADMIN_CONNINFO URN FLOOR_URN [ROWS]
#
# ADMIN_CONNINFO  a libpq conninfo of an admin login (both runs are under its row-level security policies)
# URN             an existing school with no pupils, for inclusionctl
# FLOOR_URN       another existing school with no pupils, for psql (so the two loads do not collide)
# ROWS            default 250000
#
# INCLUSIONCTL names the binary (default .build/release/inclusionctl; build it with
# `swift build -c release --product inclusionctl`). The floor writes pupils only; inclusionctl also writes the
# needs of the 15% of pupils with SEN, as a real import does. Both runs fire the same audit triggers.
set -euo pipefail

if [[ $# -lt 3 || $# -gt 4 ]]; then
    echo "usage: ${0##*/} ADMIN_CONNINFO URN FLOOR_URN [ROWS]" >&2
    exit 64
fi
conninfo=$1
urn=$2
floor_urn=$3
rows=${4:-250000}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
inclusionctl=${INCLUSIONCTL:-$root/.build/release/inclusionctl}

if [[ ! -x $inclusionctl ]]; then
    echo "error: $inclusionctl is missing; run: swift build -c release --product inclusionctl" >&2
    exit 69
fi
for school in "$urn" "$floor_urn"; do
    if [[ ! $school =~ ^[0-9]{6}$ ]]; then
        echo "error: $school is not a URN (6 digits)" >&2
        exit 64
    fi
    count=$(psql "$conninfo" -X -A -t -v ON_ERROR_STOP=1 -c \
        "SELECT count(p.id) FROM inclusion.school s LEFT JOIN inclusion.pupil p ON p.school_id = s.id
         WHERE s.urn = $school GROUP BY s.id")
    if [[ -z $count ]]; then
        echo "error: no school with URN $school is visible to this login; add it with inclusionctl school add" >&2
        exit 66
    fi
    if [[ $count != 0 ]]; then
        echo "error: school $school already has $count pupils; benchmark into empty schools" >&2
        exit 65
    fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
file=$work/pupils.csv

# The academic year of today (1 September to 31 August) decides each pupil's expected year group.
read -r year month < <(date +'%Y %-m')
academic_year=$((month >= 9 ? year : year - 1))

# Valid UPNs (check letter over 12 digits), dates of birth matching the year group, 5% with an EHC plan and two
# needs, 10% with SEN support and one need, some flags.
awk -v rows="$rows" -v ay="$academic_year" 'BEGIN {
    alphabet = "ABCDEFGHJKLMNPQRTUVWXYZ"
    split("SPLD MLD SEMH SLCN ASD", needs, " ")
    print "upn,given_name,family_name,date_of_birth,year_group,sen_status,primary_need,secondary_need," \
        "eal,pupil_premium,looked_after,young_carer"
    for (n = 1; n <= rows; n++) {
        body = sprintf("%012d", n)
        sum = 0
        for (i = 1; i <= 12; i++) sum += substr(body, i, 1) * (i + 1)
        upn = substr(alphabet, sum % 23 + 1, 1) body
        y = ay - 14 + n % 9; m = 1 + n % 12; d = 1 + n % 28
        dob_ay = m >= 9 ? y : y - 1
        group = ay - (dob_ay + 5)
        status = "N"; primary = ""; secondary = ""
        if (n % 20 == 0) { status = "E"; primary = needs[n % 5 + 1]; secondary = needs[(n + 1) % 5 + 1] }
        else if (n % 20 == 1 || n % 20 == 7) { status = "K"; primary = needs[n % 5 + 1] }
        printf "%s,Given%d,Family%d,%04d-%02d-%02d,%d,%s,%s,%s,%s,%s,no,no\n", upn, n, n, y, m, d, group, status,
            primary, secondary, (n % 7 == 0 ? "yes" : "no"), (n % 3 == 0 ? "yes" : "no")
    }
}' >"$file"

now() { date +%s.%N; }
elapsed() { awk -v from="$1" -v to="$(now)" 'BEGIN { printf "%.2f", to - from }'; }

start=$(now)
"$inclusionctl" --database "$conninfo" pupil import --school "$urn" "$file"
import_seconds=$(elapsed "$start")

start=$(now)
psql "$conninfo" -X -q -v ON_ERROR_STOP=1 -v urn="$floor_urn" -v ay="$academic_year" <<SQL
BEGIN;
CREATE TEMP TABLE bench_pupil (upn text, given_name text, family_name text, date_of_birth date, year_group text,
    sen_status char(1), primary_need text, secondary_need text, eal text, pupil_premium text, looked_after text,
    young_carer text) ON COMMIT DROP;
\copy bench_pupil FROM '$file' WITH (FORMAT csv, HEADER true)
INSERT INTO inclusion.pupil (school_id, upn, given_name, family_name, date_of_birth, year_group, academic_year,
    sen_status, eal, pupil_premium, looked_after, young_carer)
SELECT (SELECT id FROM inclusion.school WHERE urn = :urn), upn, given_name, family_name, date_of_birth, year_group,
    :ay, sen_status, eal = 'yes', pupil_premium = 'yes', looked_after = 'yes', young_carer = 'yes'
FROM bench_pupil;
COMMIT;
SQL
floor_seconds=$(elapsed "$start")

echo "rows:          $rows"
echo "inclusionctl:  $import_seconds s"
echo "psql floor:    $floor_seconds s  (\\copy + one INSERT … SELECT, pupils only)"
echo "ratio:         $(awk -v a="$import_seconds" -v b="$floor_seconds" 'BEGIN { printf "%.2f", a / b }')"
