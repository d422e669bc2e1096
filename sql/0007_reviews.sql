-- inclusiond 0007: reviews of plans and interventions.

CREATE TABLE inclusion.review (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id        integer NOT NULL,
    plan_id          bigint,
    intervention_id  bigint,
    held_on          date NOT NULL,
    parent_attended  boolean NOT NULL DEFAULT false,
    pupil_views      text CHECK (length(pupil_views) BETWEEN 1 AND 10000),
    parent_views     text CHECK (length(parent_views) BETWEEN 1 AND 10000),
    outcome          text CHECK (outcome IN ('continue', 'amend', 'cease', 'escalate')),
    notes            text CHECK (length(notes) BETWEEN 1 AND 100000),
    recorded_by      name NOT NULL DEFAULT session_user,
    created_at       timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (school_id, plan_id) REFERENCES inclusion.support_plan (school_id, id) ON UPDATE CASCADE,
    FOREIGN KEY (school_id, intervention_id) REFERENCES inclusion.intervention (school_id, id) ON UPDATE CASCADE,
    CONSTRAINT review_of_one_thing CHECK (num_nonnulls(plan_id, intervention_id) = 1)
);
CREATE INDEX review_plan ON inclusion.review (plan_id, held_on) WHERE plan_id IS NOT NULL;
CREATE INDEX review_intervention ON inclusion.review (intervention_id) WHERE intervention_id IS NOT NULL;
CREATE TRIGGER review_school_fixed BEFORE UPDATE OF school_id ON inclusion.review
    FOR EACH ROW EXECUTE FUNCTION inclusion.refuse_school_change();

SELECT inclusion.protect('inclusion.review');
SELECT inclusion.grant_to(ARRAY['admin', 'senco'], 'SELECT, INSERT, UPDATE, DELETE', 'inclusion.review');
SELECT inclusion.grant_to(ARRAY['staff', 'service'], 'SELECT', 'inclusion.review');

-- Aggregates for governors (readonly) and reports: counts only, never pupil rows, limited to session_user's
-- schools unless they see every school. Readonly logins reach data only through functions like this one.
CREATE FUNCTION inclusion.school_summary()
    RETURNS TABLE (urn integer, pupils bigint, sen_support bigint, ehcp bigint, open_cases bigint,
                   active_plans bigint, active_interventions bigint)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
        SELECT s.urn,
               (SELECT count(*) FROM inclusion.pupil p WHERE p.school_id = s.id AND p.left_on IS NULL),
               (SELECT count(*) FROM inclusion.pupil p WHERE p.school_id = s.id AND p.left_on IS NULL AND p.sen_status = 'K'),
               (SELECT count(*) FROM inclusion.pupil p WHERE p.school_id = s.id AND p.left_on IS NULL AND p.sen_status = 'E'),
               (SELECT count(*) FROM inclusion.pupil_case c WHERE c.school_id = s.id AND c.state <> 'closed'),
               (SELECT count(*) FROM inclusion.support_plan sp WHERE sp.school_id = s.id AND sp.status = 'active'),
               (SELECT count(*) FROM inclusion.intervention i WHERE i.school_id = s.id AND i.ended_on IS NULL)
        FROM inclusion.school s
        WHERE inclusion.role_kind(session_user) IN ('owner', 'admin', 'readonly', 'senco')
          AND (inclusion.role_kind(session_user) IN ('owner', 'admin')
               OR s.id = ANY (inclusion.schools_of(session_user)))
        ORDER BY s.urn
    $$;
REVOKE EXECUTE ON FUNCTION inclusion.school_summary() FROM PUBLIC;
DO $$
BEGIN
    EXECUTE format('GRANT EXECUTE ON FUNCTION inclusion.school_summary() TO %I, %I, %I',
        inclusion.group_role('admin'), inclusion.group_role('senco'), inclusion.group_role('readonly'));
END
$$;
