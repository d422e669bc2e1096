-- inclusiond 0011: alerts and their history, the LA's part of an EHCP review, and which year groups of each school
-- transfer phase (issue 8).
--
-- Alerts are derived from the records by the review sweep (the service); people acknowledge, snooze or resolve them
-- through SECURITY DEFINER functions that record who, when and why in alert_transition. Alert writes are not in
-- the audit chain: an alert holds ids and dates only (no pupil data to account for), its own history table records
-- every change with its actor, and the chain's lock serialises writers, so a sweep of every school would otherwise
-- queue behind each import and each pupil show.

-- The local authority's part of an EHCP annual review (regs 20(10), 22).
ALTER TABLE inclusion.support_plan
    ADD COLUMN la_decision text CHECK (la_decision IN ('keep', 'amend', 'cease')),
    ADD COLUMN la_decision_on date,
    ADD COLUMN amendments_proposed_on date,
    ADD COLUMN amended_issued_on date,
    ADD CONSTRAINT plan_la_fields_ehcp CHECK (kind = 'ehcp' OR (la_decision IS NULL AND la_decision_on IS NULL
        AND amendments_proposed_on IS NULL AND amended_issued_on IS NULL)),
    ADD CONSTRAINT plan_la_decision_dated CHECK ((la_decision IS NULL) = (la_decision_on IS NULL)),
    ADD CONSTRAINT sane_date__on__la_decision_on CHECK (la_decision_on BETWEEN '1900-01-01' AND '2199-12-31'),
    ADD CONSTRAINT sane_date__on__amendments_proposed_on
        CHECK (amendments_proposed_on BETWEEN '1900-01-01' AND '2199-12-31'),
    ADD CONSTRAINT sane_date__on__amended_issued_on CHECK (amended_issued_on BETWEEN '1900-01-01' AND '2199-12-31');

-- Which year groups of a school transfer phase at the end of the year, and by which deadline (reg 18(1)): the one
-- source of truth for the phase-transfer rule. A year group not listed does not transfer (staying on in the
-- school's own sixth form is no transfer).
CREATE TABLE inclusion.school_transfer (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id   integer NOT NULL REFERENCES inclusion.school (id),
    year_group  text NOT NULL CHECK (year_group IN ('N1', 'N2', 'R', '1', '2', '3', '4', '5', '6', '7', '8', '9',
                    '10', '11', '12', '13', '14')),
    deadline    text NOT NULL CHECK (deadline IN ('feb15', 'mar31')),
    CONSTRAINT school_transfer_once UNIQUE (school_id, year_group)
);
SELECT inclusion.protect('inclusion.school_transfer');
SELECT inclusion.grant_to(ARRAY['admin', 'senco'], 'SELECT, INSERT, UPDATE, DELETE', 'inclusion.school_transfer');
SELECT inclusion.grant_to(ARRAY['staff', 'service'], 'SELECT', 'inclusion.school_transfer');

-- The old per-school list of final years becomes transfer rows: year 6 by 15 February, year 11 (a school with no
-- sixth form) by 31 March, any other listed year by 15 February.
INSERT INTO inclusion.school_transfer (school_id, year_group, deadline)
    SELECT s.id, y, CASE WHEN y IN ('11', '12', '13', '14') THEN 'mar31' ELSE 'feb15' END
    FROM inclusion.school s, unnest(s.final_years) y;
ALTER TABLE inclusion.school DROP COLUMN final_years;

-- A new school transfers year 6 (15 February) and year 11 (31 March) until told otherwise (`school set
-- --transfer`), as the old default did.
CREATE FUNCTION inclusion.school_default_transfers() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    BEGIN
        PERFORM inclusion.trigger_guard(TG_TABLE_SCHEMA, TG_TABLE_NAME, ARRAY['school']);
        INSERT INTO inclusion.school_transfer (school_id, year_group, deadline)
            VALUES (NEW.id, '6', 'feb15'), (NEW.id, '11', 'mar31');
        RETURN NULL;
    END
    $$;
CREATE TRIGGER school_default_transfers AFTER INSERT ON inclusion.school
    FOR EACH ROW EXECUTE FUNCTION inclusion.school_default_transfers();

CREATE TABLE inclusion.alert (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id       integer NOT NULL REFERENCES inclusion.school (id),
    pupil_id        bigint,
    rule            text NOT NULL CHECK (rule IN ('plan-review-due', 'plan-review-overdue', 'ehcp-annual-review-due',
                        'ehcp-annual-review-overdue', 'ehcp-early-years-review-due', 'ehcp-review-meeting-unarranged',
                        'ehcp-review-invitations-late', 'ehcp-review-report-late', 'ehcp-review-decision-late',
                        'ehcp-amendment-late', 'phase-transfer-deadline', 'intervention-ended-unreviewed',
                        'intervention-delivery-lapsed', 'intervention-low-delivery', 'sen-without-plan',
                        'plan-without-provision', 'case-stale', 'term-dates-missing')),
    subject_type    text NOT NULL CHECK (subject_type IN ('plan', 'intervention', 'pupil', 'case', 'school')),
    subject_id      bigint NOT NULL,
    -- The stable event date of the lapse (DESIGN §4), never the day it was found.
    due_on          date NOT NULL,
    severity        text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    state           text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'acknowledged', 'snoozed', 'resolved')),
    snoozed_until   date,
    raised_at       timestamptz NOT NULL DEFAULT now(),
    -- The as-of days of the sweeps that raised and last escalated it: escalation counts from these.
    raised_on       date NOT NULL,
    escalated_on    date,
    escalated_at    timestamptz,
    resolved_at     timestamptz,
    resolved_reason text CHECK (length(resolved_reason) BETWEEN 1 AND 500),
    UNIQUE (school_id, id),
    CONSTRAINT alert_snooze_dated CHECK ((state = 'snoozed') = (snoozed_until IS NOT NULL)),
    CONSTRAINT alert_resolved_dated CHECK ((state = 'resolved') = (resolved_at IS NOT NULL AND resolved_reason IS NOT NULL))
);
-- One alert per lapse: a sweep that finds the same lapse again finds this row.
CREATE UNIQUE INDEX alert_one_per_lapse ON inclusion.alert (rule, subject_type, subject_id, due_on)
    WHERE state <> 'resolved';
CREATE INDEX alert_school_unresolved ON inclusion.alert (school_id) WHERE state <> 'resolved';

-- Every change of an alert: who, when, why.
CREATE TABLE inclusion.alert_transition (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id   integer NOT NULL,
    alert_id    bigint NOT NULL,
    at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor       name NOT NULL DEFAULT session_user,
    action      text NOT NULL CHECK (action IN ('raised', 'acknowledged', 'snoozed', 'woke', 'escalated',
                    'resolved')),
    severity    text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    reason      text CHECK (length(reason) BETWEEN 1 AND 500),
    FOREIGN KEY (school_id, alert_id) REFERENCES inclusion.alert (school_id, id)
);
CREATE INDEX alert_transition_alert ON inclusion.alert_transition (alert_id);

-- Row security as for every table of school rows; alerts are derived data, so not audited in the chain (above).
DO $$
DECLARE
    target text;
BEGIN
    FOREACH target IN ARRAY ARRAY['inclusion.alert', 'inclusion.alert_transition'] LOOP
        EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
        EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', target);
        EXECUTE format($p$CREATE POLICY school_scope ON %s
            USING ((SELECT inclusion.sees_all_schools(current_user))
                   OR school_id = ANY ((SELECT inclusion.schools_of(current_user))::integer[]))
            WITH CHECK ((SELECT inclusion.sees_all_schools(current_user))
                   OR school_id = ANY ((SELECT inclusion.schools_of(current_user))::integer[]))$p$, target);
    END LOOP;
END
$$;
-- The sweep (the service) raises, escalates and resolves; people act through the functions below. Staff read
-- their schools' alerts (ids, rules and dates: no needs, no notes); governors get counts only.
SELECT inclusion.grant_to(ARRAY['service'], 'SELECT, INSERT, UPDATE', 'inclusion.alert');
SELECT inclusion.grant_to(ARRAY['service'], 'SELECT, INSERT', 'inclusion.alert_transition');
SELECT inclusion.grant_to(ARRAY['admin', 'senco', 'staff'], 'SELECT', 'inclusion.alert');
SELECT inclusion.grant_to(ARRAY['admin', 'senco', 'staff'], 'SELECT', 'inclusion.alert_transition');

-- A person's action on one alert: acknowledge, snooze until a day, or resolve with a reason. Admins, and SENCOs of
-- the alert's school; an alert the caller cannot see is "not found", whatever the reason.
CREATE FUNCTION inclusion.alert_act(alert_ref bigint, action text, until date, reason text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    DECLARE
        target inclusion.alert;
    BEGIN
        SELECT * INTO target FROM inclusion.alert a WHERE a.id = alert_ref FOR UPDATE;
        IF NOT FOUND OR NOT coalesce(inclusion.caller_has_school(target.school_id), false)
                OR coalesce(inclusion.role_kind(session_user) NOT IN ('owner', 'admin', 'senco'), true) THEN
            RAISE EXCEPTION 'no alert % is visible to your login', alert_ref USING ERRCODE = 'IN404', COLUMN = 'alert';
        END IF;
        IF target.state = 'resolved' THEN
            RAISE EXCEPTION 'alert % is already resolved', alert_ref USING ERRCODE = 'IN409', COLUMN = 'alert';
        END IF;
        IF action = 'acknowledged' THEN
            UPDATE inclusion.alert SET state = 'acknowledged', snoozed_until = NULL WHERE id = alert_ref;
        ELSIF action = 'snoozed' THEN
            IF until IS NULL OR until <= current_date OR until > current_date + 366 THEN
                RAISE EXCEPTION 'snooze until a day after today and within a year' USING ERRCODE = 'IN422',
                    COLUMN = 'until';
            END IF;
            UPDATE inclusion.alert SET state = 'snoozed', snoozed_until = until WHERE id = alert_ref;
        ELSIF action = 'resolved' THEN
            IF reason IS NULL OR length(btrim(reason)) = 0 THEN
                RAISE EXCEPTION 'say why the alert is resolved' USING ERRCODE = 'IN422', COLUMN = 'reason';
            END IF;
            UPDATE inclusion.alert SET state = 'resolved', snoozed_until = NULL, resolved_at = now(),
                resolved_reason = left(reason, 500) WHERE id = alert_ref;
        ELSE
            RAISE EXCEPTION 'an action is acknowledged, snoozed or resolved' USING ERRCODE = 'IN422',
                COLUMN = 'action';
        END IF;
        INSERT INTO inclusion.alert_transition (school_id, alert_id, action, severity, reason)
            VALUES (target.school_id, alert_ref, action, target.severity, nullif(left(reason, 500), ''));
    END
    $$;

-- Open alerts by severity, for `status` and governors: counts only.
CREATE FUNCTION inclusion.open_alert_counts()
    RETURNS TABLE (info bigint, warning bigint, critical bigint)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
        SELECT count(*) FILTER (WHERE a.severity = 'info'), count(*) FILTER (WHERE a.severity = 'warning'),
               count(*) FILTER (WHERE a.severity = 'critical')
        FROM inclusion.alert a
        WHERE a.state <> 'resolved' AND inclusion.role_kind(session_user) IS NOT NULL
          AND coalesce(inclusion.caller_has_school(a.school_id), false)
    $$;

-- The review milestones that happened are not in the future (a meeting may be arranged ahead).
DROP TRIGGER stamp ON inclusion.support_plan;
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON inclusion.support_plan
    FOR EACH ROW EXECUTE FUNCTION inclusion.stamp('author=created_by', 'created=created_at', 'past=issued_on:issued',
        'past=last_reviewed:last-reviewed', 'past=closed_on:reason', 'past=invitations_sent_on:on',
        'past=report_sent_on:on', 'past=la_decision_on:on', 'past=amendments_proposed_on:on',
        'past=amended_issued_on:on');

INSERT INTO inclusion.function_grant (function, kinds, why) VALUES
    ('inclusion.alert_act(bigint,text,date,text)', ARRAY['admin', 'senco'], 'alert ack, snooze, resolve'),
    ('inclusion.open_alert_counts()', ARRAY['admin', 'senco', 'staff', 'readonly', 'service'], 'status');
SELECT inclusion.apply_function_grants();
