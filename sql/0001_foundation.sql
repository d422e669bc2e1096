-- inclusiond 0001: settings, group roles, the row-scoping helpers every policy uses, and the audit chain.
--
-- Run by `inclusionctl db migrate` as the database owner (which needs CREATEROLE). The migrator sets two
-- session settings first: inclusion.role_prefix (default "inclusion") and inclusion.daemon_login.

CREATE TABLE inclusion.setting (
    key   text PRIMARY KEY,
    value text NOT NULL
);
COMMENT ON TABLE inclusion.setting IS 'Deployment settings fixed at first migration (role prefix, schema compatibility).';

INSERT INTO inclusion.setting (key, value) VALUES
    ('role_prefix', current_setting('inclusion.role_prefix')),
    -- The lowest daemon schema level this schema still serves: raised only by a migration that breaks older
    -- daemons, so daemons can be upgraded one at a time.
    ('serves_daemons_from', '1');

-- The group roles of DESIGN §3. Roles are cluster-wide: the prefix lets several trusts or test suites share one
-- cluster. Identifiers are quoted with format('%I').
DO $$
DECLARE
    prefix text := current_setting('inclusion.role_prefix');
    kind   text;
    daemon text := current_setting('inclusion.daemon_login');
BEGIN
    FOREACH kind IN ARRAY ARRAY['admin', 'senco', 'staff', 'readonly', 'service'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = prefix || '_' || kind) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', prefix || '_' || kind);
        END IF;
        EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', current_database(), prefix || '_' || kind);
        EXECUTE format('GRANT USAGE ON SCHEMA inclusion TO %I', prefix || '_' || kind);
    END LOOP;
    EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = daemon) THEN
        EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOBYPASSRLS', daemon);
    END IF;
    EXECUTE format('GRANT %I TO %I', prefix || '_service', daemon);
END
$$;

REVOKE ALL ON SCHEMA public FROM PUBLIC;

-- The role a group name maps to under this database's prefix.
CREATE FUNCTION inclusion.group_role(kind text) RETURNS name
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$ SELECT (SELECT value FROM inclusion.setting WHERE key = 'role_prefix') || '_' || kind $$;

-- What kind of user a role is: owner, admin, service, senco, staff, readonly, or NULL for none of ours.
-- `who` is passed in (policies pass current_user) because inside this SECURITY DEFINER function current_user is
-- the owner.
CREATE FUNCTION inclusion.role_kind(who name) RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
        SELECT CASE
            WHEN who = (SELECT nspowner::regrole::name FROM pg_namespace WHERE nspname = 'inclusion') THEN 'owner'
            WHEN pg_has_role(who, inclusion.group_role('admin'), 'MEMBER') THEN 'admin'
            WHEN pg_has_role(who, inclusion.group_role('service'), 'MEMBER') THEN 'service'
            WHEN pg_has_role(who, inclusion.group_role('senco'), 'MEMBER') THEN 'senco'
            WHEN pg_has_role(who, inclusion.group_role('staff'), 'MEMBER') THEN 'staff'
            WHEN pg_has_role(who, inclusion.group_role('readonly'), 'MEMBER') THEN 'readonly'
        END
    $$;

-- Every school for the owner, admins and the service.
CREATE FUNCTION inclusion.sees_all_schools(who name) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$ SELECT coalesce(inclusion.role_kind(who) IN ('owner', 'admin', 'service'), false) $$;

CREATE FUNCTION inclusion.is_staff_only(who name) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$ SELECT coalesce(inclusion.role_kind(who) = 'staff', false) $$;

REVOKE EXECUTE ON FUNCTION inclusion.role_kind(name), inclusion.sees_all_schools(name),
    inclusion.is_staff_only(name), inclusion.group_role(text) FROM PUBLIC;

-- Grants a privilege list on a table to some of our group roles (names under this database's prefix).
CREATE FUNCTION inclusion.grant_to(kinds text[], privileges text, target regclass) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    DECLARE kind text;
    BEGIN
        FOREACH kind IN ARRAY kinds LOOP
            EXECUTE format('GRANT %s ON %s TO %I', privileges, target, inclusion.group_role(kind));
        END LOOP;
    END
    $$;
REVOKE EXECUTE ON FUNCTION inclusion.grant_to(text[], text, regclass) FROM PUBLIC;

-- Audit. Events are appended by statement-level triggers (transition tables), so a 250,000-row import writes
-- its events in one INSERT … SELECT; each statement's events form one block, and blocks are chained in commit
-- order under a transaction-scoped advisory lock. The chain covers each event's metadata and payload_hash,
-- never the payload, so a retention purge can empty a payload and the chain still verifies.
CREATE TABLE inclusion.audit_block (
    id           bigint PRIMARY KEY,
    created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    event_count  integer NOT NULL,
    prev_hash    bytea,
    hash         bytea NOT NULL
);

CREATE TABLE inclusion.audit_event (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    block_id     bigint NOT NULL,  -- no FK: blocks are sealed after their events; audit_verify checks the link
    at           timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor        name NOT NULL DEFAULT session_user,
    table_name   text NOT NULL,
    operation    text NOT NULL CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE', 'ACCESS', 'PURGE')),
    row_id       bigint,
    pupil_id     bigint,
    school_id    integer,
    payload      jsonb,
    payload_hash bytea NOT NULL,
    redacted_at  timestamptz
);
CREATE INDEX audit_event_block ON inclusion.audit_event (block_id);

-- The chain's head, one row. Sealing a block reads it FOR UPDATE: a writer whose snapshot is older than the head
-- (REPEATABLE READ, SERIALIZABLE) gets a serialization failure and retries, instead of forking the chain.
CREATE TABLE inclusion.audit_chain_head (
    only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    block     bigint,
    hash      bytea
);
INSERT INTO inclusion.audit_chain_head VALUES (true, NULL, NULL);
CREATE INDEX audit_event_pupil ON inclusion.audit_event (pupil_id) WHERE pupil_id IS NOT NULL;
CREATE SEQUENCE inclusion.audit_block_seq;

-- The digest of one event's metadata plus its payload hash. Times are hashed as UTC text, so the result does
-- not depend on a session's TimeZone or DateStyle.
CREATE FUNCTION inclusion.audit_event_digest(e inclusion.audit_event) RETURNS bytea
    LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
        -- Every field has its place, NULLs included ('-'), so ids cannot move between columns unnoticed.
        SELECT sha256(convert_to(concat_ws('|', e.id, e.block_id,
                to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), e.actor, e.table_name, e.operation,
                coalesce(e.row_id::text, '-'), coalesce(e.pupil_id::text, '-'), coalesce(e.school_id::text, '-')),
                'UTF8') || e.payload_hash)
    $$;

CREATE FUNCTION inclusion.audit_block_digest(b inclusion.audit_block, events_digest bytea) RETURNS bytea
    LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
        SELECT sha256(coalesce(b.prev_hash, '\x'::bytea) || convert_to(concat_ws('|', b.id, b.event_count,
                to_char(b.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')), 'UTF8') || events_digest)
    $$;

CREATE FUNCTION inclusion.payload_hash(payload jsonb) RETURNS bytea
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT sha256(convert_to(payload::text, 'UTF8')) $$;

-- Closes a block: called with the events of the block already inserted.
CREATE FUNCTION inclusion.audit_seal_block(block bigint) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    DECLARE
        prev   bytea;
        digest bytea;
        events integer;
        b      inclusion.audit_block;
    BEGIN
        SELECT count(*), sha256(coalesce(string_agg(inclusion.audit_event_digest(e), ''::bytea ORDER BY e.id), '\x'))
            INTO events, digest
            FROM inclusion.audit_event e WHERE e.block_id = block;
        SELECT h.hash INTO prev FROM inclusion.audit_chain_head h FOR UPDATE;
        b := ROW(block, clock_timestamp(), events, prev, '\x'::bytea);
        b.hash := inclusion.audit_block_digest(b, digest);
        INSERT INTO inclusion.audit_block VALUES (b.*);
        UPDATE inclusion.audit_chain_head SET block = b.id, hash = b.hash;
    END
    $$;

-- The pupil an audited row is about, so that a subject-access export and a retention purge find every event:
-- directly for most tables, through the parent row for notes, outcomes and plan reviews.
CREATE FUNCTION inclusion.audit_pupil(table_name text, j jsonb) RETURNS bigint
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    BEGIN
        -- plpgsql, not sql: the tables it reads are created by later migrations.
        RETURN coalesce((j ->> 'pupil_id')::bigint, CASE table_name
            WHEN 'pupil' THEN (j ->> 'id')::bigint
            WHEN 'case_note' THEN (SELECT c.pupil_id FROM inclusion.pupil_case c WHERE c.id = (j ->> 'case_id')::bigint)
            WHEN 'plan_outcome' THEN (SELECT p.pupil_id FROM inclusion.support_plan p WHERE p.id = (j ->> 'plan_id')::bigint)
            WHEN 'review' THEN (SELECT p.pupil_id FROM inclusion.support_plan p WHERE p.id = (j ->> 'plan_id')::bigint)
        END);
    END
    $$;

-- The statement trigger behind every audited table.
CREATE FUNCTION inclusion.audit_statement() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    DECLARE
        block bigint;
        rows  bigint;
    BEGIN
        -- One writer at a time extends the chain, held to commit: chain order is commit order.
        PERFORM pg_advisory_xact_lock(7263512);
        block := nextval('inclusion.audit_block_seq');
        -- One INSERT … SELECT per statement: each row's JSON is built once, hashed once, and its pupil found
        -- without a function call where the row names the pupil itself.
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

-- Events are append-only. The one exception is the redaction function, which runs as the owner.
CREATE FUNCTION inclusion.audit_refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    BEGIN
        -- Nested, so that NEW.payload is read only on audit_event (audit_block has no payload).
        IF TG_TABLE_NAME = 'audit_event' AND TG_OP = 'UPDATE' THEN
            IF current_setting('inclusion.redacting', true) = 'on'
                    AND inclusion.role_kind(current_user) = 'owner'
                    AND NEW.payload IS NULL AND NEW.redacted_at IS NOT NULL
                    AND (NEW.id, NEW.block_id, NEW.at, NEW.actor, NEW.table_name, NEW.operation, NEW.row_id,
                         NEW.pupil_id, NEW.school_id, NEW.payload_hash)
                        IS NOT DISTINCT FROM (OLD.id, OLD.block_id, OLD.at, OLD.actor, OLD.table_name, OLD.operation,
                         OLD.row_id, OLD.pupil_id, OLD.school_id, OLD.payload_hash) THEN
                RETURN NEW;
            END IF;
        END IF;
        RAISE EXCEPTION 'the audit trail is append-only' USING ERRCODE = 'IN901';
    END
    $$;
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON inclusion.audit_event
    FOR EACH ROW EXECUTE FUNCTION inclusion.audit_refuse_change();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON inclusion.audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION inclusion.audit_refuse_change();
CREATE TRIGGER audit_block_append_only BEFORE UPDATE OR DELETE ON inclusion.audit_block
    FOR EACH ROW EXECUTE FUNCTION inclusion.audit_refuse_change();
CREATE TRIGGER audit_block_no_truncate BEFORE TRUNCATE ON inclusion.audit_block
    FOR EACH STATEMENT EXECUTE FUNCTION inclusion.audit_refuse_change();
CREATE TRIGGER audit_head_no_delete BEFORE DELETE OR TRUNCATE ON inclusion.audit_chain_head
    FOR EACH STATEMENT EXECUTE FUNCTION inclusion.audit_refuse_change();

-- Empties the payloads of one pupil's events (retention). The chain still verifies: it covers payload_hash.
CREATE FUNCTION inclusion.audit_redact(pupil bigint) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    DECLARE redacted bigint;
    BEGIN
        IF coalesce(inclusion.role_kind(session_user) NOT IN ('owner', 'admin', 'service'), true) THEN
            RAISE EXCEPTION 'only admins and the service may redact the audit trail' USING ERRCODE = 'IN403';
        END IF;
        PERFORM set_config('inclusion.redacting', 'on', true);
        UPDATE inclusion.audit_event SET payload = NULL, redacted_at = clock_timestamp()
            WHERE pupil_id = pupil AND payload IS NOT NULL;
        GET DIAGNOSTICS redacted = ROW_COUNT;
        PERFORM set_config('inclusion.redacting', 'off', true);
        RETURN redacted;
    END
    $$;

-- Records that someone read a whole pupil record (pupil show, export).
CREATE FUNCTION inclusion.audit_access(pupil bigint, what text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    DECLARE
        block  bigint;
        school integer;
        body   jsonb := jsonb_build_object('access', what);
    BEGIN
        PERFORM pg_advisory_xact_lock(7263512);
        SELECT p.school_id INTO school FROM inclusion.pupil p WHERE p.id = pupil;
        IF school IS NULL OR NOT (inclusion.sees_all_schools(session_user)
                                  OR school = ANY (inclusion.schools_of(session_user))) THEN
            RAISE EXCEPTION 'no pupil with this id is visible to your login' USING ERRCODE = 'IN403';
        END IF;
        block := nextval('inclusion.audit_block_seq');
        INSERT INTO inclusion.audit_event (block_id, table_name, operation, row_id, pupil_id, school_id, payload,
                payload_hash)
            VALUES (block, 'pupil', 'ACCESS', pupil, pupil, school, body, inclusion.payload_hash(body));
        PERFORM inclusion.audit_seal_block(block);
    END
    $$;

-- Recomputes every payload hash, event digest and block link; reports the first break.
CREATE FUNCTION inclusion.audit_verify()
    RETURNS TABLE (ok boolean, blocks bigint, events bigint, broken_block bigint, broken_event bigint, problem text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    BEGIN
        IF coalesce(inclusion.role_kind(session_user) NOT IN ('owner', 'admin'), true) THEN
            RAISE EXCEPTION 'only admins may verify the audit trail' USING ERRCODE = 'IN403';
        END IF;
        SELECT count(*) INTO blocks FROM inclusion.audit_block;
        SELECT count(*) INTO events FROM inclusion.audit_event;
        SELECT e.block_id, e.id INTO broken_block, broken_event FROM inclusion.audit_event e
            WHERE e.payload IS NOT NULL AND inclusion.payload_hash(e.payload) <> e.payload_hash
            ORDER BY e.id LIMIT 1;
        IF broken_event IS NOT NULL THEN
            ok := false;
            problem := 'an event''s payload does not match its recorded hash';
            RETURN NEXT;
            RETURN;
        END IF;
        SELECT b.id INTO broken_block
            FROM (
                SELECT b.*, lag(b.hash) OVER (ORDER BY b.id) AS expected_prev, row_number() OVER (ORDER BY b.id) AS n,
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
            ok := false;
            problem := 'a block''s hash or its link to the previous block does not match';
            RETURN NEXT;
            RETURN;
        END IF;
        IF (SELECT h.hash FROM inclusion.audit_chain_head h)
                IS DISTINCT FROM (SELECT b.hash FROM inclusion.audit_block b ORDER BY b.id DESC LIMIT 1) THEN
            ok := false;
            broken_block := (SELECT max(b.id) FROM inclusion.audit_block b);
            problem := 'the newest block is not the recorded head of the chain (blocks were removed from its end)';
            RETURN NEXT;
            RETURN;
        END IF;
        SELECT e.block_id, e.id INTO broken_block, broken_event FROM inclusion.audit_event e
            WHERE NOT EXISTS (SELECT 1 FROM inclusion.audit_block b WHERE b.id = e.block_id)
            ORDER BY e.id LIMIT 1;
        IF broken_event IS NOT NULL THEN
            ok := false;
            problem := 'an event belongs to no block';
            RETURN NEXT;
            RETURN;
        END IF;
        ok := true;
        RETURN NEXT;
    END
    $$;

-- The chain head, for the daemon's periodic anchor in its log.
CREATE FUNCTION inclusion.audit_head() RETURNS TABLE (block bigint, hash text, events bigint)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
        SELECT b.id, encode(b.hash, 'hex'), (SELECT count(*) FROM inclusion.audit_event)
        FROM inclusion.audit_block b ORDER BY b.id DESC LIMIT 1
    $$;

REVOKE EXECUTE ON FUNCTION inclusion.audit_redact(bigint), inclusion.audit_access(bigint, text),
    inclusion.audit_verify(), inclusion.audit_head(), inclusion.audit_statement(),
    inclusion.audit_seal_block(bigint) FROM PUBLIC;
SELECT inclusion.grant_to(ARRAY['admin'], 'SELECT', 'inclusion.audit_event');
SELECT inclusion.grant_to(ARRAY['admin'], 'SELECT', 'inclusion.audit_block');

DO $$
BEGIN
    EXECUTE format('GRANT EXECUTE ON FUNCTION inclusion.audit_verify() TO %I', inclusion.group_role('admin'));
    EXECUTE format('GRANT EXECUTE ON FUNCTION inclusion.audit_head() TO %I, %I', inclusion.group_role('admin'),
        inclusion.group_role('service'));
    EXECUTE format('GRANT EXECUTE ON FUNCTION inclusion.audit_redact(bigint) TO %I, %I', inclusion.group_role('admin'),
        inclusion.group_role('service'));
    EXECUTE format('GRANT EXECUTE ON FUNCTION inclusion.audit_access(bigint, text) TO %I, %I, %I',
        inclusion.group_role('admin'), inclusion.group_role('senco'), inclusion.group_role('staff'));
END
$$;

-- Puts a table under the project's rules: RLS enabled and forced, rows scoped to the caller's schools (every
-- school for owner, admins and the service; nothing for a login with no mapping), and audited. `scope` names the
-- column holding the school id.
CREATE FUNCTION inclusion.protect(target regclass, scope text DEFAULT 'school_id') RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    BEGIN
        EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
        EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', target);
        EXECUTE format($p$CREATE POLICY school_scope ON %s
            USING ((SELECT inclusion.sees_all_schools(current_user))
                   OR %I = ANY ((SELECT inclusion.schools_of(current_user))::integer[]))
            WITH CHECK ((SELECT inclusion.sees_all_schools(current_user))
                   OR %I = ANY ((SELECT inclusion.schools_of(current_user))::integer[]))$p$, target, scope, scope);
        PERFORM inclusion.audit(target);
    END
    $$;

-- Audits every insert, update and delete on a table (one statement trigger per operation: PostgreSQL allows
-- transition tables only on single-event triggers).
CREATE FUNCTION inclusion.audit(target regclass) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    BEGIN
        EXECUTE format('CREATE TRIGGER audit_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows '
            'FOR EACH STATEMENT EXECUTE FUNCTION inclusion.audit_statement()', target);
        EXECUTE format('CREATE TRIGGER audit_update AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows '
            'NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION inclusion.audit_statement()', target);
        EXECUTE format('CREATE TRIGGER audit_delete AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows '
            'FOR EACH STATEMENT EXECUTE FUNCTION inclusion.audit_statement()', target);
    END
    $$;
REVOKE EXECUTE ON FUNCTION inclusion.protect(regclass, text), inclusion.audit(regclass) FROM PUBLIC;

-- A school id may change only through the transfer function, which runs as the owner.
CREATE FUNCTION inclusion.refuse_school_change() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    BEGIN
        IF NEW.school_id IS DISTINCT FROM OLD.school_id AND inclusion.role_kind(current_user) <> 'owner' THEN
            RAISE EXCEPTION 'a record''s school changes only through a transfer (pupil leave --destination)'
                USING ERRCODE = 'IN409';
        END IF;
        RETURN NEW;
    END
    $$;
