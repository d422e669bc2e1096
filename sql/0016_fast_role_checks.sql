-- inclusiond 0016: the role checks behind every row policy cost a tenth of what they did (issue 7: the
-- 250,000-pupil import; issue 8: the sweep).
--
-- Every policy asks `(SELECT inclusion.sees_all_schools(current_user))` and `inclusion.schools_of(current_user)`
-- once per statement and table. They were SQL functions calling other SQL functions (role_kind, may_ask_about,
-- group_role). PostgreSQL plans a SQL function's body when the function is first called within the query that
-- calls it, and a SQL function called from inside another SQL function gets a fresh call site every time its
-- caller runs: so each call of sees_all_schools planned role_kind and its helpers again. Measured as an admin
-- login, per call: sees_all_schools 255-300 µs, schools_of 136 µs, role_kind 190 µs. A PL/pgSQL body keeps its
-- expressions' plans for the session and their call sites for the transaction: 25, 28 and 30 µs. That was most
-- of the import's COMMIT (the commit-time needs check runs three policy-bound queries per need row: 37,500 rows,
-- 23.3 s before, 4.4 s after) and a share of every statement under row security.
--
-- Same answers, same owners, same grants (CREATE OR REPLACE keeps both), same fixed search_path; each stays
-- SECURITY DEFINER where it was. role_kind still answers only about the caller, a role it may SET ROLE to, and
-- the schema owner (may_ask_about first), so nobody learns another login's kind or schools.

-- The kind of user a role is (0001, 0009): owner, admin, service, senco, staff, readonly, or NULL.
CREATE OR REPLACE FUNCTION inclusion.role_kind(who name) RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    DECLARE
        prefix text;
    BEGIN
        IF NOT inclusion.may_ask_about(who) THEN
            RETURN NULL;
        END IF;
        IF who = (SELECT n.nspowner::regrole::name FROM pg_namespace n WHERE n.nspname = 'inclusion') THEN
            RETURN 'owner';
        END IF;
        -- The group roles' names as inclusion.group_role makes them, read once rather than five calls.
        prefix := (SELECT t.value FROM inclusion.setting t WHERE t.key = 'role_prefix');
        RETURN CASE
            WHEN pg_has_role(who, (prefix || '_admin')::name, 'MEMBER') THEN 'admin'
            WHEN pg_has_role(who, (prefix || '_service')::name, 'MEMBER') THEN 'service'
            WHEN pg_has_role(who, (prefix || '_senco')::name, 'MEMBER') THEN 'senco'
            WHEN pg_has_role(who, (prefix || '_staff')::name, 'MEMBER') THEN 'staff'
            WHEN pg_has_role(who, (prefix || '_readonly')::name, 'MEMBER') THEN 'readonly'
        END;
    END
    $$;
CREATE OR REPLACE FUNCTION inclusion.sees_all_schools(who name) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$ BEGIN RETURN coalesce(inclusion.role_kind(who) IN ('owner', 'admin', 'service'), false); END $$;
CREATE OR REPLACE FUNCTION inclusion.is_staff_only(who name) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$ BEGIN RETURN coalesce(inclusion.role_kind(who) = 'staff', false); END $$;
CREATE OR REPLACE FUNCTION inclusion.schools_of(who name) RETURNS integer[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    BEGIN
        IF NOT inclusion.may_ask_about(who) THEN
            RETURN '{}';
        END IF;
        RETURN (SELECT coalesce(array_agg(m.school_id), '{}')
                FROM inclusion.staff s JOIN inclusion.staff_school m ON m.staff_id = s.id
                WHERE s.login = who AND s.disabled_at IS NULL);
    END
    $$;
CREATE OR REPLACE FUNCTION inclusion.caller_has_school(school integer) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    BEGIN
        RETURN inclusion.sees_all_schools(session_user) OR school = ANY (inclusion.schools_of(session_user));
    END
    $$;
