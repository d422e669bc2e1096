-- inclusiond 0004: cases (a concern or referral about a pupil) and their chronology of notes.

CREATE TABLE inclusion.pupil_case (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id     integer NOT NULL,
    pupil_id      bigint NOT NULL,
    category      text NOT NULL CHECK (category IN ('concern', 'referral', 'parent-request', 'agency')),
    summary       text NOT NULL CHECK (length(summary) BETWEEN 1 AND 2000),
    state         text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'assessing', 'monitoring', 'closed')),
    opened_on     date NOT NULL DEFAULT current_date,
    opened_by     name NOT NULL DEFAULT session_user,
    closed_on     date,
    outcome       text CHECK (length(outcome) BETWEEN 1 AND 2000),
    -- Summary kept by the note trigger so the case-stale rule never scans notes.
    last_note_on  date,
    FOREIGN KEY (school_id, pupil_id) REFERENCES inclusion.pupil (school_id, id) ON UPDATE CASCADE,
    UNIQUE (school_id, id),
    CONSTRAINT case_closed_has_outcome CHECK ((state = 'closed') = (closed_on IS NOT NULL AND outcome IS NOT NULL))
);
CREATE INDEX pupil_case_open ON inclusion.pupil_case (school_id) WHERE state <> 'closed';
CREATE INDEX pupil_case_pupil ON inclusion.pupil_case (pupil_id);

-- A case moves open → assessing ⇄ monitoring → closed; closed is final.
CREATE FUNCTION inclusion.check_case_state() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    BEGIN
        IF OLD.state = 'closed' AND (NEW.state <> 'closed' OR NEW.outcome IS DISTINCT FROM OLD.outcome) THEN
            RAISE EXCEPTION 'case % is closed; open a new case instead', OLD.id USING ERRCODE = 'IN409',
                COLUMN = 'state';
        END IF;
        IF NEW.state = 'open' AND OLD.state <> 'open' THEN
            RAISE EXCEPTION 'case % cannot move back to open', OLD.id USING ERRCODE = 'IN409', COLUMN = 'state';
        END IF;
        RETURN NEW;
    END
    $$;
CREATE TRIGGER pupil_case_state BEFORE UPDATE OF state, outcome ON inclusion.pupil_case
    FOR EACH ROW EXECUTE FUNCTION inclusion.check_case_state();
CREATE TRIGGER pupil_case_school_fixed BEFORE UPDATE OF school_id ON inclusion.pupil_case
    FOR EACH ROW EXECUTE FUNCTION inclusion.refuse_school_change();

CREATE TABLE inclusion.case_note (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id     integer NOT NULL,
    case_id       bigint NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('note', 'meeting', 'parent-contact', 'agency-contact', 'observation')),
    body          text NOT NULL CHECK (length(body) BETWEEN 1 AND 100000),
    noted_on      date NOT NULL DEFAULT current_date,
    confidential  boolean NOT NULL DEFAULT false,
    author        name NOT NULL DEFAULT session_user,
    created_at    timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (school_id, case_id) REFERENCES inclusion.pupil_case (school_id, id) ON UPDATE CASCADE
);
CREATE INDEX case_note_case ON inclusion.case_note (case_id);

-- Notes go on open cases only, and keep the case's last_note_on summary. Runs as the owner because staff, who
-- add notes, cannot update cases.
CREATE FUNCTION inclusion.case_note_added() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    BEGIN
        IF (SELECT state FROM inclusion.pupil_case WHERE id = NEW.case_id) = 'closed' THEN
            RAISE EXCEPTION 'case % is closed; notes go on open cases', NEW.case_id USING ERRCODE = 'IN409',
                COLUMN = 'case';
        END IF;
        UPDATE inclusion.pupil_case SET last_note_on = greatest(last_note_on, NEW.noted_on)
            WHERE id = NEW.case_id AND last_note_on IS DISTINCT FROM greatest(last_note_on, NEW.noted_on);
        RETURN NEW;
    END
    $$;
CREATE TRIGGER case_note_added BEFORE INSERT ON inclusion.case_note
    FOR EACH ROW EXECUTE FUNCTION inclusion.case_note_added();

SELECT inclusion.protect('inclusion.pupil_case');
SELECT inclusion.protect('inclusion.case_note');
-- Staff read their schools' notes except those marked confidential.
CREATE POLICY hide_confidential ON inclusion.case_note AS RESTRICTIVE FOR SELECT
    USING (NOT confidential OR NOT (SELECT inclusion.is_staff_only(current_user)));

SELECT inclusion.grant_to(ARRAY['admin', 'senco'], 'SELECT, INSERT, UPDATE, DELETE', 'inclusion.pupil_case');
SELECT inclusion.grant_to(ARRAY['staff', 'service'], 'SELECT', 'inclusion.pupil_case');
-- Notes are never overwritten: nobody may UPDATE or DELETE them (a correction is a new note).
SELECT inclusion.grant_to(ARRAY['admin', 'senco', 'staff'], 'SELECT, INSERT', 'inclusion.case_note');
SELECT inclusion.grant_to(ARRAY['service'], 'SELECT', 'inclusion.case_note');
