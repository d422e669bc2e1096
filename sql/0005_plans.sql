-- inclusiond 0005: support plans (SEN support and EHC plans), their outcomes and EHCP review milestones.

CREATE TABLE inclusion.support_plan (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id            integer NOT NULL,
    pupil_id             bigint NOT NULL,
    kind                 text NOT NULL CHECK (kind IN ('sen-support', 'ehcp')),
    status               text NOT NULL DEFAULT 'active' CHECK (status IN ('draft', 'active', 'closed')),
    starts               date NOT NULL,
    review_cycle         text NOT NULL CHECK (review_cycle ~ '^(termly|([1-9]|1[0-9]|2[0-4])m|([1-9]|[1-4][0-9]|5[0-2])w)$'),
    last_reviewed        date,
    next_review_due      date,
    closed_on            date,
    close_reason         text CHECK (length(close_reason) BETWEEN 1 AND 2000),
    -- EHC plans only.
    issuing_la           text CHECK (length(issuing_la) BETWEEN 1 AND 200),
    issued_on            date,
    review_meeting_on    date,
    invitations_sent_on  date,
    report_sent_on       date,
    created_at           timestamptz NOT NULL DEFAULT now(),
    created_by           name NOT NULL DEFAULT session_user,
    FOREIGN KEY (school_id, pupil_id) REFERENCES inclusion.pupil (school_id, id) ON UPDATE CASCADE,
    UNIQUE (school_id, id),
    CONSTRAINT plan_ehcp_fields CHECK (kind = 'ehcp' OR (issuing_la IS NULL AND issued_on IS NULL
        AND review_meeting_on IS NULL AND invitations_sent_on IS NULL AND report_sent_on IS NULL)),
    CONSTRAINT plan_closed_has_reason CHECK ((status = 'closed') = (closed_on IS NOT NULL AND close_reason IS NOT NULL)),
    CONSTRAINT plan_active_has_due_date CHECK (status <> 'active' OR next_review_due IS NOT NULL),
    CONSTRAINT plan_reviewed_after_start CHECK (last_reviewed IS NULL OR last_reviewed >= starts),
    CONSTRAINT plan_due_after_start CHECK (next_review_due IS NULL OR next_review_due > starts),
    CONSTRAINT plan_closed_after_start CHECK (closed_on IS NULL OR closed_on >= starts)
);
-- One active plan of a kind per pupil.
CREATE UNIQUE INDEX support_plan_one_active ON inclusion.support_plan (school_id, pupil_id, kind) WHERE status = 'active';
CREATE INDEX support_plan_due ON inclusion.support_plan (school_id, next_review_due) WHERE status = 'active';

CREATE FUNCTION inclusion.check_plan_status() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    BEGIN
        IF OLD.status = 'closed' AND NEW.status <> 'closed' THEN
            RAISE EXCEPTION 'plan % is closed; create a new plan instead', OLD.id USING ERRCODE = 'IN409',
                COLUMN = 'status';
        END IF;
        IF OLD.status = 'active' AND NEW.status = 'draft' THEN
            RAISE EXCEPTION 'plan % is active and cannot return to draft', OLD.id USING ERRCODE = 'IN409',
                COLUMN = 'status';
        END IF;
        RETURN NEW;
    END
    $$;
CREATE TRIGGER support_plan_status BEFORE UPDATE OF status ON inclusion.support_plan
    FOR EACH ROW EXECUTE FUNCTION inclusion.check_plan_status();
CREATE TRIGGER support_plan_school_fixed BEFORE UPDATE OF school_id ON inclusion.support_plan
    FOR EACH ROW EXECUTE FUNCTION inclusion.refuse_school_change();

CREATE TABLE inclusion.plan_outcome (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id  integer NOT NULL,
    plan_id    bigint NOT NULL,
    area       text NOT NULL CHECK (area IN ('cognition-learning', 'communication-interaction', 'semh',
                   'sensory-physical')),
    body       text NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
    target_on  date,
    created_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (school_id, plan_id) REFERENCES inclusion.support_plan (school_id, id) ON UPDATE CASCADE
);
CREATE INDEX plan_outcome_plan ON inclusion.plan_outcome (plan_id);

SELECT inclusion.protect('inclusion.support_plan');
SELECT inclusion.protect('inclusion.plan_outcome');
SELECT inclusion.grant_to(ARRAY['admin', 'senco'], 'SELECT, INSERT, UPDATE, DELETE', 'inclusion.support_plan');
SELECT inclusion.grant_to(ARRAY['admin', 'senco'], 'SELECT, INSERT, UPDATE, DELETE', 'inclusion.plan_outcome');
SELECT inclusion.grant_to(ARRAY['staff', 'service'], 'SELECT', 'inclusion.support_plan');
SELECT inclusion.grant_to(ARRAY['staff', 'service'], 'SELECT', 'inclusion.plan_outcome');
