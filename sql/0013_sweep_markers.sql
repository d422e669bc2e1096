-- inclusiond 0013: per-school change markers, so that a sweep of a school whose records have not changed since
-- its last sweep as of the same day, with the same rules, is skipped (issue 8: a second sweep with nothing
-- changed costs a small fraction of a full one).
--
-- Every change the rules could see passes through an audited table (pupils, plans, interventions and their
-- sessions, cases and notes, reviews, terms, closures, phase transfers), and so through audit_statement, which
-- already knows each event's school: it now also bumps that school's version, once per statement. A person's
-- action on an alert (alert_act) bumps it too. The sweep records, per school, the day it judged as of, the
-- version it read and the settings it judged by (`school_sweep`); the next sweep skips a school whose three are
-- unchanged. The version row is locked to commit like the audit chain's head, which already serialises writers.

CREATE TABLE inclusion.school_change (
    school_id   integer PRIMARY KEY REFERENCES inclusion.school (id),
    version     bigint NOT NULL DEFAULT 1,
    changed_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE inclusion.school_change IS
    'Bumped by the audit trigger and alert_act whenever a school''s records change; read by the review sweep.';

CREATE TABLE inclusion.school_sweep (
    school_id   integer PRIMARY KEY REFERENCES inclusion.school (id),
    as_of       date NOT NULL,
    version     bigint NOT NULL,
    -- The rules' settings and the sweep's own version, as the daemon wrote them: a reload or an upgrade sweeps again.
    settings    text NOT NULL CHECK (length(settings) <= 2000),
    swept_at    timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE inclusion.school_sweep IS
    'What each school''s last completed sweep judged: as of which day, at which change version, with which rules.';

-- Owner-only: called from the audit trigger and alert_act (both run as the owner).
CREATE FUNCTION inclusion.school_changed(schools integer[]) RETURNS void
    LANGUAGE sql
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
        INSERT INTO inclusion.school_change AS c (school_id)
        SELECT DISTINCT s FROM unnest(schools) s JOIN inclusion.school k ON k.id = s
        ON CONFLICT (school_id) DO UPDATE SET version = c.version + 1, changed_at = now()
    $$;

CREATE OR REPLACE FUNCTION inclusion.audit_statement() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    DECLARE
        block  bigint;
        events bigint;
        digest bytea;
        schools integer[];
    BEGIN
        IF TG_TABLE_SCHEMA <> 'inclusion' THEN
            RAISE EXCEPTION 'this trigger function belongs to inclusiond''s own tables' USING ERRCODE = 'IN403';
        END IF;
        -- One writer at a time extends the chain, held to commit: chain order is commit order.
        PERFORM 1 FROM inclusion.audit_chain_head FOR UPDATE;
        block := nextval('inclusion.audit_block_seq');
        -- One INSERT … SELECT per statement; its RETURNING yields each event's digest, which the block's digest
        -- aggregates, so the seal never reads the events back.
        IF TG_OP = 'INSERT' THEN
            WITH written AS (
                INSERT INTO inclusion.audit_event AS e (block_id, table_name, operation, row_id, pupil_id, school_id,
                        payload, payload_hash)
                    SELECT block, TG_TABLE_NAME, TG_OP, (j ->> 'id')::bigint,
                           CASE WHEN TG_TABLE_NAME = 'pupil' THEN (j ->> 'id')::bigint
                                WHEN j ? 'pupil_id' THEN (j ->> 'pupil_id')::bigint
                                ELSE inclusion.audit_pupil(TG_TABLE_NAME, j) END,
                           (j ->> 'school_id')::integer, p, inclusion.payload_hash(p)
                    FROM (SELECT j, jsonb_build_object('new', j) AS p
                          FROM (SELECT to_jsonb(n) AS j FROM new_rows n) rows_in) r
                    RETURNING e.id, e.school_id, inclusion.audit_event_digest(e) AS digest)
            SELECT count(*), sha256(coalesce(string_agg(w.digest, ''::bytea ORDER BY w.id), '\x')),
                   array_agg(DISTINCT w.school_id) FILTER (WHERE w.school_id IS NOT NULL)
                INTO events, digest, schools FROM written w;
        ELSIF TG_OP = 'UPDATE' THEN
            WITH written AS (
                INSERT INTO inclusion.audit_event AS e (block_id, table_name, operation, row_id, pupil_id, school_id,
                        payload, payload_hash)
                    SELECT block, TG_TABLE_NAME, TG_OP, (nj ->> 'id')::bigint,
                           CASE WHEN TG_TABLE_NAME = 'pupil' THEN (nj ->> 'id')::bigint
                                WHEN nj ? 'pupil_id' THEN (nj ->> 'pupil_id')::bigint
                                ELSE inclusion.audit_pupil(TG_TABLE_NAME, nj) END,
                           (nj ->> 'school_id')::integer, p, inclusion.payload_hash(p)
                    FROM (SELECT n.nj, jsonb_build_object('old', o.oj, 'new', n.nj) AS p
                          FROM (SELECT to_jsonb(n) AS nj FROM new_rows n) n
                          JOIN (SELECT to_jsonb(o) AS oj FROM old_rows o) o ON (o.oj ->> 'id') = (n.nj ->> 'id')) r
                    RETURNING e.id, e.school_id, inclusion.audit_event_digest(e) AS digest)
            SELECT count(*), sha256(coalesce(string_agg(w.digest, ''::bytea ORDER BY w.id), '\x')),
                   array_agg(DISTINCT w.school_id) FILTER (WHERE w.school_id IS NOT NULL)
                INTO events, digest, schools FROM written w;
        ELSE
            WITH written AS (
                INSERT INTO inclusion.audit_event AS e (block_id, table_name, operation, row_id, pupil_id, school_id,
                        payload, payload_hash)
                    SELECT block, TG_TABLE_NAME, TG_OP, (j ->> 'id')::bigint,
                           CASE WHEN TG_TABLE_NAME = 'pupil' THEN (j ->> 'id')::bigint
                                WHEN j ? 'pupil_id' THEN (j ->> 'pupil_id')::bigint
                                ELSE inclusion.audit_pupil(TG_TABLE_NAME, j) END,
                           (j ->> 'school_id')::integer, p, inclusion.payload_hash(p)
                    FROM (SELECT j, jsonb_build_object('old', j) AS p
                          FROM (SELECT to_jsonb(o) AS j FROM old_rows o) rows_out) r
                    RETURNING e.id, e.school_id, inclusion.audit_event_digest(e) AS digest)
            SELECT count(*), sha256(coalesce(string_agg(w.digest, ''::bytea ORDER BY w.id), '\x')),
                   array_agg(DISTINCT w.school_id) FILTER (WHERE w.school_id IS NOT NULL)
                INTO events, digest, schools FROM written w;
        END IF;
        IF events > 0 THEN
            PERFORM inclusion.audit_seal(block, events, digest);
        END IF;
        IF schools IS NOT NULL THEN
            PERFORM inclusion.school_changed(schools);
        END IF;
        RETURN NULL;
    END
    $$;

-- A person's acknowledgement, snooze or resolution changes what the next sweep decides (a resolved alert whose
-- condition persists is raised again; an acknowledged one no longer escalates).
CREATE FUNCTION inclusion.alert_act_changed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    DECLARE
        schools integer[];
    BEGIN
        PERFORM inclusion.trigger_guard(TG_TABLE_SCHEMA, TG_TABLE_NAME, ARRAY['alert_transition']);
        -- The sweep's own transitions (the service's) are what it decided from the records: not a change.
        IF inclusion.role_kind(session_user) IS NOT DISTINCT FROM 'service' THEN
            RETURN NULL;
        END IF;
        SELECT array_agg(DISTINCT t.school_id) INTO schools FROM new_transitions t
        WHERE t.action IN ('acknowledged', 'snoozed', 'resolved');
        IF schools IS NOT NULL THEN
            PERFORM inclusion.school_changed(schools);
        END IF;
        RETURN NULL;
    END
    $$;
CREATE TRIGGER alert_act_changed AFTER INSERT ON inclusion.alert_transition
    REFERENCING NEW TABLE AS new_transitions
    FOR EACH STATEMENT EXECUTE FUNCTION inclusion.alert_act_changed();

SELECT inclusion.grant_to(ARRAY['service'], 'SELECT', 'inclusion.school_change');
SELECT inclusion.grant_to(ARRAY['service'], 'SELECT, INSERT, UPDATE', 'inclusion.school_sweep');
SELECT inclusion.grant_to(ARRAY['admin'], 'SELECT', 'inclusion.school_sweep');
SELECT inclusion.apply_function_grants();
