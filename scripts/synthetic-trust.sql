-- A synthetic trust for benchmarks (not a test): run as the database owner after `db migrate`, with psql variables
-- pupils (default 10000) and per_school (default 500):
--
--   psql "dbname=… user=OWNER" -v pupils=10000 -f scripts/synthetic-trust.sql
--
-- The 2024/25 national mix: 14.2% of pupils on SEN support (K), 5.3% with EHC plans (E), need types spread over
-- the census codes; every SEN pupil has an active plan and about three one-pupil interventions with a term of
-- sessions (three a week, some missed, a few lapsed); one SEN pupil in ten has an open case with a note; each school
-- has the 2025/26 terms with a half-term closure in each. Dates are fixed, so sweeps can be run as of 2026-03-10.
\set ON_ERROR_STOP on
\if :{?pupils} \else \set pupils 10000 \endif
\if :{?per_school} \else \set per_school 500 \endif
SET client_min_messages = warning;

INSERT INTO inclusion.school (urn, name, la_number)
SELECT 800000 + s, 'Synthetic school ' || s, 801 FROM generate_series(1, ceil(:pupils::numeric / :per_school)::int) s;

INSERT INTO inclusion.term (school_id, name, first_day, last_day)
SELECT s.id, t.name, t.first_day, t.last_day FROM inclusion.school s,
    (VALUES ('Autumn', date '2025-09-03', date '2025-12-19'), ('Spring', date '2026-01-05', date '2026-03-27'),
            ('Summer', date '2026-04-13', date '2026-07-22')) t(name, first_day, last_day)
WHERE s.urn > 800000;
INSERT INTO inclusion.closure (school_id, first_day, last_day, reason)
SELECT s.id, c.first_day, c.last_day, 'Half term' FROM inclusion.school s,
    (VALUES (date '2025-10-27', date '2025-10-31'), (date '2026-02-16', date '2026-02-20'),
            (date '2026-05-25', date '2026-05-29')) c(first_day, last_day)
WHERE s.urn > 800000;

-- Pupils: body 9 + 11 digits of the serial, with its check letter.
CREATE TEMP TABLE synthetic AS
SELECT n, s.id AS school_id, body,
       substr('ABCDEFGHJKLMNPQRTUVWXYZ', ((SELECT sum(substr(body, i - 1, 1)::int * i) FROM generate_series(2, 13) i)
           % 23)::int + 1, 1) || body AS upn,
       CASE WHEN n % 1000 < 53 THEN 'E' WHEN n % 1000 < 195 THEN 'K' ELSE 'N' END AS sen,
       (ARRAY['SPLD','MLD','SLD','PMLD','SEMH','SLCN','HI','VI','MSI','PD','ASD','OTH'])[1 + n % 12] AS need,
       make_date(2011 + n % 7, 1 + n % 12, 1 + n % 28) AS dob
FROM generate_series(1, :pupils) n
CROSS JOIN LATERAL (SELECT '9' || lpad(n::text, 11, '0') AS body) b
JOIN inclusion.school s ON s.urn = 800001 + (n - 1) / :per_school;

INSERT INTO inclusion.pupil (school_id, upn, given_name, family_name, date_of_birth, year_group, academic_year,
    sen_status, sen_status_since)
SELECT school_id, upn, 'Given' || n, 'Family' || n, dob,
       greatest(1, least(11, 2025 - (extract(year FROM dob)::int + CASE WHEN extract(month FROM dob) >= 9 THEN 1 ELSE 0 END) - 4))::text,
       2025, sen, CASE WHEN sen <> 'N' THEN date '2025-06-01' + (n % 200) END
FROM synthetic;
INSERT INTO inclusion.pupil_need (school_id, pupil_id, code, rank)
SELECT p.school_id, p.id, s.need, 'primary' FROM synthetic s JOIN inclusion.pupil p ON p.upn = s.upn
WHERE s.sen <> 'N';

INSERT INTO inclusion.support_plan (school_id, pupil_id, kind, starts, review_cycle, next_review_due, issued_on,
    issuing_la, last_reviewed)
SELECT p.school_id, p.id, CASE p.sen_status WHEN 'E' THEN 'ehcp' ELSE 'sen-support' END,
       date '2025-04-01' + (p.id % 150)::int,
       CASE p.sen_status WHEN 'E' THEN '12m' ELSE 'termly' END,
       CASE p.sen_status WHEN 'E' THEN date '2026-03-31' + (p.id % 150)::int ELSE date '2026-02-01' + (p.id % 90)::int END,
       CASE p.sen_status WHEN 'E' THEN date '2025-04-01' + (p.id % 150)::int END,
       CASE p.sen_status WHEN 'E' THEN 'Synthshire' END, NULL
FROM inclusion.pupil p WHERE p.sen_status <> 'N' AND p.school_id IN (SELECT id FROM inclusion.school WHERE urn > 800000);

-- About three one-pupil interventions per SEN pupil, each with a term of sessions (three a week).
CREATE TEMP TABLE synthetic_intervention AS
SELECT p.school_id, p.id AS pupil_id, k FROM inclusion.pupil p, generate_series(1, 3) k
WHERE p.sen_status <> 'N' AND p.school_id IN (SELECT id FROM inclusion.school WHERE urn > 800000);
INSERT INTO inclusion.intervention (school_id, name, area, starts, ends, per_week, minutes, staff_login)
SELECT school_id, 'Programme ' || pupil_id || '/' || k,
       (ARRAY['cognition-learning','communication-interaction','semh','sensory-physical'])[1 + k % 4],
       date '2026-01-05', date '2026-03-27', 3, 30, current_user
FROM synthetic_intervention;
INSERT INTO inclusion.intervention_pupil (school_id, intervention_id, pupil_id)
SELECT i.school_id, i.id, (regexp_match(i.name, 'Programme (\d+)/'))[1]::bigint
FROM inclusion.intervention i WHERE i.name LIKE 'Programme %';
INSERT INTO inclusion.intervention_session (school_id, intervention_id, held_on, delivered, missed_reason)
SELECT i.school_id, i.id, d::date, (i.id + extract(doy FROM d)::int) % 9 <> 0,
       CASE WHEN (i.id + extract(doy FROM d)::int) % 9 = 0 THEN 'Pupil absent' END
FROM inclusion.intervention i, generate_series(date '2026-01-05', date '2026-03-06', interval '1 day') d
WHERE i.name LIKE 'Programme %' AND extract(isodow FROM d) IN (1, 3, 5)
  AND NOT (d BETWEEN date '2026-02-16' AND date '2026-02-20')
  AND (i.id % 20 <> 0 OR d < date '2026-02-02');   -- one in twenty lapsed since February

INSERT INTO inclusion.pupil_case (school_id, pupil_id, category, summary, opened_on)
SELECT p.school_id, p.id, 'concern', 'Synthetic concern', date '2025-11-01' + (p.id % 60)::int
FROM inclusion.pupil p WHERE p.sen_status <> 'N' AND p.id % 10 = 0
  AND p.school_id IN (SELECT id FROM inclusion.school WHERE urn > 800000);
INSERT INTO inclusion.case_note (school_id, case_id, kind, body, noted_on)
SELECT c.school_id, c.id, 'note', 'Synthetic note', c.opened_on + 7 FROM inclusion.pupil_case c
WHERE c.summary = 'Synthetic concern';

ANALYZE;
SELECT (SELECT count(*) FROM inclusion.pupil) AS pupils, (SELECT count(*) FROM inclusion.support_plan) AS plans,
       (SELECT count(*) FROM inclusion.intervention) AS interventions,
       (SELECT count(*) FROM inclusion.intervention_session) AS sessions;
