-- inclusiond 0006: interventions (one pupil or a group), their session log and absences, and the delivery
-- summary the lapse rules read instead of scanning years of sessions.

CREATE TABLE inclusion.intervention (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id             integer NOT NULL REFERENCES inclusion.school (id),
    name                  text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    area                  text NOT NULL CHECK (area IN ('cognition-learning', 'communication-interaction', 'semh',
                              'sensory-physical')),
    starts                date NOT NULL,
    ends                  date NOT NULL,
    per_week              numeric(4, 2) NOT NULL CHECK (per_week > 0 AND per_week <= 25),
    minutes               integer NOT NULL CHECK (minutes BETWEEN 1 AND 600),
    cost_per_session      integer CHECK (cost_per_session >= 0),  -- pence; a group shares one session's cost
    plan_id               bigint,
    baseline              text CHECK (length(baseline) BETWEEN 1 AND 200),
    target                text CHECK (length(target) BETWEEN 1 AND 200),
    staff_login           name NOT NULL DEFAULT session_user,
    ended_on              date,
    created_at            timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (school_id, plan_id) REFERENCES inclusion.support_plan (school_id, id) ON UPDATE CASCADE,
    UNIQUE (school_id, id),
    CONSTRAINT intervention_ends_after_start CHECK (ends >= starts),
    CONSTRAINT intervention_ended_after_start CHECK (ended_on IS NULL OR ended_on >= starts)
);
CREATE INDEX intervention_active ON inclusion.intervention (school_id, ends) WHERE ended_on IS NULL;
CREATE INDEX intervention_plan ON inclusion.intervention (plan_id) WHERE plan_id IS NOT NULL;
CREATE TRIGGER intervention_school_fixed BEFORE UPDATE OF school_id ON inclusion.intervention
    FOR EACH ROW EXECUTE FUNCTION inclusion.refuse_school_change();

CREATE TABLE inclusion.intervention_pupil (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id        integer NOT NULL,
    intervention_id  bigint NOT NULL,
    pupil_id         bigint NOT NULL,
    exit_score       text CHECK (length(exit_score) BETWEEN 1 AND 200),
    FOREIGN KEY (school_id, intervention_id) REFERENCES inclusion.intervention (school_id, id) ON UPDATE CASCADE,
    FOREIGN KEY (school_id, pupil_id) REFERENCES inclusion.pupil (school_id, id) ON UPDATE CASCADE,
    CONSTRAINT intervention_pupil_once UNIQUE (school_id, intervention_id, pupil_id)
);
CREATE INDEX intervention_pupil_pupil ON inclusion.intervention_pupil (pupil_id);

CREATE TABLE inclusion.intervention_session (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id        integer NOT NULL,
    intervention_id  bigint NOT NULL,
    held_on          date NOT NULL,
    delivered        boolean NOT NULL,
    missed_reason    text CHECK (length(missed_reason) BETWEEN 1 AND 500),
    logged_by        name NOT NULL DEFAULT session_user,
    created_at       timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (school_id, intervention_id) REFERENCES inclusion.intervention (school_id, id) ON UPDATE CASCADE,
    UNIQUE (school_id, id),
    UNIQUE (school_id, id, intervention_id),
    CONSTRAINT session_once_a_day UNIQUE (school_id, intervention_id, held_on),
    CONSTRAINT session_missed_has_reason CHECK (delivered = (missed_reason IS NULL))
);

CREATE TABLE inclusion.session_absence (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id        integer NOT NULL,
    session_id       bigint NOT NULL,
    intervention_id  bigint NOT NULL,
    pupil_id         bigint NOT NULL,
    -- The session is one of this intervention's.
    FOREIGN KEY (school_id, session_id, intervention_id)
        REFERENCES inclusion.intervention_session (school_id, id, intervention_id) ON UPDATE CASCADE ON DELETE CASCADE,
    -- An absent pupil must be in the group.
    FOREIGN KEY (school_id, intervention_id, pupil_id)
        REFERENCES inclusion.intervention_pupil (school_id, intervention_id, pupil_id) ON UPDATE CASCADE,
    CONSTRAINT session_absence_once UNIQUE (school_id, session_id, pupil_id)
);

-- What the lapse rules need from the session log, kept per intervention and per ISO week.
CREATE TABLE inclusion.intervention_delivery (
    intervention_id    bigint PRIMARY KEY,
    school_id          integer NOT NULL,
    last_delivered_on  date,
    delivered          integer NOT NULL DEFAULT 0,
    missed             integer NOT NULL DEFAULT 0,
    FOREIGN KEY (school_id, intervention_id) REFERENCES inclusion.intervention (school_id, id)
        ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE TABLE inclusion.intervention_week (
    intervention_id  bigint NOT NULL,
    school_id        integer NOT NULL,
    week_start       date NOT NULL CHECK (extract(isodow FROM week_start) = 1),
    delivered        integer NOT NULL DEFAULT 0,
    missed           integer NOT NULL DEFAULT 0,
    PRIMARY KEY (intervention_id, week_start),
    FOREIGN KEY (school_id, intervention_id) REFERENCES inclusion.intervention (school_id, id)
        ON UPDATE CASCADE ON DELETE CASCADE
);

-- Sessions fall inside the intervention's dates.
CREATE FUNCTION inclusion.session_check_dates() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    DECLARE span record;
    BEGIN
        SELECT starts, coalesce(ended_on, ends) AS last INTO span FROM inclusion.intervention
            WHERE id = NEW.intervention_id;
        IF NEW.held_on < span.starts OR NEW.held_on > span.last THEN
            RAISE EXCEPTION 'the session date is outside intervention %''s dates (% to %)', NEW.intervention_id,
                span.starts, span.last USING ERRCODE = 'IN422', COLUMN = 'on';
        END IF;
        IF TG_OP = 'UPDATE' AND OLD.intervention_id <> NEW.intervention_id THEN
            RAISE EXCEPTION 'a session cannot move to another intervention' USING ERRCODE = 'IN409';
        END IF;
        RETURN NEW;
    END
    $$;
CREATE TRIGGER session_check_dates BEFORE INSERT OR UPDATE ON inclusion.intervention_session
    FOR EACH ROW EXECUTE FUNCTION inclusion.session_check_dates();

-- Adds (sign 1) or removes (sign -1) one session in the summaries.
CREATE FUNCTION inclusion.delivery_apply(target bigint, school integer, day date, was_delivered boolean, sign integer)
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    BEGIN
        INSERT INTO inclusion.intervention_delivery AS d (intervention_id, school_id, last_delivered_on, delivered, missed)
            VALUES (target, school, CASE WHEN was_delivered AND sign > 0 THEN day END,
                    CASE WHEN was_delivered THEN sign ELSE 0 END, CASE WHEN was_delivered THEN 0 ELSE sign END)
            ON CONFLICT (intervention_id) DO UPDATE SET
                delivered = d.delivered + EXCLUDED.delivered,
                missed = d.missed + EXCLUDED.missed,
                last_delivered_on = CASE WHEN sign > 0 THEN greatest(d.last_delivered_on, EXCLUDED.last_delivered_on)
                                         ELSE d.last_delivered_on END;
        IF sign < 0 AND was_delivered THEN
            -- Only a removed latest session changes the latest date: one index probe.
            UPDATE inclusion.intervention_delivery d SET last_delivered_on = (
                    SELECT max(s.held_on) FROM inclusion.intervention_session s
                    WHERE s.school_id = school AND s.intervention_id = target AND s.delivered)
                WHERE d.intervention_id = target AND d.last_delivered_on = day;
        END IF;
        INSERT INTO inclusion.intervention_week AS w (intervention_id, school_id, week_start, delivered, missed)
            VALUES (target, school, date_trunc('week', day)::date,
                    CASE WHEN was_delivered THEN sign ELSE 0 END, CASE WHEN was_delivered THEN 0 ELSE sign END)
            ON CONFLICT (intervention_id, week_start) DO UPDATE SET
                delivered = w.delivered + EXCLUDED.delivered, missed = w.missed + EXCLUDED.missed;
    END
    $$;

-- Keeps the summaries in step with the session log. Runs as the owner: staff, who log sessions, cannot write
-- interventions or their summaries.
CREATE FUNCTION inclusion.session_summarise() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            PERFORM inclusion.delivery_apply(OLD.intervention_id, OLD.school_id, OLD.held_on, OLD.delivered, -1);
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
            PERFORM inclusion.delivery_apply(NEW.intervention_id, NEW.school_id, NEW.held_on, NEW.delivered, 1);
        END IF;
        RETURN NULL;
    END
    $$;
CREATE TRIGGER session_summarise AFTER INSERT OR UPDATE OR DELETE ON inclusion.intervention_session
    FOR EACH ROW EXECUTE FUNCTION inclusion.session_summarise();
CREATE TRIGGER session_school_fixed BEFORE UPDATE OF school_id ON inclusion.intervention_session
    FOR EACH ROW EXECUTE FUNCTION inclusion.refuse_school_change();
REVOKE EXECUTE ON FUNCTION inclusion.delivery_apply(bigint, integer, date, boolean, integer) FROM PUBLIC;

SELECT inclusion.protect('inclusion.intervention');
SELECT inclusion.protect('inclusion.intervention_pupil');
SELECT inclusion.protect('inclusion.intervention_session');
SELECT inclusion.protect('inclusion.session_absence');
-- The summaries are derived from audited session rows: scoped like them, written only by the trigger.
ALTER TABLE inclusion.intervention_delivery ENABLE ROW LEVEL SECURITY;
ALTER TABLE inclusion.intervention_delivery FORCE ROW LEVEL SECURITY;
CREATE POLICY school_scope ON inclusion.intervention_delivery
    USING ((SELECT inclusion.sees_all_schools(current_user)) OR school_id = ANY ((SELECT inclusion.schools_of(current_user))::integer[]));
ALTER TABLE inclusion.intervention_week ENABLE ROW LEVEL SECURITY;
ALTER TABLE inclusion.intervention_week FORCE ROW LEVEL SECURITY;
CREATE POLICY school_scope ON inclusion.intervention_week
    USING ((SELECT inclusion.sees_all_schools(current_user)) OR school_id = ANY ((SELECT inclusion.schools_of(current_user))::integer[]));

SELECT inclusion.grant_to(ARRAY['admin', 'senco'], 'SELECT, INSERT, UPDATE, DELETE', 'inclusion.intervention');
SELECT inclusion.grant_to(ARRAY['admin', 'senco'], 'SELECT, INSERT, UPDATE, DELETE', 'inclusion.intervention_pupil');
SELECT inclusion.grant_to(ARRAY['admin', 'senco'], 'SELECT, INSERT, UPDATE, DELETE', 'inclusion.intervention_session');
SELECT inclusion.grant_to(ARRAY['admin', 'senco'], 'SELECT, INSERT, UPDATE, DELETE', 'inclusion.session_absence');
SELECT inclusion.grant_to(ARRAY['staff'], 'SELECT, INSERT', 'inclusion.intervention_session');
SELECT inclusion.grant_to(ARRAY['staff'], 'SELECT, INSERT', 'inclusion.session_absence');
SELECT inclusion.grant_to(ARRAY['staff', 'service'], 'SELECT', 'inclusion.intervention');
SELECT inclusion.grant_to(ARRAY['staff', 'service'], 'SELECT', 'inclusion.intervention_pupil');
SELECT inclusion.grant_to(ARRAY['service'], 'SELECT', 'inclusion.intervention_session');
SELECT inclusion.grant_to(ARRAY['service'], 'SELECT', 'inclusion.session_absence');
SELECT inclusion.grant_to(ARRAY['admin', 'senco', 'staff', 'service'], 'SELECT', 'inclusion.intervention_delivery');
SELECT inclusion.grant_to(ARRAY['admin', 'senco', 'staff', 'service'], 'SELECT', 'inclusion.intervention_week');
