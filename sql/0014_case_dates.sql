-- inclusiond 0014: a case's chronology starts when the case opened (issue 7).
--
-- `case open --on DATE` records a concern raised before the day it was logged, and a note dated before its case
-- opened is refused (exit 65, field `on`), so a case's opening is never later than what is written in it. Cases
-- already holding earlier notes open on their earliest note's day (recorded in the audit chain as any update).

UPDATE inclusion.pupil_case c SET opened_on = n.first_note
FROM (SELECT case_id, min(noted_on) AS first_note FROM inclusion.case_note GROUP BY case_id) n
WHERE n.case_id = c.id AND n.first_note < c.opened_on;

-- Runs as the caller, who can read the case (a note's author may read the cases of their schools); a case the
-- caller cannot see is left to the foreign key, which says nothing about it.
CREATE OR REPLACE FUNCTION inclusion.case_note_check() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    DECLARE
        parent record;
    BEGIN
        SELECT c.state, c.opened_on INTO parent FROM inclusion.pupil_case c
        WHERE c.school_id = NEW.school_id AND c.id = NEW.case_id;
        IF parent.state = 'closed' THEN
            RAISE EXCEPTION 'case % is closed; notes go on open cases', NEW.case_id USING ERRCODE = 'IN409',
                COLUMN = 'case';
        END IF;
        IF NEW.noted_on < parent.opened_on THEN
            RAISE EXCEPTION 'the note is dated % but case % opened on %: date it on or after the opening, or open '
                'the case earlier', NEW.noted_on, NEW.case_id, parent.opened_on USING ERRCODE = 'IN422', COLUMN = 'on';
        END IF;
        RETURN NEW;
    END
    $$;
