-- scripts/synthetic-trust.sql's synthetic trust, loaded fast, for benchmarks of the review sweep at 250,000 pupils and
-- at national scale (not a test). Same psql variables and the same data, row for row and id for id:
--
--   psql "dbname=… user=postgres" -v pupils=250000 -f scripts/synthetic-fast.sql
--   psql "dbname=… user=postgres" -v pupils=9080000 -v sen_only=on -f scripts/synthetic-fast.sql
--
--   pupils      pupils of the trust (default 10000)
--   per_school  pupils per school (default 500)
--   sen_only    on: insert only the SEN pupils (19.5% of `pupils`) and what hangs off them (default off). The sweep
--               reads SEN pupils only, so it sees the same trust; ids stay those of the full trust (pupil ids sparse),
--               and a sweep raises the very same alerts (checked at 10,000 pupils).
--
-- Run as a SUPERUSER, after `inclusionctl db migrate`, on a database holding no synthetic trust yet. The rows go in
-- with session_replication_role = replica: no trigger fires and no foreign key is checked. What the triggers would
-- have written is then written set-based, so the database ends as synthetic-trust.sql (run by the owner) leaves it:
--
--   * stamp() and pupil_touch: authors (support_plan.created_by, intervention_session.logged_by,
--     pupil_case.opened_by, case_note.author) are the schema owner, as are intervention.staff_login (current_user
--     there); created_at/updated_at are now(); pupil.sen_status_since is set for SEN pupils only;
--   * school_default_transfers: each new school's school_transfer rows (year 6 by feb15, year 11 by mar31);
--   * check_calendar, through lock_school: a school_lock (school, 'calendar') row per school given a term or closure;
--   * session_summarise / delivery_apply: intervention_delivery and intervention_week, from the sessions inserted;
--   * case_note_summarise: pupil_case.last_note_on (ordinary notes), case_confidential_activity (confidential ones);
--   * audit_statement (0013): school_change, one version per school bumped once per audited statement that touched
--     the school: the school_transfer insert, one per table given rows of the school, and one per note that moved
--     its case's last_note_on (case_note_summarise updates the case, an audited statement of its own).
--
-- Not written: the audit trail (audit_event, audit_block, audit_chain_head). The sweep never reads it, but
-- `inclusionctl audit verify` will report these rows as added without the triggers: this database is for
-- benchmarks only. Ids are given explicitly, as synthetic-trust.sql gets them from the sequences with the plans
-- PostgreSQL 15 picks for it (interventions by programme number, then pupil; sessions by day, then intervention),
-- and the sequences are moved past them. The one exception: pupil_need ids follow the pupils here, where
-- synthetic-trust.sql's hash join on UPNs numbers them in an order of its own from about 10,000 pupils (nothing
-- reads them). Checked at 2,000 and 10,000 pupils: every table equal (audit trail, deployment id and role prefix
-- aside), and three sweeps leave the same alerts. Dates are fixed, so sweeps can be run as of 2026-03-10.
\set ON_ERROR_STOP on
\if :{?pupils} \else \set pupils 10000 \endif
\if :{?per_school} \else \set per_school 500 \endif
\if :{?sen_only} \else \set sen_only off \endif
SET client_min_messages = warning;
SET work_mem = '512MB';
SET maintenance_work_mem = '1GB';
SET temp_buffers = '512MB';

DO $$
BEGIN
    IF NOT (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = current_user) THEN
        RAISE EXCEPTION 'synthetic-fast.sql loads with triggers off: run it as a superuser '
            '(scripts/synthetic-trust.sql is the owner''s way)';
    END IF;
    IF to_regnamespace('inclusion') IS NULL THEN
        RAISE EXCEPTION 'no inclusion schema here: run inclusionctl db migrate first';
    END IF;
END
$$;

-- The owner (the author every stamp would have recorded) and where each sequence stands: the slow path's next id.
SELECT pg_get_userbyid(n.nspowner) AS owner FROM pg_namespace n WHERE n.nspname = 'inclusion' \gset
SELECT coalesce(pg_sequence_last_value('inclusion.school_id_seq'), 0) AS school_base,
       coalesce(pg_sequence_last_value('inclusion.school_transfer_id_seq'), 0) AS transfer_base,
       coalesce(pg_sequence_last_value('inclusion.term_id_seq'), 0) AS term_base,
       coalesce(pg_sequence_last_value('inclusion.closure_id_seq'), 0) AS closure_base,
       coalesce(pg_sequence_last_value('inclusion.pupil_id_seq'), 0) AS pupil_base,
       coalesce(pg_sequence_last_value('inclusion.pupil_need_id_seq'), 0) AS need_base,
       coalesce(pg_sequence_last_value('inclusion.support_plan_id_seq'), 0) AS plan_base,
       coalesce(pg_sequence_last_value('inclusion.intervention_id_seq'), 0) AS intervention_base,
       coalesce(pg_sequence_last_value('inclusion.intervention_pupil_id_seq'), 0) AS member_base,
       coalesce(pg_sequence_last_value('inclusion.intervention_session_id_seq'), 0) AS session_base,
       coalesce(pg_sequence_last_value('inclusion.pupil_case_id_seq'), 0) AS case_base,
       coalesce(pg_sequence_last_value('inclusion.case_note_id_seq'), 0) AS note_base,
       ceil(:pupils::numeric / :per_school)::int AS schools \gset

BEGIN;
SET LOCAL session_replication_role = replica;

INSERT INTO inclusion.school (id, urn, name, la_number) OVERRIDING SYSTEM VALUE
SELECT :school_base + s, 800000 + s, 'Synthetic school ' || s, 801 FROM generate_series(1, :schools) s;
-- school_default_transfers, per school in school order.
INSERT INTO inclusion.school_transfer (id, school_id, year_group, deadline) OVERRIDING SYSTEM VALUE
SELECT :transfer_base + 2 * (s - 1) + t.k, :school_base + s, t.year_group, t.deadline
FROM generate_series(1, :schools) s, (VALUES (1, '6', 'feb15'), (2, '11', 'mar31')) t(k, year_group, deadline)
ORDER BY 1;

INSERT INTO inclusion.term (id, school_id, name, first_day, last_day) OVERRIDING SYSTEM VALUE
SELECT :term_base + 3 * (s - 1) + t.k, :school_base + s, t.name, t.first_day, t.last_day
FROM generate_series(1, :schools) s,
    (VALUES (1, 'Autumn', date '2025-09-03', date '2025-12-19'), (2, 'Spring', date '2026-01-05', date '2026-03-27'),
            (3, 'Summer', date '2026-04-13', date '2026-07-22')) t(k, name, first_day, last_day)
ORDER BY 1;
INSERT INTO inclusion.closure (id, school_id, first_day, last_day, reason) OVERRIDING SYSTEM VALUE
SELECT :closure_base + 3 * (s - 1) + c.k, :school_base + s, c.first_day, c.last_day, 'Half term'
FROM generate_series(1, :schools) s,
    (VALUES (1, date '2025-10-27', date '2025-10-31'), (2, date '2026-02-16', date '2026-02-20'),
            (3, date '2026-05-25', date '2026-05-29')) c(k, first_day, last_day)
ORDER BY 1;
-- check_calendar's lock_school(school, 'calendar').
INSERT INTO inclusion.school_lock (school_id, purpose)
SELECT :school_base + s, 'calendar' FROM generate_series(1, :schools) s
ON CONFLICT DO NOTHING;

-- Pupils: pupil n is id base + n in school base + 1 + (n - 1) / per_school; UPN body 9 + 11 digits of n, with its
-- check letter (characters 2-13 weighted 2-13, mod 23), in arithmetic rather than synthetic-trust.sql's subquery.
INSERT INTO inclusion.pupil (id, school_id, upn, given_name, family_name, date_of_birth, year_group, academic_year,
    sen_status, sen_status_since) OVERRIDING SYSTEM VALUE
SELECT :pupil_base + n, :school_base + 1 + (n - 1) / :per_school,
       substr('ABCDEFGHJKLMNPQRTUVWXYZ', ((18 + (n / 10000000000) % 10 * 3 + (n / 1000000000) % 10 * 4
           + (n / 100000000) % 10 * 5 + (n / 10000000) % 10 * 6 + (n / 1000000) % 10 * 7 + (n / 100000) % 10 * 8
           + (n / 10000) % 10 * 9 + (n / 1000) % 10 * 10 + (n / 100) % 10 * 11 + (n / 10) % 10 * 12
           + n % 10 * 13) % 23)::int + 1, 1) || '9' || lpad(n::text, 11, '0'),
       'Given' || n, 'Family' || n, dob,
       greatest(1, least(11, 2025 - (extract(year FROM dob)::int + CASE WHEN extract(month FROM dob) >= 9 THEN 1 ELSE 0 END) - 4))::text,
       2025, sen, CASE WHEN sen <> 'N' THEN date '2025-06-01' + (n % 200)::int END
FROM generate_series(1, :pupils::bigint) n
CROSS JOIN LATERAL (SELECT CASE WHEN n % 1000 < 53 THEN 'E' WHEN n % 1000 < 195 THEN 'K' ELSE 'N' END AS sen,
                           make_date(2011 + (n % 7)::int, 1 + (n % 12)::int, 1 + (n % 28)::int) AS dob) d
WHERE NOT :'sen_only'::boolean OR n % 1000 < 195;

-- The SEN pupils, in pupil order: everything else hangs off them.
CREATE TEMP TABLE synthetic_sen AS
SELECT n, row_number() OVER (ORDER BY n) AS rank, :pupil_base + n AS pupil_id,
       :school_base + 1 + (n - 1) / :per_school AS school_id,
       CASE WHEN n % 1000 < 53 THEN 'E' ELSE 'K' END AS sen,
       (ARRAY['SPLD','MLD','SLD','PMLD','SEMH','SLCN','HI','VI','MSI','PD','ASD','OTH'])[1 + (n % 12)::int] AS need
FROM generate_series(1, :pupils::bigint) n WHERE n % 1000 < 195;
SELECT count(*) AS sen_pupils FROM synthetic_sen \gset

INSERT INTO inclusion.pupil_need (id, school_id, pupil_id, code, rank) OVERRIDING SYSTEM VALUE
SELECT :need_base + rank, school_id, pupil_id, need, 'primary' FROM synthetic_sen;

INSERT INTO inclusion.support_plan (id, school_id, pupil_id, kind, starts, review_cycle, next_review_due, issued_on,
    issuing_la, last_reviewed, created_by) OVERRIDING SYSTEM VALUE
SELECT :plan_base + rank, school_id, pupil_id, CASE sen WHEN 'E' THEN 'ehcp' ELSE 'sen-support' END,
       date '2025-04-01' + (pupil_id % 150)::int,
       CASE sen WHEN 'E' THEN '12m' ELSE 'termly' END,
       CASE sen WHEN 'E' THEN date '2026-03-31' + (pupil_id % 150)::int ELSE date '2026-02-01' + (pupil_id % 90)::int END,
       CASE sen WHEN 'E' THEN date '2025-04-01' + (pupil_id % 150)::int END,
       CASE sen WHEN 'E' THEN 'Synthshire' END, NULL, :'owner'
FROM synthetic_sen;

-- Three one-pupil interventions per SEN pupil: programme 1 of every pupil, then programme 2, then 3 (the order
-- synthetic-trust.sql's insert takes).
CREATE TEMP TABLE synthetic_intervention AS
SELECT :intervention_base + (k - 1) * :sen_pupils + s.rank AS id, s.school_id, s.pupil_id, k
FROM generate_series(1, 3) k, synthetic_sen s ORDER BY 1;
INSERT INTO inclusion.intervention (id, school_id, name, area, starts, ends, per_week, minutes, staff_login)
    OVERRIDING SYSTEM VALUE
SELECT id, school_id, 'Programme ' || pupil_id || '/' || k,
       (ARRAY['cognition-learning','communication-interaction','semh','sensory-physical'])[1 + k % 4],
       date '2026-01-05', date '2026-03-27', 3, 30, :'owner'
FROM synthetic_intervention;
INSERT INTO inclusion.intervention_pupil (id, school_id, intervention_id, pupil_id) OVERRIDING SYSTEM VALUE
SELECT :member_base + (id - :intervention_base), school_id, id, pupil_id FROM synthetic_intervention;

-- A term of sessions, three a week: day by day, each day every intervention in id order (one in twenty lapsed
-- since February). Each day's first id follows from the days before it, so each day is one INSERT.
CREATE TEMP TABLE synthetic_day AS
SELECT d, lapsing, :session_base + coalesce(sum(per_day) OVER (ORDER BY d ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS first_id
FROM (SELECT d::date AS d, d >= date '2026-02-02' AS lapsing,
             CASE WHEN d >= date '2026-02-02'
                  THEN 3 * :sen_pupils - ((:intervention_base + 3 * :sen_pupils) / 20 - :intervention_base / 20)
                  ELSE 3 * :sen_pupils END AS per_day
      FROM generate_series(date '2026-01-05', date '2026-03-06', interval '1 day') d
      WHERE extract(isodow FROM d) IN (1, 3, 5) AND NOT (d BETWEEN date '2026-02-16' AND date '2026-02-20')) days;
SELECT format($q$
    INSERT INTO inclusion.intervention_session (id, school_id, intervention_id, held_on, delivered, missed_reason,
        logged_by) OVERRIDING SYSTEM VALUE
    SELECT %s + %s, i.school_id, i.id, %L::date, (i.id + %s) %% 9 <> 0,
           CASE WHEN (i.id + %s) %% 9 = 0 THEN 'Pupil absent' END, %L
    FROM synthetic_intervention i%s$q$,
    first_id,
    CASE WHEN lapsing THEN format('(i.id - %s) - (i.id / 20 - %s / 20)', :intervention_base, :intervention_base)
         ELSE format('(i.id - %s)', :intervention_base) END,
    d, extract(doy FROM d)::int, extract(doy FROM d)::int, :'owner',
    CASE WHEN lapsing THEN ' WHERE i.id % 20 <> 0' ELSE '' END)
FROM synthetic_day ORDER BY d \gexec

INSERT INTO inclusion.pupil_case (id, school_id, pupil_id, category, summary, opened_on, opened_by)
    OVERRIDING SYSTEM VALUE
SELECT :case_base + row_number() OVER (ORDER BY rank), school_id, pupil_id, 'concern', 'Synthetic concern',
       date '2025-11-01' + (pupil_id % 60)::int, :'owner'
FROM synthetic_sen WHERE pupil_id % 10 = 0 ORDER BY rank;
INSERT INTO inclusion.case_note (id, school_id, case_id, kind, body, noted_on, author) OVERRIDING SYSTEM VALUE
SELECT :note_base + (c.id - :case_base), c.school_id, c.id, 'note', 'Synthetic note', c.opened_on + 7, :'owner'
FROM inclusion.pupil_case c WHERE c.id > :case_base ORDER BY c.id;

-- What session_summarise (delivery_apply) keeps, from the sessions just inserted (all of new interventions, which
-- have no summary rows yet): per intervention and ISO week, then per intervention.
CREATE TEMP TABLE synthetic_week AS
SELECT s.intervention_id, s.school_id, date_trunc('week', s.held_on)::date AS week_start,
       count(*) FILTER (WHERE s.delivered)::int AS delivered, count(*) FILTER (WHERE NOT s.delivered)::int AS missed,
       max(s.held_on) FILTER (WHERE s.delivered) AS last_delivered_on
FROM inclusion.intervention_session s WHERE s.id > :session_base
GROUP BY 1, 2, 3;
INSERT INTO inclusion.intervention_week (intervention_id, school_id, week_start, delivered, missed)
SELECT intervention_id, school_id, week_start, delivered, missed FROM synthetic_week ORDER BY 1, 3;
INSERT INTO inclusion.intervention_delivery (intervention_id, school_id, last_delivered_on, delivered, missed)
SELECT intervention_id, school_id, max(last_delivered_on), sum(delivered), sum(missed)
FROM synthetic_week GROUP BY 1, 2 ORDER BY 1;

-- What case_note_summarise keeps: ordinary notes move pupil_case.last_note_on; confidential ones go to
-- case_confidential_activity. Each ordinary note that moved it was an audited UPDATE of the case.
CREATE TEMP TABLE synthetic_note AS
SELECT n.id, n.school_id, n.case_id, n.noted_on, n.confidential,
       NOT n.confidential AND n.noted_on > coalesce(greatest(c.last_note_on, max(n.noted_on) FILTER (
           WHERE NOT n.confidential) OVER (PARTITION BY n.case_id ORDER BY n.id
           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)), date '-infinity') AS moved
FROM inclusion.case_note n JOIN inclusion.pupil_case c ON c.id = n.case_id
WHERE n.id > :note_base;
UPDATE inclusion.pupil_case c SET last_note_on = greatest(c.last_note_on, m.last_on)
FROM (SELECT case_id, max(noted_on) AS last_on FROM synthetic_note WHERE NOT confidential GROUP BY 1) m
WHERE c.id = m.case_id AND c.last_note_on IS DISTINCT FROM greatest(c.last_note_on, m.last_on);
INSERT INTO inclusion.case_confidential_activity AS a (case_id, school_id, last_note_on)
SELECT case_id, school_id, max(noted_on) FROM synthetic_note WHERE confidential GROUP BY 1, 2
ON CONFLICT (case_id) DO UPDATE SET last_note_on = greatest(a.last_note_on, EXCLUDED.last_note_on);

-- The change markers: the transfer insert, one bump per table given rows of the school (one statement each in
-- synthetic-trust.sql), one per note that moved its case's last_note_on.
INSERT INTO inclusion.school_change AS c (school_id, version)
SELECT s.id, 1
       + (EXISTS (SELECT 1 FROM inclusion.term t WHERE t.school_id = s.id))::int
       + (EXISTS (SELECT 1 FROM inclusion.closure t WHERE t.school_id = s.id))::int
       + (EXISTS (SELECT 1 FROM inclusion.pupil t WHERE t.school_id = s.id))::int
       + (EXISTS (SELECT 1 FROM inclusion.pupil_need t WHERE t.school_id = s.id))::int
       + (EXISTS (SELECT 1 FROM inclusion.support_plan t WHERE t.school_id = s.id))::int
       + (EXISTS (SELECT 1 FROM inclusion.intervention t WHERE t.school_id = s.id))::int
       + (EXISTS (SELECT 1 FROM inclusion.intervention_pupil t WHERE t.school_id = s.id))::int
       + (EXISTS (SELECT 1 FROM inclusion.intervention_session t WHERE t.school_id = s.id))::int
       + (EXISTS (SELECT 1 FROM inclusion.pupil_case t WHERE t.school_id = s.id))::int
       + coalesce(n.tables_and_moves, 0)
FROM inclusion.school s
LEFT JOIN (SELECT school_id, 1 + count(*) FILTER (WHERE moved) AS tables_and_moves FROM synthetic_note GROUP BY 1) n
    ON n.school_id = s.id
WHERE s.id > :school_base
ON CONFLICT (school_id) DO UPDATE SET version = EXCLUDED.version, changed_at = now();

-- The sequences, past the ids given.
SELECT setval(pg_get_serial_sequence('inclusion.' || t, 'id'), m)
FROM (VALUES ('school', (SELECT max(id) FROM inclusion.school)),
             ('school_transfer', (SELECT max(id) FROM inclusion.school_transfer)),
             ('term', (SELECT max(id) FROM inclusion.term)),
             ('closure', (SELECT max(id) FROM inclusion.closure)),
             ('pupil', (SELECT max(id) FROM inclusion.pupil)),
             ('pupil_need', (SELECT max(id) FROM inclusion.pupil_need)),
             ('support_plan', (SELECT max(id) FROM inclusion.support_plan)),
             ('intervention', (SELECT max(id) FROM inclusion.intervention)),
             ('intervention_pupil', (SELECT max(id) FROM inclusion.intervention_pupil)),
             ('intervention_session', (SELECT max(id) FROM inclusion.intervention_session)),
             ('pupil_case', (SELECT max(id) FROM inclusion.pupil_case)),
             ('case_note', (SELECT max(id) FROM inclusion.case_note))) v(t, m)
WHERE m IS NOT NULL \g /dev/null
COMMIT;

SET session_replication_role = origin;
-- The inclusion schema's tables only: a database-wide ANALYZE would also visit every other schema.
SELECT 'ANALYZE ' || string_agg(format('%I.%I', schemaname, tablename), ', ' ORDER BY tablename)
FROM pg_tables WHERE schemaname = 'inclusion' \gexec
SELECT (SELECT count(*) FROM inclusion.pupil) AS pupils, (SELECT count(*) FROM inclusion.support_plan) AS plans,
       (SELECT count(*) FROM inclusion.intervention) AS interventions,
       (SELECT count(*) FROM inclusion.intervention_session) AS sessions;
