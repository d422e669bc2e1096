#!/usr/bin/env bash
# Benchmark (not a test) of the review sweep: `make bench` runs it last; run it alone with
#
#   scripts/bench-sweep.sh                          10,000 and 250,000 pupils (500 a school)
#   SIZES="2000 10000" scripts/bench-sweep.sh       other trust sizes
#   NATIONAL=1 scripts/bench-sweep.sh               also England's SEN pupils: sen_only, 1,770,600 SEN pupils of
#                                                   9,080,000, 18,160 schools (about 45 GB and half an hour to load)
#   NATIONAL=1 NATIONAL_PUPILS=2000000 SIZES= …     only the national shape, scaled (SEN pupils: 19.5% of it)
#
# Starts a throwaway cluster in /tmp/inclusiond-bench-sweep, builds the release inclusiond, and for each size:
# creates a database, migrates it, loads scripts/synthetic-trust.sql's trust with scripts/synthetic-fast.sql
# (triggers off, as the superuser; timed), VACUUMs it and checkpoints (so autovacuum has nothing of the load left
# to do, no checkpoint of it runs under the sweeps and no sweep pays for hint bits), then measures the wall time
# and peak RSS of
#   a. the full sweep:  inclusiond --run-once review-sweep --as-of 2026-03-10 (on an empty alert table, which the
#      sweep fills: it plans its statements on alerts afresh in each school's transaction, so no plan cached while
#      the table was empty, such as alert_transition's foreign-key check, goes on scanning it whole);
#   b. the same sweep again, nothing changed: every school skipped (migration 0013's change markers);
#   c. a sweep as of the next day, 2026-03-11: every school judged again, raising only what the day brings;
#   d. the floor: the reads SchoolSweep makes for each school (Sources/InclusionStore/AlertSweep.swift: version,
#      calendar, transfers, plans, SEN pupils, interventions with recent sessions, cases, open alerts), one
#      statement at a time, a transaction per school, in one psql session as the daemon's login, as of 2026-03-11:
#      the database work of a sweep without its rules or writes. ratio = full sweep / floor.
# and prints one table at the end. The sweeps run with the default configuration (database.statement-timeout 30s):
# the job makes one connection call per school, so the client's deadline bounds one school's transaction.
#
# Variables: SIZES, NATIONAL, NATIONAL_PUPILS; STEP_TIMEOUT (seconds any one load, vacuum, sweep or floor may take;
# 0, the default, for no limit); INCLUSIONCTL (an inclusionctl to migrate with; default the release one, else the
# debug one); KEEP=1 (leave the cluster running afterwards, for EXPLAIN).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=/tmp/inclusiond-bench-sweep
sizes=${SIZES-10000 250000}
step_timeout=${STEP_TIMEOUT:-0}

swift build -c release --product inclusiond >/dev/null
bin=$(swift build -c release --show-bin-path)
daemon=$bin/inclusiond
ctl=${INCLUSIONCTL:-}
if [[ -z $ctl ]]; then
    if [[ -x $bin/inclusionctl ]]; then
        ctl=$bin/inclusionctl
    elif [[ -x $(swift build --show-bin-path)/inclusionctl ]]; then
        ctl=$(swift build --show-bin-path)/inclusionctl
    else
        swift build -c release --product inclusionctl >/dev/null
        ctl=$bin/inclusionctl
    fi
fi

scripts/pg-cluster.sh stop --throwaway "$dir" >/dev/null
scripts/pg-cluster.sh start --throwaway "$dir" >/dev/null
work=$(mktemp -d)
if [[ ${KEEP:-0} == 1 ]]; then
    trap 'rm -rf "$work"' EXIT
else
    trap 'rm -rf "$work"; scripts/pg-cluster.sh stop "$dir" >/dev/null' EXIT
fi
super="host=$dir user=postgres dbname=postgres"
psql "$super" -X -q -c "CREATE ROLE sweep_owner LOGIN CREATEROLE"

# seconds CMD…: runs CMD (under STEP_TIMEOUT), prints its wall time in seconds; its output goes to $work/out.
seconds() {
    local start status=0
    start=$(date +%s.%N)
    timeout "$step_timeout" "$@" >"$work/out" 2>&1 || status=$?
    if ((status != 0)); then
        echo "failed (exit $status): $*" >&2
        tail -n 20 "$work/out" >&2
        return "$status"
    fi
    awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'
}

# sweep LABEL CONFIG DAY: one run-once sweep; prints "SECONDS RSS_KB" and echoes the sweep's summary line.
sweep() {
    local label=$1 config=$2 day=$3 status=0
    timeout "$step_timeout" /usr/bin/time -f '%e %M' -o "$work/time" \
        "$daemon" --config "$config" --run-once review-sweep --as-of "$day" >"$work/sweep.log" 2>&1 || status=$?
    if ((status != 0)); then
        echo "sweep $label failed (exit $status)" >&2
        tail -n 20 "$work/sweep.log" >&2
        return "$status"
    fi
    grep -o 'review sweep done.*' "$work/sweep.log" | sed "s/^/   $label: /" >&2
    tail -n 1 "$work/time"
}

# The per-school reads of SchoolSweep, as of a day, for one psql session: BEGIN, the statements, COMMIT, per
# school. Keep them in step with AlertSweep.swift.
floor_sql() {
    local day=$1
    cat <<EOF
\set ON_ERROR_STOP on
SET DateStyle = 'ISO, YMD';
SELECT s.id, coalesce(w.as_of = '$day'::date AND w.version = coalesce(c.version, 0), false) AS unchanged
FROM inclusion.school s
LEFT JOIN inclusion.school_change c ON c.school_id = s.id
LEFT JOIN inclusion.school_sweep w ON w.school_id = s.id
ORDER BY s.id;
SELECT format(q.sql, s.id, '$day') FROM inclusion.school s CROSS JOIN LATERAL (VALUES
(0, 'BEGIN ISOLATION LEVEL READ COMMITTED'),
(1, 'SELECT coalesce((SELECT version FROM inclusion.school_change WHERE school_id = %1\$s), 0) AS version'),
(2, 'SELECT name, first_day, last_day FROM inclusion.term WHERE school_id = %1\$s'),
(3, 'SELECT first_day, last_day FROM inclusion.closure WHERE school_id = %1\$s'),
(4, 'SELECT year_group, deadline FROM inclusion.school_transfer WHERE school_id = %1\$s'),
(5, \$q\$
SELECT sp.id, sp.pupil_id, sp.kind, sp.starts, sp.next_review_due, sp.last_reviewed, sp.issued_on,
       sp.review_meeting_on, sp.invitations_sent_on, sp.report_sent_on, sp.la_decision_on,
       sp.amendments_proposed_on, sp.amended_issued_on,
       p.date_of_birth, p.sen_status::text AS sen_status, p.sen_status_since, p.left_on, p.year_group,
       p.academic_year,
       EXISTS (SELECT 1 FROM inclusion.intervention_pupil ip
               JOIN inclusion.intervention i ON i.school_id = ip.school_id AND i.id = ip.intervention_id
               WHERE ip.school_id = sp.school_id AND ip.pupil_id = sp.pupil_id
                 AND i.starts <= %2\$L::date AND coalesce(i.ended_on, i.ends) >= %2\$L::date) AS provided
FROM inclusion.support_plan sp
JOIN inclusion.pupil p ON p.school_id = sp.school_id AND p.id = sp.pupil_id
WHERE sp.school_id = %1\$s AND sp.status = 'active' AND (p.left_on IS NULL OR p.left_on > %2\$L::date)\$q\$),
(6, \$q\$
SELECT p.id, p.date_of_birth, p.sen_status::text AS sen_status, p.sen_status_since, p.left_on,
       EXISTS (SELECT 1 FROM inclusion.support_plan sp WHERE sp.school_id = p.school_id
               AND sp.pupil_id = p.id AND sp.status = 'active') AS planned
FROM inclusion.pupil p
WHERE p.school_id = %1\$s AND p.sen_status <> 'N' AND (p.left_on IS NULL OR p.left_on > %2\$L::date)\$q\$),
(7, \$q\$
SELECT i.id, i.starts, i.ends, i.ended_on, i.per_week::float8 AS per_week, d.last_delivered_on,
       EXISTS (SELECT 1 FROM inclusion.review r WHERE r.school_id = i.school_id
               AND r.intervention_id = i.id) AS reviewed,
       EXISTS (SELECT 1 FROM inclusion.intervention_pupil ip WHERE ip.school_id = i.school_id
               AND ip.intervention_id = i.id AND ip.exit_score IS NOT NULL) AS exit_measured,
       NOT EXISTS (SELECT 1 FROM inclusion.intervention_pupil ip
                   JOIN inclusion.pupil p ON p.school_id = ip.school_id AND p.id = ip.pupil_id
                   WHERE ip.school_id = i.school_id AND ip.intervention_id = i.id
                     AND (p.left_on IS NULL OR p.left_on > %2\$L::date)) AS every_pupil_left,
       coalesce((SELECT array_agg(s.held_on) FROM inclusion.intervention_session s
                 WHERE s.school_id = i.school_id AND s.intervention_id = i.id AND s.delivered
                   AND s.held_on >= %2\$L::date - 60 AND s.held_on < %2\$L::date), '{}') AS recent
FROM inclusion.intervention i
LEFT JOIN inclusion.intervention_delivery d ON d.intervention_id = i.id
WHERE i.school_id = %1\$s AND i.starts <= %2\$L::date\$q\$),
(8, \$q\$
SELECT c.id, c.pupil_id, c.opened_on, greatest(c.last_note_on, a.last_note_on) AS last_note_on,
       p.date_of_birth, p.sen_status::text AS sen_status, p.sen_status_since, p.left_on
FROM inclusion.pupil_case c
JOIN inclusion.pupil p ON p.school_id = c.school_id AND p.id = c.pupil_id
LEFT JOIN inclusion.case_confidential_activity a ON a.case_id = c.id
WHERE c.school_id = %1\$s AND c.state <> 'closed' AND (p.left_on IS NULL OR p.left_on > %2\$L::date)\$q\$),
(9, \$q\$
SELECT a.id, a.rule, a.subject_type, a.subject_id, a.due_on, a.severity,
       coalesce(p.left_on <= %2\$L::date, false) AS pupil_left
FROM inclusion.alert a
LEFT JOIN inclusion.pupil p ON p.school_id = a.school_id AND p.id = a.pupil_id
WHERE a.school_id = %1\$s AND a.state <> 'resolved'\$q\$),
(10, 'COMMIT')) q(k, sql)
ORDER BY s.id, q.k \gexec
EOF
}

results=()
run_size() {
    local name=$1 label=$2 pupils=$3 sen_only=$4
    local db=sweep_$name prefix=sw_$name
    local gen vac a b c floor config
    echo "== review sweep, $label: $pupils pupils$([[ $sen_only == on ]] && echo ", SEN pupils only")"
    psql "$super" -X -q -c "CREATE DATABASE $db OWNER sweep_owner"
    "$ctl" --database "host=$dir dbname=$db user=sweep_owner" db migrate --role-prefix "$prefix" \
        --daemon-login "${prefix}_daemon" >/dev/null
    gen=$(seconds psql "host=$dir dbname=$db user=postgres" -X -q -v pupils="$pupils" -v sen_only="$sen_only" \
        -f scripts/synthetic-fast.sql)
    sed 's/^/   /' "$work/out"
    echo "   generated in ${gen} s"
    # VACUUM, then a CHECKPOINT, so that the load's checkpoint is not still writing under the first sweep.
    printf '%s\n' "SET client_min_messages = warning;" \
        "SELECT 'VACUUM ' || string_agg(format('%I.%I', schemaname, tablename), ', ') FROM pg_tables" \
        "WHERE schemaname = 'inclusion' \\gexec" "CHECKPOINT;" >"$work/vacuum.sql"
    vac=$(seconds psql "host=$dir dbname=$db user=postgres" -X -q -v ON_ERROR_STOP=1 -f "$work/vacuum.sql")
    echo "   vacuumed and checkpointed in ${vac} s"
    psql "host=$dir dbname=$db user=postgres" -X -At -c "SELECT '   database ' || pg_size_pretty(pg_database_size(current_database()))
        || ', ' || (SELECT count(*) FROM inclusion.school) || ' schools, '
        || (SELECT count(*) FROM inclusion.pupil WHERE sen_status <> 'N') || ' SEN pupils'"
    config=$work/$name.yaml
    printf 'database: { url: "host=%s dbname=%s user=%s_daemon" }\nhttp: { listen: off }\n' \
        "$dir" "$db" "$prefix" >"$config"
    a=$(sweep full "$config" 2026-03-10)
    b=$(sweep second "$config" 2026-03-10)
    c=$(sweep next-day "$config" 2026-03-11)
    floor_sql 2026-03-11 >"$work/floor.sql"
    floor=$(seconds psql "host=$dir dbname=$db user=${prefix}_daemon" -X -q -o /dev/null -f "$work/floor.sql")
    echo "   sweeps: full ${a% *} s, second ${b% *} s, next day ${c% *} s; psql floor ${floor} s"
    local rss
    rss=$(printf '%s\n' "${a#* }" "${b#* }" "${c#* }" | sort -n | tail -n 1)
    results+=("$(awk -v l="$label" -v g="$gen" -v v="$vac" -v a="${a% *}" -v b="${b% *}" -v c="${c% *}" -v f="$floor" \
        -v r="$rss" 'BEGIN { printf "%-13s %8s %7s %11s %7s %9s %8s %6.2f %12.1f", l, g, v, a, b, c, f,
            (f > 0 ? a / f : 0), r / 1024 }')")
}

for size in $sizes; do
    run_size "$size" "$size" "$size" off
done
if [[ ${NATIONAL:-0} == 1 ]]; then
    national=${NATIONAL_PUPILS:-9080000}
    run_size national "$([[ $national == 9080000 ]] && echo national || echo "nat/$national")" "$national" on
fi

echo "== review sweep: seconds (wall), peak RSS of the three sweeps"
printf '%-13s %8s %7s %11s %7s %9s %8s %6s %12s\n' size "generate" "vacuum" "full sweep" "second" "next-day" \
    "floor" "ratio" "peak RSS MB"
printf '%s\n' "${results[@]}"
