#!/usr/bin/env bash
# Loads a small demo trust: 3 schools with this academic year's terms, staff logins, 300 pupils (some with SEN),
# cases with notes, SEN support plans and EHC plans, interventions with a session log, reviews, and a few
# lapses for the alert rules to find (an overdue plan review, an intervention with no recent session, a stale case).
#
#   scripts/demo.sh "host=/tmp/inclusiond-run dbname=inclusion user=inclusion_owner"
#
# Run as the database owner (who ran `db migrate`). Uses the inclusionctl in $INCLUSIONCTL (or on PATH). The
# demo is synthetic: names are generated, UPNs are valid but belong to nobody.
set -euo pipefail
owner=${1:?usage: demo.sh OWNER-CONNINFO}
ctl=${INCLUSIONCTL:-inclusionctl}
admin_login=${DEMO_LOGIN:-inclusion_admin_demo}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

as() { local who=$1; shift; "$ctl" --database "$(conn "$who")" "$@"; }
# The owner's conninfo with another user: libpq takes the last value of a repeated keyword.
conn() { if [[ $1 == owner ]]; then echo "$owner"; else echo "$owner user=$1"; fi; }
quiet() { "$@" >/dev/null; }
json_id() { sed -n 's/.*"id":\([0-9]*\).*/\1/p'; }

today=$(date +%F)
year=$(date +%Y)
month=$((10#$(date +%m)))
start=$((month >= 9 ? year : year - 1))  # the academic year starts in September
next=$((start + 1))
day() { date -d "$1" +%F; }

echo "demo: schools, terms and staff"
declare -A school_name=([100101]="Oakfield Primary" [100102]="Riverside Academy" [100103]="Hillside Infant School")
for urn in 100101 100102 100103; do
    quiet as owner school add --urn "$urn" --name "${school_name[$urn]}" --la 201 --estab "$((2000 + urn % 100))"
    quiet as owner term add --school "$urn" --name "Autumn $start" --from "$start-09-03" --to "$start-12-18"
    quiet as owner term add --school "$urn" --name "Spring $next" --from "$next-01-05" --to "$next-03-26"
    quiet as owner term add --school "$urn" --name "Summer $next" --from "$next-04-12" --to "$next-07-21"
    quiet as owner term closure --school "$urn" --from "$start-10-26" --to "$start-10-30" --reason "half term"
    quiet as owner term closure --school "$urn" --from "$next-02-15" --to "$next-02-19" --reason "half term"
    quiet as owner term closure --school "$urn" --from "$next-05-31" --to "$next-06-04" --reason "half term"
    quiet as owner term closure --school "$urn" --from "$start-09-03" --reason "INSET"
done
quiet as owner staff add --login "$admin_login" --name "Demo Admin" --role admin
quiet as owner staff add --login senco_oak --name "Priya Shah" --role senco --school 100101 --email senco@oak.example
quiet as owner staff add --login senco_river --name "Tom Reid" --role senco --school 100102
quiet as owner staff add --login senco_hill --name "Ann Lowe" --role senco --school 100103
quiet as owner staff add --login ta_oak --name "Ben Cole" --role staff --school 100101
quiet as owner staff add --login governor --name "Gail Ford" --role readonly --school 100101 100102 100103

echo "demo: 300 pupils (pupil import)"
given=(Amara Ben Chloe Dev Ella Finn Grace Hari Isla Jack Kai Lena Milo Nia Owen Pia Quinn Ravi Sara Theo)
family=(Smith Khan Jones Patel Brown Taylor Ahmed Wilson Evans Nowak "O'Neill" Murphy Begum Clarke Hughes Ali)
needs=(SPLD SLCN SEMH ASD MLD SPLD SLCN)
for urn in 100101 100102 100103; do
    la_body=$((urn % 1000))
    {
        echo "upn,given_name,family_name,date_of_birth,year_group,sen_status,primary_need,secondary_need,eal,pupil_premium"
        for i in $(seq 1 100); do
            body=$(printf '201%03d%06d' "$la_body" "$i")
            upn=$(awk -v b="$body" 'BEGIN { a = "ABCDEFGHJKLMNPQRTUVWXYZ"; s = 0;
                for (k = 1; k <= 12; k++) s += substr(b, k, 1) * (k + 1); print substr(a, s % 23 + 1, 1) b }')
            yg=$(( (i % 6) + 1 ))
            born=$((start - 5 - yg))
            dob=$(printf '%d-%02d-%02d' "$born" $(( (i % 4) + 9 )) $(( (i % 27) + 1 )))
            sen=N; primary=""; secondary=""
            if (( i % 7 == 0 )); then sen=K; primary=${needs[$((i % ${#needs[@]}))]}; fi
            if (( i % 7 == 0 && i % 3 == 0 )); then secondary=SEMH; [[ $primary == SEMH ]] && secondary=SLCN; fi
            if (( i % 25 == 0 )); then sen=E; primary=ASD; secondary=SLCN; fi
            if (( i % 31 == 0 )); then sen=K; primary=""; secondary=""; fi  # assessment under way
            eal=$([[ $((i % 5)) == 0 ]] && echo yes || echo no)
            pp=$([[ $((i % 4)) == 0 ]] && echo yes || echo no)
            echo "$upn,${given[$((i % ${#given[@]}))]},${family[$((i % ${#family[@]}))]},$dob,$yg,$sen,$primary,$secondary,$eal,$pp"
        done
    } >"$work/pupils-$urn.csv"
    quiet as owner pupil import --school "$urn" "$work/pupils-$urn.csv" 2>/dev/null
done

echo "demo: cases, plans, interventions, sessions and reviews"
for urn in 100101 100102 100103; do
    case $urn in 100101) senco=senco_oak ;; 100102) senco=senco_river ;; *) senco=senco_hill ;; esac
    upns() { as "$senco" pupil list --school "$urn" --sen "$1" --json | grep -o '"upn":"[A-Z0-9]*"' | cut -d'"' -f4; }
    mapfile -t ehcp_pupils < <(upns E)
    mapfile -t support_pupils < <(upns K)
    sen_pupils=("${ehcp_pupils[@]}" "${support_pupils[@]}")
    n=0
    for upn in "${sen_pupils[@]}"; do
        n=$((n + 1))
        status=K
        if (( n <= ${#ehcp_pupils[@]} )); then status=E; fi
        if [[ $status == E ]]; then
            plan=$(as "$senco" plan create "$upn" --kind ehcp --starts "$(day "$today - 330 days")" \
                --issued "$(day "$today - 330 days")" --issuing-la "Demo County Council" --json | json_id)
            quiet as "$senco" plan outcome "$plan" --area communication-interaction \
                --text "Will use a visual timetable to move between lessons independently" --by "$next-07-01"
            quiet as "$senco" review meeting --plan "$plan" --on "$(day "$today + 20 days")"
        elif (( n % 4 != 0 )); then  # every fourth SEN support pupil has no plan yet: sen-without-plan
            starts=$(day "$today - $(( 40 + n * 9 )) days")
            # Every fifth plan is reviewed every 8 weeks, so some reviews are already overdue: a lapse to find.
            cycle=termly
            if (( n % 5 == 2 )); then cycle=8w; fi
            plan=$(as "$senco" plan create "$upn" --kind sen-support --starts "$starts" --review-every "$cycle" \
                --json | json_id)
            quiet as "$senco" plan outcome "$plan" --area cognition-learning \
                --text "Will read 20 high-frequency words accurately by the next review"
            if (( n % 3 == 0 )); then
                per_week=3
                iv=$(as "$senco" intervention add "$upn" --name "Reading catch-up" --area cognition-learning \
                    --starts "$starts" --ends "$(day "$starts + 84 days")" --per-week "$per_week" --minutes 20 \
                    --cost-per-session 6.50 --plan "$plan" --baseline "reading age 6y2m" --target "reading age 7y0m" \
                    --json | json_id)
                # Sessions on Mondays, Wednesdays and Fridays from the start to the end (or to yesterday), in one
                # command; the odd one lapses: no session for the last 3 weeks.
                last=$(( n % 2 == 0 ? 1 : 22 ))
                until=$(day "$today - $last days")
                ends=$(day "$starts + 84 days")
                if [[ $ends < $until ]]; then until=$ends; fi
                if [[ ! $until < $starts ]]; then
                    span=(intervention session "$iv" --from "$starts" --to "$until" --weekdays mon,wed,fri)
                    as ta_oak "${span[@]}" >/dev/null 2>&1 || as "$senco" "${span[@]}" >/dev/null 2>&1 || true
                fi
            fi
            if (( n % 5 == 0 )); then
                quiet as "$senco" review record --plan "$plan" --held-on "$(day "$today - 7 days")" --parent-attended \
                    --pupil-views "Likes the reading group" --parent-views "Happy with progress" --outcome continue
            fi
        fi
        if (( n % 3 == 1 )); then
            raised=$(day "$today - $(( n * 5 + 3 )) days")
            case_id=$(as "$senco" case open "$upn" --category concern --summary "Struggling with transitions" \
                --on "$raised" --json | json_id)
            quiet as "$senco" case note "$case_id" --kind observation --text "Observed in class: anxious at change of lesson" \
                --on "$(day "$today - $(( n * 5 )) days")"
            if (( n % 2 == 0 )); then
                quiet as "$senco" case note "$case_id" --kind parent-contact --confidential \
                    --text "Parent shared family circumstances (see safeguarding file)"
            fi
        fi
    done
    # A group intervention at each school.
    mapfile -t group < <(printf '%s\n' "${sen_pupils[@]}" | head -n 3)
    if (( ${#group[@]} == 3 )); then
        g=$(as "$senco" intervention add "${group[@]}" --name "Lego therapy" --area communication-interaction \
            --starts "$(day "$today - 42 days")" --ends "$(day "$today + 42 days")" --per-week 1 --minutes 45 \
            --cost-per-session 12 --json | json_id)
        weekly=()
        for w in 5 4 3 2 1; do weekly+=(--on "$(day "$today - $((w * 7)) days")"); done
        quiet as "$senco" intervention session "$g" "${weekly[@]}" --absent "${group[2]}" 2>/dev/null || true
    fi
done
echo "demo: loaded. Logins: $admin_login (admin), senco_oak, senco_river, senco_hill (SENCOs), ta_oak (staff), governor (readonly)"
