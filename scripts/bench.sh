#!/usr/bin/env bash
# Benchmarks (not tests): `make bench`. Starts a throwaway cluster in /tmp/inclusiond-bench, builds release
# binaries, and measures:
#   1. inclusionctl pupil show against one psql -c running the same statements (goal: within 2x);
#   2. an idle inclusiond's resident memory and CPU over a minute (goals: < 30 MB, < 1% of a core);
#   3. the time from `inclusionctl job run` to the run starting (goal: < 100 ms);
#   4. the pupil import against psql's floor (scripts/bench-import.sh, 250,000 rows);
#   5. the review sweep at 10,000 and 250,000 pupils against psql's floor (scripts/bench-sweep.sh, its own cluster;
#      SIZES, NATIONAL=1 and the rest pass through; BENCH_SWEEP=0 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=/tmp/inclusiond-bench
swift build -c release --product inclusionctl >/dev/null
swift build -c release --product inclusiond >/dev/null
bin=$(swift build -c release --show-bin-path)
ctl=$bin/inclusionctl
scripts/pg-cluster.sh stop --throwaway "$dir" >/dev/null
scripts/pg-cluster.sh start --throwaway "$dir" >/dev/null
trap 'kill "${daemon:-0}" 2>/dev/null || true; scripts/pg-cluster.sh stop "$dir" >/dev/null' EXIT
super="host=$dir user=postgres dbname=postgres"
psql "$super" -X -q -c "CREATE ROLE bench_owner LOGIN CREATEROLE" -c "CREATE DATABASE bench OWNER bench_owner"
owner="host=$dir dbname=bench user=bench_owner"
admin="host=$dir dbname=bench user=bench_ada"
"$ctl" --database "$owner" db migrate --role-prefix bench --daemon-login bench_daemon >/dev/null
"$ctl" --database "$owner" school add --urn 100001 --name "Bench Primary" --la 201 >/dev/null
"$ctl" --database "$owner" school add --urn 100002 --name "Bench Floor" --la 201 >/dev/null
"$ctl" --database "$owner" school add --urn 100003 --name "Bench Import" --la 201 >/dev/null
"$ctl" --database "$owner" staff add --login bench_ada --name Bench --role admin >/dev/null

echo "== 1. pupil show: inclusionctl against psql -c with the same statements (10,000 pupils on roll)"
csv=$(mktemp)
awk 'BEGIN { a = "ABCDEFGHJKLMNPQRTUVWXYZ";
    print "upn,given_name,family_name,date_of_birth,year_group,sen_status,primary_need,secondary_need";
    for (i = 1; i <= 10000; i++) { b = sprintf("201100%06d", i); s = 0;
        for (k = 1; k <= 12; k++) s += substr(b, k, 1) * (k + 1);
        printf "%s%s,Given%d,Family%d,2016-05-04,6,%s,%s,\n", substr(a, s % 23 + 1, 1), b, i, i,
            (i % 7 == 0 ? "K" : "N"), (i % 7 == 0 ? "SPLD" : "") } }' >"$csv"
"$ctl" --database "$admin" pupil import --school 100001 "$csv" >/dev/null
upn=$(sed -n 5000p "$csv" | cut -d, -f1)
pupil=$(psql "$admin" -X -Atc "SELECT id FROM inclusion.pupil WHERE upn = '$upn'")
runs=50
start=$(date +%s%N)
for _ in $(seq $runs); do "$ctl" --database "$admin" pupil show "$upn" --json >/dev/null; done
ctl_ms=$(( ($(date +%s%N) - start) / runs / 1000000 ))
sql="SET DateStyle = 'ISO, YMD';
SELECT id, school_id, upn, date_of_birth::text, sen_status FROM inclusion.pupil WHERE upn = '$upn'
    ORDER BY left_on IS NULL DESC, left_on DESC NULLS FIRST LIMIT 2;
BEGIN;
SELECT p.*, s.urn, (SELECT jsonb_agg(jsonb_build_object('code', n.code, 'rank', n.rank)) FROM inclusion.pupil_need n
    WHERE n.pupil_id = p.id) FROM inclusion.pupil p JOIN inclusion.school s ON s.id = p.school_id WHERE p.id = $pupil;
SELECT inclusion.audit_access($pupil, 'pupil show');
COMMIT;"
start=$(date +%s%N)
for _ in $(seq $runs); do psql "$admin" -X -q -c "$sql" >/dev/null; done
psql_ms=$(( ($(date +%s%N) - start) / runs / 1000000 ))
echo "inclusionctl pupil show: ${ctl_ms} ms per call; psql -c, same statements: ${psql_ms} ms per call"

echo "== 2. idle inclusiond: resident memory and CPU over 60 s"
config=$(mktemp --suffix=.yaml)
printf 'database: { url: "host=%s dbname=bench user=bench_daemon" }\nhttp: { listen: "127.0.0.1:19465" }\n' "$dir" >"$config"
"$bin/inclusiond" --config "$config" 2>/dev/null &
daemon=$!
sleep 5
ticks0=$(awk '{ print $14 + $15 }' "/proc/$daemon/stat")
sleep 60
ticks1=$(awk '{ print $14 + $15 }' "/proc/$daemon/stat")
rss=$(awk '/VmRSS/ { print $2 }' "/proc/$daemon/status")
hz=$(getconf CLK_TCK)
echo "resident memory: $((rss / 1024)) MB; CPU: $(awk -v t=$((ticks1 - ticks0)) -v hz="$hz" 'BEGIN { printf "%.2f", 100 * t / hz / 60 }')% of a core"

echo "== 3. job run to start, on that idle daemon (10 runs)"
for _ in $(seq 10); do "$ctl" --database "$admin" job run canary --wait >/dev/null; done
psql "$admin" -X -Atc "SELECT 'median ' || round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - created_at)) * 1000) || ' ms, max ' || round(max(extract(epoch FROM started_at - created_at)) * 1000) || ' ms' FROM inclusion.job_run WHERE manual"
kill "$daemon"
wait "$daemon" 2>/dev/null || true

if [[ ${BENCH_IMPORT:-1} == 1 ]]; then
    echo "== 4. pupil import: 250,000 rows against psql's floor"
    INCLUSIONCTL=$ctl bash scripts/bench-import.sh "$admin" 100003 100002
fi

if [[ ${BENCH_SWEEP:-1} == 1 ]]; then
    echo "== 5. review sweep: full, unchanged, next day, against psql's floor (scripts/bench-sweep.sh)"
    INCLUSIONCTL=$ctl bash scripts/bench-sweep.sh
fi
