-- inclusiond 0009: the security review (issue 6). Closes what an attacker with a PostgreSQL login could reach:
--
-- * every function starts with EXECUTE for nobody; who may execute what is listed once, in
--   inclusion.function_grant, and applied by inclusion.apply_function_grants() (later migrations add rows and call
--   it again); trigger functions are executable by no login, and check the table they fire on;
-- * BEFORE triggers run as the caller (they read under the caller's row policies, so their errors cannot describe
--   another school's rows); the AFTER triggers that keep summaries run as the owner, after row security and the
--   foreign keys have accepted the row;
-- * no advisory lock a login can take blocks the trust: the audit chain and per-school serialisation lock rows no
--   login may lock;
-- * authorship and creation times are set by the database, dates of things that happened are not in the future,
--   and every date lies in a sane range;
-- * redaction belongs to the retention purge (the service, leavers past retention) and is itself recorded;
--   audit_verify checks an anchor, payloads emptied without redaction, and every live row against its trail;
-- * role_kind and schools_of answer only about the caller; audit_access takes one of a few fixed words;
-- * staff logins may not squat names of group roles or PostgreSQL's own.

-- Functions created from here on by the owner start closed: nobody may execute them until granted by name.
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

-- The one list of which group roles may execute which function. Everything not listed is the owner's alone.
CREATE TABLE inclusion.function_grant (
    function  text PRIMARY KEY,   -- a regprocedure, e.g. inclusion.staff_disable(name)
    kinds     text[] NOT NULL CHECK (cardinality(kinds) > 0
                  AND kinds <@ ARRAY['admin', 'senco', 'staff', 'readonly', 'service']),
    why       text NOT NULL
);
COMMENT ON TABLE inclusion.function_grant IS
    'Which group roles may execute which function of the schema; inclusion.apply_function_grants() applies it.';

-- Revokes EXECUTE on every function of the schema from everyone but its owner, then grants what function_grant
-- lists. Refuses to grant a trigger function, or a function that does not exist.
CREATE FUNCTION inclusion.apply_function_grants() RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    DECLARE
        held  record;
        entry record;
        kind  text;
        target regprocedure;
    BEGIN
        FOR held IN
            SELECT p.oid::regprocedure AS target, a.grantee
            FROM pg_proc p, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
            WHERE p.pronamespace = 'inclusion'::regnamespace AND a.grantee <> p.proowner
        LOOP
            EXECUTE format('REVOKE ALL ON FUNCTION %s FROM %s', held.target,
                CASE WHEN held.grantee = 0 THEN 'PUBLIC' ELSE held.grantee::regrole::text END);
        END LOOP;
        FOR entry IN SELECT * FROM inclusion.function_grant ORDER BY function LOOP
            target := to_regprocedure(entry.function);
            IF target IS NULL THEN
                RAISE EXCEPTION 'function_grant lists %, which does not exist', entry.function;
            END IF;
            IF (SELECT p.prorettype = 'trigger'::regtype FROM pg_proc p WHERE p.oid = target) THEN
                RAISE EXCEPTION 'function_grant lists the trigger function %: no login may execute one', target;
            END IF;
            FOREACH kind IN ARRAY entry.kinds LOOP
                EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %I', target, inclusion.group_role(kind));
            END LOOP;
        END LOOP;
    END
    $$;

-- Refuses to run a trigger function on any table but the ones it was written for. No login may attach one to a
-- table of its own (EXECUTE is revoked), and this makes sure of it.
CREATE FUNCTION inclusion.trigger_guard(tg_schema name, tg_table name, allowed text[]) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    BEGIN
        IF tg_schema <> 'inclusion' OR NOT (tg_table = ANY (allowed)) THEN
            RAISE EXCEPTION 'this trigger function belongs to inclusiond''s own tables' USING ERRCODE = 'IN403';
        END IF;
    END
    $$;

-- Who may be asked about: the caller (session_user, or a role it may SET ROLE to), and the schema owner (policies
-- evaluated inside SECURITY DEFINER functions ask about it). Nobody learns another login's kind or schools.
CREATE FUNCTION inclusion.may_ask_about(who name) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
        SELECT who = session_user
            OR who = (SELECT n.nspowner::regrole::name FROM pg_namespace n WHERE n.nspname = 'inclusion')
            OR EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = who AND pg_has_role(session_user, r.oid, 'MEMBER'))
    $$;

CREATE OR REPLACE FUNCTION inclusion.role_kind(who name) RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
        SELECT CASE
            WHEN NOT inclusion.may_ask_about(who) THEN NULL
            WHEN who = (SELECT nspowner::regrole::name FROM pg_namespace WHERE nspname = 'inclusion') THEN 'owner'
            WHEN pg_has_role(who, inclusion.group_role('admin'), 'MEMBER') THEN 'admin'
            WHEN pg_has_role(who, inclusion.group_role('service'), 'MEMBER') THEN 'service'
            WHEN pg_has_role(who, inclusion.group_role('senco'), 'MEMBER') THEN 'senco'
            WHEN pg_has_role(who, inclusion.group_role('staff'), 'MEMBER') THEN 'staff'
            WHEN pg_has_role(who, inclusion.group_role('readonly'), 'MEMBER') THEN 'readonly'
        END
    $$;

CREATE OR REPLACE FUNCTION inclusion.schools_of(who name) RETURNS integer[]
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
        SELECT coalesce(array_agg(m.school_id), '{}')
        FROM inclusion.staff s JOIN inclusion.staff_school m ON m.staff_id = s.id
        WHERE s.login = who AND s.disabled_at IS NULL AND inclusion.may_ask_about(who)
    $$;

-- Whether the person in this session may write rows of a school (admins, the service and the owner: every school).
CREATE FUNCTION inclusion.caller_has_school(school integer) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
        SELECT inclusion.sees_all_schools(session_user) OR school = ANY (inclusion.schools_of(session_user))
    $$;

-- Per-school serialisation (calendar edits, imports) on rows no login may lock: an advisory lock can be taken by
-- anyone who can connect, and would let any login freeze another school's work.
CREATE TABLE inclusion.school_lock (
    school_id  integer NOT NULL REFERENCES inclusion.school (id),
    purpose    text NOT NULL CHECK (purpose IN ('calendar', 'import')),
    PRIMARY KEY (school_id, purpose)
);
ALTER TABLE inclusion.school_lock ENABLE ROW LEVEL SECURITY;
ALTER TABLE inclusion.school_lock FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_only ON inclusion.school_lock
    USING ((SELECT inclusion.role_kind(current_user)) = 'owner');

-- Holds one school's lock for a purpose until the transaction ends.
CREATE FUNCTION inclusion.lock_school(school integer, purpose text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    BEGIN
        IF NOT coalesce(inclusion.caller_has_school(school), false)
                OR NOT EXISTS (SELECT 1 FROM inclusion.school s WHERE s.id = school) THEN
            RAISE EXCEPTION 'no school with this id is visible to your login' USING ERRCODE = 'IN403',
                COLUMN = 'school';
        END IF;
        INSERT INTO inclusion.school_lock AS l (school_id, purpose) VALUES (school, lock_school.purpose)
            ON CONFLICT DO NOTHING;
        PERFORM 1 FROM inclusion.school_lock l WHERE l.school_id = school AND l.purpose = lock_school.purpose
            FOR UPDATE;
    END
    $$;

-- Terms of one school may not overlap; closures must lie inside one of its terms. Runs as the owner so that one
-- school's writers are serialised on a row no login can lock; it looks only at the school of the row, and only
-- when the person writing may write that school (otherwise row security refuses the row after this trigger, and
-- this trigger must not describe another school's terms first).
CREATE OR REPLACE FUNCTION inclusion.check_calendar() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    BEGIN
        PERFORM inclusion.trigger_guard(TG_TABLE_SCHEMA, TG_TABLE_NAME, ARRAY['term', 'closure']);
        -- Reversed dates are the CHECK constraints' to report, with their own words.
        IF NEW.last_day < NEW.first_day OR NOT coalesce(inclusion.caller_has_school(NEW.school_id), false) THEN
            RETURN NEW;
        END IF;
        -- One writer per school at a time, to commit: two concurrent overlapping terms cannot both pass.
        PERFORM inclusion.lock_school(NEW.school_id, 'calendar');
        IF TG_TABLE_NAME = 'term' THEN
            IF EXISTS (SELECT 1 FROM inclusion.term t WHERE t.school_id = NEW.school_id AND t.id <> NEW.id
                       AND daterange(t.first_day, t.last_day, '[]') && daterange(NEW.first_day, NEW.last_day, '[]')) THEN
                RAISE EXCEPTION 'the term overlaps another term of this school' USING ERRCODE = 'IN422',
                    COLUMN = 'from';
            END IF;
        ELSE
            IF NOT EXISTS (SELECT 1 FROM inclusion.term t WHERE t.school_id = NEW.school_id
                           AND NEW.first_day >= t.first_day AND NEW.last_day <= t.last_day) THEN
                RAISE EXCEPTION 'a closure must lie inside one of the school''s terms (add the term first)'
                    USING ERRCODE = 'IN422', COLUMN = 'from';
            END IF;
        END IF;
        RETURN NEW;
    END
    $$;

-- Needs rules: now run as the caller (admins and SENCOs, who write needs, can read their pupils).
ALTER FUNCTION inclusion.check_needs() SECURITY INVOKER;

-- Sessions fall inside the intervention's dates. As the caller, keyed by the row's school: an intervention of
-- another school is simply not found (the foreign key then refuses the row), so its dates are never told.
CREATE OR REPLACE FUNCTION inclusion.session_check_dates() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    DECLARE span record;
    BEGIN
        IF TG_OP = 'UPDATE' AND OLD.intervention_id <> NEW.intervention_id THEN
            RAISE EXCEPTION 'a session cannot move to another intervention' USING ERRCODE = 'IN409';
        END IF;
        SELECT i.starts, coalesce(i.ended_on, i.ends) AS last INTO span FROM inclusion.intervention i
            WHERE i.school_id = NEW.school_id AND i.id = NEW.intervention_id;
        IF FOUND AND (NEW.held_on < span.starts OR NEW.held_on > span.last) THEN
            RAISE EXCEPTION 'the session date is outside intervention %''s dates (% to %)', NEW.intervention_id,
                span.starts, span.last USING ERRCODE = 'IN422', COLUMN = 'on';
        END IF;
        RETURN NEW;
    END
    $$;
ALTER FUNCTION inclusion.session_check_dates() SECURITY INVOKER;

CREATE OR REPLACE FUNCTION inclusion.session_summarise() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    BEGIN
        PERFORM inclusion.trigger_guard(TG_TABLE_SCHEMA, TG_TABLE_NAME, ARRAY['intervention_session']);
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            PERFORM inclusion.delivery_apply(OLD.intervention_id, OLD.school_id, OLD.held_on, OLD.delivered, -1);
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
            PERFORM inclusion.delivery_apply(NEW.intervention_id, NEW.school_id, NEW.held_on, NEW.delivered, 1);
        END IF;
        RETURN NULL;
    END
    $$;

-- Case notes. The check before the insert runs as the caller; the summary after it runs as the owner (staff, who
-- add notes, cannot update cases), once row security and the foreign key have accepted the note. A confidential
-- note's date goes to a table staff cannot read, so pupil_case.last_note_on does not betray that one exists.
DROP TRIGGER case_note_added ON inclusion.case_note;
DROP FUNCTION inclusion.case_note_added();

CREATE TABLE inclusion.case_confidential_activity (
    case_id        bigint PRIMARY KEY,
    school_id      integer NOT NULL,
    last_note_on   date NOT NULL,
    FOREIGN KEY (school_id, case_id) REFERENCES inclusion.pupil_case (school_id, id) ON UPDATE CASCADE
);
COMMENT ON TABLE inclusion.case_confidential_activity IS
    'The date of each case''s latest confidential note, kept by a trigger, readable by admins, SENCOs and the service.';
ALTER TABLE inclusion.case_confidential_activity ENABLE ROW LEVEL SECURITY;
ALTER TABLE inclusion.case_confidential_activity FORCE ROW LEVEL SECURITY;
CREATE POLICY school_scope ON inclusion.case_confidential_activity
    USING ((SELECT inclusion.sees_all_schools(current_user))
           OR school_id = ANY ((SELECT inclusion.schools_of(current_user))::integer[]));
SELECT inclusion.grant_to(ARRAY['admin', 'senco', 'service'], 'SELECT', 'inclusion.case_confidential_activity');

CREATE FUNCTION inclusion.case_note_check() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    BEGIN
        IF (SELECT c.state FROM inclusion.pupil_case c WHERE c.school_id = NEW.school_id AND c.id = NEW.case_id)
                = 'closed' THEN
            RAISE EXCEPTION 'case % is closed; notes go on open cases', NEW.case_id USING ERRCODE = 'IN409',
                COLUMN = 'case';
        END IF;
        RETURN NEW;
    END
    $$;
CREATE TRIGGER case_note_check BEFORE INSERT ON inclusion.case_note
    FOR EACH ROW EXECUTE FUNCTION inclusion.case_note_check();

CREATE FUNCTION inclusion.case_note_summarise() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    BEGIN
        PERFORM inclusion.trigger_guard(TG_TABLE_SCHEMA, TG_TABLE_NAME, ARRAY['case_note']);
        IF NEW.confidential THEN
            INSERT INTO inclusion.case_confidential_activity AS a (case_id, school_id, last_note_on)
                VALUES (NEW.case_id, NEW.school_id, NEW.noted_on)
                ON CONFLICT (case_id) DO UPDATE SET last_note_on = greatest(a.last_note_on, EXCLUDED.last_note_on);
        ELSE
            UPDATE inclusion.pupil_case c SET last_note_on = greatest(c.last_note_on, NEW.noted_on)
                WHERE c.school_id = NEW.school_id AND c.id = NEW.case_id
                  AND c.last_note_on IS DISTINCT FROM greatest(c.last_note_on, NEW.noted_on);
        END IF;
        RETURN NULL;
    END
    $$;
CREATE TRIGGER case_note_summarise AFTER INSERT ON inclusion.case_note
    FOR EACH ROW EXECUTE FUNCTION inclusion.case_note_summarise();

-- Notes recorded before this migration: move confidential dates out of the visible summary.
INSERT INTO inclusion.case_confidential_activity (case_id, school_id, last_note_on)
    SELECT n.case_id, n.school_id, max(n.noted_on) FROM inclusion.case_note n WHERE n.confidential
    GROUP BY n.case_id, n.school_id;
UPDATE inclusion.pupil_case c SET last_note_on = v.last_on
    FROM (SELECT c2.id, (SELECT max(n.noted_on) FROM inclusion.case_note n
                         WHERE n.case_id = c2.id AND NOT n.confidential) AS last_on
          FROM inclusion.pupil_case c2) v
    WHERE v.id = c.id AND c.last_note_on IS DISTINCT FROM v.last_on;

-- A staff login records a confidential note it may not read back: the CLI learns the note's id from currval(),
-- not from RETURNING (which would have to read the row).
DO $$
BEGIN
    EXECUTE format('GRANT SELECT ON SEQUENCE %s TO %I, %I, %I', pg_get_serial_sequence('inclusion.case_note', 'id'),
        inclusion.group_role('admin'), inclusion.group_role('senco'), inclusion.group_role('staff'));
END
$$;

-- Authorship and creation times are the database's to set, and the dates of things that happened are not in the
-- future. Arguments, any number of: author=COLUMN (session_user on insert, unchanged on update), created=COLUMN
-- (now() on insert, unchanged on update), past=COLUMN:FIELD (refused when after today; FIELD is the CLI's name).
CREATE FUNCTION inclusion.stamp() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    DECLARE
        arg      text;
        kind     text;
        col      text;
        field    text;
        previous jsonb := CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(OLD) END;
        fixed    jsonb := '{}';
    BEGIN
        FOREACH arg IN ARRAY TG_ARGV LOOP
            kind := split_part(arg, '=', 1);
            col := split_part(split_part(arg, '=', 2), ':', 1);
            field := coalesce(nullif(split_part(arg, ':', 2), ''), col);
            IF kind = 'author' THEN
                fixed := fixed || jsonb_build_object(col,
                    CASE WHEN TG_OP = 'UPDATE' THEN previous -> col ELSE to_jsonb(session_user::text) END);
            ELSIF kind = 'created' THEN
                fixed := fixed || jsonb_build_object(col,
                    CASE WHEN TG_OP = 'UPDATE' THEN previous -> col ELSE to_jsonb(now()) END);
            ELSIF kind = 'past' THEN
                -- Today anywhere on Earth (UTC+14): a school's "today" is never refused for the server's time zone.
                IF (to_jsonb(NEW) ->> col)::date > (now() AT TIME ZONE 'Etc/GMT-14')::date THEN
                    RAISE EXCEPTION 'the date is in the future; give the day it happened' USING ERRCODE = 'IN422',
                        COLUMN = field;
                END IF;
            ELSE
                RAISE EXCEPTION 'inclusion.stamp: unknown argument %', arg;
            END IF;
        END LOOP;
        IF fixed <> '{}' THEN
            NEW := jsonb_populate_record(NEW, fixed);
        END IF;
        RETURN NEW;
    END
    $$;

CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON inclusion.case_note
    FOR EACH ROW EXECUTE FUNCTION inclusion.stamp('author=author', 'created=created_at', 'past=noted_on:on');
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON inclusion.pupil_case
    FOR EACH ROW EXECUTE FUNCTION inclusion.stamp('author=opened_by', 'past=opened_on:on', 'past=closed_on:on');
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON inclusion.intervention_session
    FOR EACH ROW EXECUTE FUNCTION inclusion.stamp('author=logged_by', 'created=created_at', 'past=held_on:on');
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON inclusion.intervention
    FOR EACH ROW EXECUTE FUNCTION inclusion.stamp('created=created_at', 'past=ended_on:on');
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON inclusion.support_plan
    FOR EACH ROW EXECUTE FUNCTION inclusion.stamp('author=created_by', 'created=created_at', 'past=issued_on:issued',
        'past=last_reviewed:last-reviewed', 'past=closed_on:reason');
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON inclusion.review
    FOR EACH ROW EXECUTE FUNCTION inclusion.stamp('author=recorded_by', 'created=created_at');
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON inclusion.pupil
    FOR EACH ROW EXECUTE FUNCTION inclusion.stamp('created=created_at', 'past=date_of_birth:dob');
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON inclusion.plan_outcome
    FOR EACH ROW EXECUTE FUNCTION inclusion.stamp('created=created_at');
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON inclusion.staff
    FOR EACH ROW EXECUTE FUNCTION inclusion.stamp('author=created_by', 'created=created_at');
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON inclusion.school
    FOR EACH ROW EXECUTE FUNCTION inclusion.stamp('created=created_at');

-- Every date lies between 1900 and 2199: a value PostgreSQL accepts (year 0001, 9999) but nobody means would
-- otherwise be stored and then fail every later read. Constraint names carry the CLI's field name.
DO $$
DECLARE
    spec  text[];
BEGIN
    FOREACH spec SLICE 1 IN ARRAY ARRAY[
        ['term', 'first_day', 'from'], ['term', 'last_day', 'to'],
        ['closure', 'first_day', 'from'], ['closure', 'last_day', 'to'],
        ['pupil', 'date_of_birth', 'dob'], ['pupil', 'left_on', 'on'], ['pupil', 'sen_status_since', 'sen'],
        ['pupil_case', 'opened_on', 'on'], ['pupil_case', 'closed_on', 'on'], ['pupil_case', 'last_note_on', 'on'],
        ['case_note', 'noted_on', 'on'],
        ['support_plan', 'starts', 'starts'], ['support_plan', 'last_reviewed', 'last_reviewed'],
        ['support_plan', 'next_review_due', 'starts'], ['support_plan', 'closed_on', 'reason'],
        ['support_plan', 'issued_on', 'issued'], ['support_plan', 'review_meeting_on', 'on'],
        ['support_plan', 'invitations_sent_on', 'on'], ['support_plan', 'report_sent_on', 'on'],
        ['plan_outcome', 'target_on', 'by'],
        ['intervention', 'starts', 'starts'], ['intervention', 'ends', 'ends'], ['intervention', 'ended_on', 'on'],
        ['intervention_session', 'held_on', 'on'], ['review', 'held_on', 'held_on']]
    LOOP
        EXECUTE format('ALTER TABLE inclusion.%I ADD CONSTRAINT %I CHECK (%I BETWEEN %L AND %L)',
            spec[1], 'sane_date__' || spec[3] || '__' || spec[2], spec[2], '1900-01-01', '2199-12-31');
    END LOOP;
END
$$;

-- The audit chain. Writers serialise on the head row (FOR UPDATE, held to commit), which no login may lock,
-- instead of an advisory lock any login could take. Redaction is recorded as an event of its own.
ALTER TABLE inclusion.audit_event DROP CONSTRAINT audit_event_operation_check;
ALTER TABLE inclusion.audit_event ADD CONSTRAINT audit_event_operation_check
    CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE', 'ACCESS', 'PURGE', 'REDACT'));
-- audit_verify reconciles every live row with its latest event.
CREATE INDEX audit_event_row ON inclusion.audit_event (table_name, row_id, id);

INSERT INTO inclusion.setting (key, value) VALUES ('retention_years_after_birth', '31');

CREATE OR REPLACE FUNCTION inclusion.audit_statement() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    DECLARE
        block bigint;
        rows  bigint;
    BEGIN
        IF TG_TABLE_SCHEMA <> 'inclusion' THEN
            RAISE EXCEPTION 'this trigger function belongs to inclusiond''s own tables' USING ERRCODE = 'IN403';
        END IF;
        -- One writer at a time extends the chain, held to commit: chain order is commit order.
        PERFORM 1 FROM inclusion.audit_chain_head FOR UPDATE;
        block := nextval('inclusion.audit_block_seq');
        IF TG_OP = 'INSERT' THEN
            INSERT INTO inclusion.audit_event (block_id, table_name, operation, row_id, pupil_id, school_id, payload,
                    payload_hash)
                SELECT block, TG_TABLE_NAME, TG_OP, (j ->> 'id')::bigint,
                       CASE WHEN TG_TABLE_NAME = 'pupil' THEN (j ->> 'id')::bigint
                            WHEN j ? 'pupil_id' THEN (j ->> 'pupil_id')::bigint
                            ELSE inclusion.audit_pupil(TG_TABLE_NAME, j) END,
                       (j ->> 'school_id')::integer, p, inclusion.payload_hash(p)
                FROM (SELECT j, jsonb_build_object('new', j) AS p
                      FROM (SELECT to_jsonb(n) AS j FROM new_rows n) rows_in) r;
        ELSIF TG_OP = 'UPDATE' THEN
            INSERT INTO inclusion.audit_event (block_id, table_name, operation, row_id, pupil_id, school_id, payload,
                    payload_hash)
                SELECT block, TG_TABLE_NAME, TG_OP, (nj ->> 'id')::bigint,
                       CASE WHEN TG_TABLE_NAME = 'pupil' THEN (nj ->> 'id')::bigint
                            WHEN nj ? 'pupil_id' THEN (nj ->> 'pupil_id')::bigint
                            ELSE inclusion.audit_pupil(TG_TABLE_NAME, nj) END,
                       (nj ->> 'school_id')::integer, p, inclusion.payload_hash(p)
                FROM (SELECT n.nj, jsonb_build_object('old', o.oj, 'new', n.nj) AS p
                      FROM (SELECT to_jsonb(n) AS nj FROM new_rows n) n
                      JOIN (SELECT to_jsonb(o) AS oj FROM old_rows o) o ON (o.oj ->> 'id') = (n.nj ->> 'id')) r;
        ELSE
            INSERT INTO inclusion.audit_event (block_id, table_name, operation, row_id, pupil_id, school_id, payload,
                    payload_hash)
                SELECT block, TG_TABLE_NAME, TG_OP, (j ->> 'id')::bigint,
                       CASE WHEN TG_TABLE_NAME = 'pupil' THEN (j ->> 'id')::bigint
                            WHEN j ? 'pupil_id' THEN (j ->> 'pupil_id')::bigint
                            ELSE inclusion.audit_pupil(TG_TABLE_NAME, j) END,
                       (j ->> 'school_id')::integer, p, inclusion.payload_hash(p)
                FROM (SELECT j, jsonb_build_object('old', j) AS p
                      FROM (SELECT to_jsonb(o) AS j FROM old_rows o) rows_out) r;
        END IF;
        GET DIAGNOSTICS rows = ROW_COUNT;
        IF rows > 0 THEN
            PERFORM inclusion.audit_seal_block(block);
        END IF;
        RETURN NULL;
    END
    $$;

-- Appends one event of the chain in a block of its own (access and redaction records).
CREATE FUNCTION inclusion.audit_append(op text, pupil bigint, school integer, body jsonb) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    DECLARE block bigint;
    BEGIN
        PERFORM 1 FROM inclusion.audit_chain_head FOR UPDATE;
        block := nextval('inclusion.audit_block_seq');
        INSERT INTO inclusion.audit_event (block_id, table_name, operation, row_id, pupil_id, school_id, payload,
                payload_hash)
            VALUES (block, 'pupil', op, pupil, pupil, school, body, inclusion.payload_hash(body));
        PERFORM inclusion.audit_seal_block(block);
    END
    $$;

-- Records that someone read a whole pupil record: `what` is one of a few fixed words, never free text.
CREATE OR REPLACE FUNCTION inclusion.audit_access(pupil bigint, what text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    DECLARE
        school integer;
    BEGIN
        IF what IS NULL OR what NOT IN ('pupil show', 'export') THEN
            RAISE EXCEPTION 'an access is recorded as "pupil show" or "export"' USING ERRCODE = 'IN422',
                COLUMN = 'what';
        END IF;
        SELECT p.school_id INTO school FROM inclusion.pupil p WHERE p.id = pupil;
        IF school IS NULL OR NOT coalesce(inclusion.caller_has_school(school), false)
                OR inclusion.role_kind(session_user) NOT IN ('owner', 'admin', 'senco', 'staff') THEN
            RAISE EXCEPTION 'no pupil with this id is visible to your login' USING ERRCODE = 'IN403';
        END IF;
        PERFORM inclusion.audit_append('ACCESS', pupil, school, jsonb_build_object('access', what));
    END
    $$;

-- Empties the payloads of one leaver's events once their records are past retention (the retention purge, run by
-- the service). The chain still verifies (it covers payload_hash), and the redaction is itself an event, with
-- counts only, so `audit verify` can tell a recorded redaction from an emptied payload.
CREATE OR REPLACE FUNCTION inclusion.audit_redact(pupil bigint) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    DECLARE
        redacted bigint;
        subject  inclusion.pupil;
        years    integer := (SELECT value::integer FROM inclusion.setting WHERE key = 'retention_years_after_birth');
    BEGIN
        IF coalesce(inclusion.role_kind(session_user) NOT IN ('owner', 'service'), true) THEN
            RAISE EXCEPTION 'only the retention purge (the service) may redact the audit trail'
                USING ERRCODE = 'IN403';
        END IF;
        SELECT * INTO subject FROM inclusion.pupil p WHERE p.id = pupil;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'no pupil with this id' USING ERRCODE = 'IN404', COLUMN = 'pupil';
        END IF;
        IF subject.left_on IS NULL OR subject.date_of_birth + make_interval(years => years) > current_date THEN
            RAISE EXCEPTION 'pupil % is on roll or not yet past retention; nothing was redacted', pupil
                USING ERRCODE = 'IN409', COLUMN = 'pupil';
        END IF;
        PERFORM set_config('inclusion.redacting', 'on', true);
        UPDATE inclusion.audit_event SET payload = NULL, redacted_at = clock_timestamp()
            WHERE pupil_id = pupil AND payload IS NOT NULL AND operation <> 'REDACT';
        GET DIAGNOSTICS redacted = ROW_COUNT;
        PERFORM set_config('inclusion.redacting', 'off', true);
        PERFORM inclusion.audit_append('REDACT', pupil, subject.school_id,
            jsonb_build_object('redacted_events', redacted));
        RETURN redacted;
    END
    $$;

-- Recomputes every payload hash, event digest and block link; checks the anchor a daemon logged (the block and
-- its hash), that no payload was emptied except by a recorded redaction, and that every live row of an audited
-- table matches its latest event (rows changed, added or removed with the triggers off, or events removed from
-- the chain's end or forged, show up here). Reports the first break.
DROP FUNCTION inclusion.audit_verify();
CREATE FUNCTION inclusion.audit_verify(anchor_block bigint DEFAULT NULL, anchor_hash text DEFAULT NULL)
    RETURNS TABLE (ok boolean, blocks bigint, events bigint, broken_block bigint, broken_event bigint, problem text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    DECLARE
        audited  record;
        bad_row  bigint;
    BEGIN
        IF coalesce(inclusion.role_kind(session_user) NOT IN ('owner', 'admin'), true) THEN
            RAISE EXCEPTION 'only admins may verify the audit trail' USING ERRCODE = 'IN403';
        END IF;
        ok := false;
        SELECT count(*) INTO blocks FROM inclusion.audit_block;
        SELECT count(*) INTO events FROM inclusion.audit_event;

        IF anchor_block IS NOT NULL THEN
            IF NOT EXISTS (SELECT 1 FROM inclusion.audit_block b WHERE b.id = anchor_block) THEN
                broken_block := anchor_block;
                problem := 'the anchor''s block is missing from the chain (the chain was shortened or emptied)';
                RETURN NEXT;
                RETURN;
            END IF;
            IF (SELECT encode(b.hash, 'hex') FROM inclusion.audit_block b WHERE b.id = anchor_block)
                    IS DISTINCT FROM lower(anchor_hash) THEN
                broken_block := anchor_block;
                problem := 'the anchor''s block has another hash than the one logged (the chain was rewritten)';
                RETURN NEXT;
                RETURN;
            END IF;
        END IF;

        SELECT e.block_id, e.id INTO broken_block, broken_event FROM inclusion.audit_event e
            WHERE e.payload IS NOT NULL AND inclusion.payload_hash(e.payload) <> e.payload_hash
            ORDER BY e.id LIMIT 1;
        IF broken_event IS NOT NULL THEN
            problem := 'an event''s payload does not match its recorded hash';
            RETURN NEXT;
            RETURN;
        END IF;

        SELECT e.block_id, e.id INTO broken_block, broken_event FROM inclusion.audit_event e
            WHERE e.payload IS NULL AND (e.redacted_at IS NULL OR NOT EXISTS (
                SELECT 1 FROM inclusion.audit_event r
                WHERE r.operation = 'REDACT' AND r.pupil_id = e.pupil_id AND r.id > e.id))
            ORDER BY e.id LIMIT 1;
        IF broken_event IS NOT NULL THEN
            problem := 'an event''s payload was emptied without a recorded redaction';
            RETURN NEXT;
            RETURN;
        END IF;

        SELECT b.id INTO broken_block
            FROM (
                SELECT b.*, lag(b.hash) OVER (ORDER BY b.id) AS expected_prev,
                       d.digest, d.event_count AS counted
                FROM inclusion.audit_block b
                LEFT JOIN (
                    SELECT e.block_id, count(*) AS event_count,
                           sha256(string_agg(inclusion.audit_event_digest(e), ''::bytea ORDER BY e.id)) AS digest
                    FROM inclusion.audit_event e GROUP BY e.block_id
                ) d ON d.block_id = b.id
            ) b
            WHERE b.prev_hash IS DISTINCT FROM b.expected_prev
               OR coalesce(b.counted, 0) <> b.event_count
               OR inclusion.audit_block_digest(ROW(b.id, b.created_at, b.event_count, b.prev_hash, b.hash)::inclusion.audit_block,
                      coalesce(b.digest, sha256('\x'::bytea))) <> b.hash
            ORDER BY b.id LIMIT 1;
        IF broken_block IS NOT NULL THEN
            problem := 'a block''s hash or its link to the previous block does not match';
            RETURN NEXT;
            RETURN;
        END IF;
        IF (SELECT h.hash FROM inclusion.audit_chain_head h)
                IS DISTINCT FROM (SELECT b.hash FROM inclusion.audit_block b ORDER BY b.id DESC LIMIT 1) THEN
            broken_block := (SELECT max(b.id) FROM inclusion.audit_block b);
            problem := 'the newest block is not the recorded head of the chain (blocks were removed from its end)';
            RETURN NEXT;
            RETURN;
        END IF;
        SELECT e.block_id, e.id INTO broken_block, broken_event FROM inclusion.audit_event e
            WHERE NOT EXISTS (SELECT 1 FROM inclusion.audit_block b WHERE b.id = e.block_id)
            ORDER BY e.id LIMIT 1;
        IF broken_event IS NOT NULL THEN
            problem := 'an event belongs to no block';
            RETURN NEXT;
            RETURN;
        END IF;

        -- Every live row of every audited table against its latest event: the values of the columns both know must
        -- be the same (columns added or dropped since the event are not compared), and every row must have one.
        FOR audited IN
            SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE c.relnamespace = 'inclusion'::regnamespace AND t.tgfoid = 'inclusion.audit_statement()'::regprocedure
            ORDER BY c.relname
        LOOP
            EXECUTE format($q$
                SELECT r.id FROM inclusion.%I r
                LEFT JOIN LATERAL (
                    SELECT e.payload, e.redacted_at FROM inclusion.audit_event e
                    WHERE e.table_name = %L AND e.row_id = r.id AND e.operation IN ('INSERT', 'UPDATE', 'DELETE')
                    ORDER BY e.id DESC LIMIT 1
                ) latest ON true
                WHERE latest.payload IS NULL AND latest.redacted_at IS NULL
                   OR latest.payload IS NOT NULL AND (NOT latest.payload ? 'new'
                      OR (SELECT jsonb_object_agg(k.key, k.value) FROM jsonb_each(latest.payload -> 'new') k
                          WHERE to_jsonb(r) ? k.key)
                         IS DISTINCT FROM
                         (SELECT jsonb_object_agg(k.key, k.value) FROM jsonb_each(to_jsonb(r)) k
                          WHERE latest.payload -> 'new' ? k.key))
                ORDER BY r.id LIMIT 1 $q$, audited.relname, audited.relname)
                INTO bad_row;
            IF bad_row IS NOT NULL THEN
                problem := format('row %s of %s does not match its audit trail (changed, added or its events '
                    'removed without the triggers)', bad_row, audited.relname);
                RETURN NEXT;
                RETURN;
            END IF;
            -- A row whose latest event says it exists must exist.
            EXECUTE format($q$
                SELECT e.id FROM (
                    SELECT DISTINCT ON (e.row_id) e.id, e.row_id, e.operation FROM inclusion.audit_event e
                    WHERE e.table_name = %L AND e.operation IN ('INSERT', 'UPDATE', 'DELETE')
                    ORDER BY e.row_id, e.id DESC
                ) e
                WHERE e.operation <> 'DELETE' AND NOT EXISTS (SELECT 1 FROM inclusion.%I r WHERE r.id = e.row_id)
                ORDER BY e.id LIMIT 1 $q$, audited.relname, audited.relname)
                INTO broken_event;
            IF broken_event IS NOT NULL THEN
                broken_block := (SELECT e.block_id FROM inclusion.audit_event e WHERE e.id = broken_event);
                problem := format('a row of %s was removed without an audit event (or its event was forged)',
                    audited.relname);
                RETURN NEXT;
                RETURN;
            END IF;
        END LOOP;

        ok := true;
        RETURN NEXT;
    END
    $$;

-- staff_add, again: also refuses PostgreSQL's reserved pg_ names and the names of any trust's group roles
-- (PREFIX_admin …), and marks the login it creates as this database's, so `db migrate` of another database will
-- never adopt it.
CREATE OR REPLACE FUNCTION inclusion.staff_add(login name, display_name text, kind text, schools integer[], email text,
        password_verifier text) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    DECLARE
        caller   text := inclusion.role_kind(session_user);
        staff_id integer;
        unknown  integer;
    BEGIN
        IF coalesce(caller NOT IN ('owner', 'admin'), true) THEN
            RAISE EXCEPTION 'only admins may add staff' USING ERRCODE = 'IN403';
        END IF;
        IF kind NOT IN ('admin', 'senco', 'staff', 'readonly', 'service') THEN
            RAISE EXCEPTION 'role must be admin, senco, staff, readonly or service' USING ERRCODE = 'IN422',
                COLUMN = 'role';
        END IF;
        IF login !~ '^[a-z_][a-z0-9_.-]{0,62}$' THEN
            RAISE EXCEPTION 'a login is 1-63 lower-case letters, digits, "_", "." or "-", starting with a letter'
                USING ERRCODE = 'IN422', COLUMN = 'login';
        END IF;
        IF starts_with(login, 'pg_') THEN
            RAISE EXCEPTION 'names starting "pg_" are reserved by PostgreSQL; choose another login'
                USING ERRCODE = 'IN422', COLUMN = 'login';
        END IF;
        IF login ~ '_(admin|senco|staff|readonly|service)$' THEN
            RAISE EXCEPTION 'a login may not end in _admin, _senco, _staff, _readonly or _service: those are the '
                'names of group roles (of this trust or another sharing the cluster); choose another login'
                USING ERRCODE = 'IN422', COLUMN = 'login';
        END IF;
        IF kind IN ('senco', 'staff', 'readonly') AND coalesce(cardinality(schools), 0) = 0 THEN
            RAISE EXCEPTION 'a % login needs at least one --school', kind USING ERRCODE = 'IN422', COLUMN = 'school';
        END IF;
        SELECT count(*) INTO unknown FROM unnest(schools) s(id)
            WHERE NOT EXISTS (SELECT 1 FROM inclusion.school WHERE school.id = s.id);
        IF unknown > 0 THEN
            RAISE EXCEPTION 'no such school' USING ERRCODE = 'IN404', COLUMN = 'school';
        END IF;
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login) THEN
            RAISE EXCEPTION 'a database role with this login already exists (logins are never reused)'
                USING ERRCODE = 'IN409', COLUMN = 'login';
        END IF;
        EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS IN ROLE %I',
            login, inclusion.group_role(kind));
        EXECUTE format('COMMENT ON ROLE %I IS %L', login, 'inclusiond:' || (SELECT d.id FROM inclusion.deployment d)
            || ':login (added by inclusionctl staff add to database ' || current_database() || ')');
        IF password_verifier IS NOT NULL THEN
            IF password_verifier !~ '^SCRAM-SHA-256\$' THEN
                RAISE EXCEPTION 'the password must arrive as a SCRAM-SHA-256 verifier' USING ERRCODE = 'IN422',
                    COLUMN = 'password';
            END IF;
            EXECUTE format('ALTER ROLE %I PASSWORD %L', login, password_verifier);
        END IF;
        INSERT INTO inclusion.staff (login, display_name, role, email) VALUES (login, display_name, kind, email)
            RETURNING id INTO staff_id;
        INSERT INTO inclusion.staff_school (staff_id, school_id)
            SELECT staff_id, s FROM unnest(coalesce(schools, '{}')) s;
        RETURN staff_id;
    END
    $$;

-- Whether a login can be the key worker of a pupil at a school: NULL when it can, else why not ('unknown',
-- 'disabled', 'role:KIND', 'elsewhere'). For admins and the school's SENCOs, who may not read the staff list:
-- it tells them only about logins in relation to a school of their own.
CREATE FUNCTION inclusion.key_worker_problem(login name, school integer) RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    DECLARE
        person inclusion.staff;
    BEGIN
        IF NOT coalesce(inclusion.caller_has_school(school), false) THEN
            RAISE EXCEPTION 'no school with this id is visible to your login' USING ERRCODE = 'IN403',
                COLUMN = 'school';
        END IF;
        SELECT * INTO person FROM inclusion.staff s WHERE s.login = key_worker_problem.login;
        IF NOT FOUND THEN
            RETURN 'unknown';
        ELSIF person.disabled_at IS NOT NULL
                OR NOT coalesce((SELECT r.rolcanlogin FROM pg_roles r WHERE r.rolname = person.login), false) THEN
            RETURN 'disabled';
        ELSIF person.role NOT IN ('admin', 'senco', 'staff') THEN
            RETURN 'role:' || person.role;
        ELSIF person.role <> 'admin' AND NOT EXISTS (
                SELECT 1 FROM inclusion.staff_school m WHERE m.staff_id = person.id AND m.school_id = school) THEN
            RETURN 'elsewhere';
        END IF;
        RETURN NULL;
    END
    $$;

-- Who may execute what. The policy helpers are executed by every group role (row policies call them as the
-- caller); upn_is_valid by those who write pupils (a CHECK constraint calls it as the writer).
INSERT INTO inclusion.function_grant (function, kinds, why) VALUES
    ('inclusion.role_kind(name)', ARRAY['admin', 'senco', 'staff', 'readonly', 'service'], 'row policies'),
    ('inclusion.sees_all_schools(name)', ARRAY['admin', 'senco', 'staff', 'readonly', 'service'], 'row policies'),
    ('inclusion.is_staff_only(name)', ARRAY['admin', 'senco', 'staff', 'readonly', 'service'], 'row policies'),
    ('inclusion.schools_of(name)', ARRAY['admin', 'senco', 'staff', 'readonly', 'service'], 'row policies'),
    ('inclusion.upn_is_valid(text)', ARRAY['admin', 'senco'], 'the pupil_upn_valid CHECK constraint'),
    ('inclusion.staff_add(name,text,text,integer[],text,text)', ARRAY['admin'], 'staff add'),
    ('inclusion.staff_disable(name)', ARRAY['admin'], 'staff disable'),
    ('inclusion.audit_verify(bigint,text)', ARRAY['admin'], 'audit verify'),
    ('inclusion.audit_head()', ARRAY['admin', 'service'], 'the audit-anchor job'),
    ('inclusion.audit_redact(bigint)', ARRAY['service'], 'the retention purge'),
    ('inclusion.audit_access(bigint,text)', ARRAY['admin', 'senco', 'staff'], 'pupil show, export'),
    ('inclusion.school_summary()', ARRAY['admin', 'senco', 'readonly'], 'aggregate reports'),
    ('inclusion.job_request_run(text,date)', ARRAY['admin', 'service'], 'job run'),
    ('inclusion.job_set_paused(text,boolean)', ARRAY['admin', 'service'], 'job pause, job resume'),
    ('inclusion.request_reload()', ARRAY['admin', 'service'], 'reload'),
    ('inclusion.lock_school(integer,text)', ARRAY['admin', 'senco'], 'pupil import (one import per school)'),
    ('inclusion.key_worker_problem(name,integer)', ARRAY['admin', 'senco'], 'pupil add/set --key-worker');
SELECT inclusion.apply_function_grants();
