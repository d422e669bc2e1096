-- inclusiond 0008: the control plane. Daemon instances and their heartbeats, jobs, runs (one per schedule slot,
-- claimed exactly once however many daemons run), and control requests (reload). NOTIFY only wakes listeners:
-- payloads are opaque ids.

CREATE TABLE inclusion.daemon_instance (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    host                text NOT NULL,
    pid                 integer NOT NULL,
    version             text NOT NULL,
    started_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    heartbeat_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    heartbeat_interval  interval NOT NULL CHECK (heartbeat_interval > '0'::interval),
    stopped_at          timestamptz
);
CREATE INDEX daemon_instance_live ON inclusion.daemon_instance (heartbeat_at) WHERE stopped_at IS NULL;

-- An instance is live while its last heartbeat is under three intervals old.
CREATE VIEW inclusion.daemon_status WITH (security_invoker = true) AS
    SELECT i.*, i.stopped_at IS NULL AND i.heartbeat_at > clock_timestamp() - 3 * i.heartbeat_interval AS live
    FROM inclusion.daemon_instance i;

CREATE TABLE inclusion.job (
    name         text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9-]{0,62}$'),
    schedule     text NOT NULL,
    paused       boolean NOT NULL DEFAULT false,
    changed_at   timestamptz NOT NULL DEFAULT now(),
    changed_by   name
);

CREATE TABLE inclusion.job_run (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job               text NOT NULL REFERENCES inclusion.job (name),
    scheduled_for     timestamptz NOT NULL,
    manual            boolean NOT NULL DEFAULT false,
    requested_by      name,
    as_of             date,
    state             text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'succeeded', 'dead')),
    attempt           integer NOT NULL DEFAULT 0 CHECK (attempt >= 0),
    max_attempts      integer NOT NULL CHECK (max_attempts >= 1),
    run_after         timestamptz NOT NULL DEFAULT clock_timestamp(),
    instance_id       bigint REFERENCES inclusion.daemon_instance (id),
    lease_expires_at  timestamptz,
    started_at        timestamptz,
    finished_at       timestamptz,
    -- What went wrong, in the daemon's own words: ids and error kinds, never pupil data.
    last_error        text,
    created_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    -- instance_id is the instance that ran (or runs) the latest attempt; only a running run holds a lease.
    CONSTRAINT job_run_running_has_lease CHECK ((state = 'running') = (lease_expires_at IS NOT NULL)
        AND (state <> 'running' OR instance_id IS NOT NULL))
);
-- The slot key: a scheduled (job, time) is claimed by exactly one row, whoever inserts it first. Manual runs are
-- runs of their own, outside the key.
CREATE UNIQUE INDEX job_run_slot ON inclusion.job_run (job, scheduled_for) WHERE NOT manual;
CREATE INDEX job_run_pending ON inclusion.job_run (run_after) WHERE state = 'pending';
CREATE INDEX job_run_running ON inclusion.job_run (lease_expires_at) WHERE state = 'running';
CREATE INDEX job_run_by_job ON inclusion.job_run (job, id DESC);

CREATE TABLE inclusion.control_request (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('reload')),
    requested_by  name NOT NULL DEFAULT session_user,
    requested_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TABLE inclusion.control_ack (
    request_id   bigint NOT NULL REFERENCES inclusion.control_request (id),
    instance_id  bigint NOT NULL REFERENCES inclusion.daemon_instance (id),
    acked_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    ok           boolean NOT NULL,
    PRIMARY KEY (request_id, instance_id)
);

-- Admin entry points. Each checks the caller and wakes the daemons with an id-only NOTIFY.
CREATE FUNCTION inclusion.job_request_run(job_name text, as_of date) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    DECLARE run bigint;
    BEGIN
        IF coalesce(inclusion.role_kind(session_user) NOT IN ('owner', 'admin', 'service'), true) THEN
            RAISE EXCEPTION 'only admins may run jobs' USING ERRCODE = 'IN403';
        END IF;
        IF NOT EXISTS (SELECT 1 FROM inclusion.job WHERE name = job_name) THEN
            RAISE EXCEPTION 'no job of that name is known to the daemons' USING ERRCODE = 'IN404', COLUMN = 'job';
        END IF;
        INSERT INTO inclusion.job_run (job, scheduled_for, manual, requested_by, as_of, max_attempts)
            VALUES (job_name, clock_timestamp(), true, session_user, as_of,
                    coalesce((SELECT max(max_attempts) FROM inclusion.job_run WHERE job = job_name AND NOT manual), 3))
            RETURNING id INTO run;
        PERFORM pg_notify('inclusion_control', 'run:' || run);
        RETURN run;
    END
    $$;

CREATE FUNCTION inclusion.job_set_paused(job_name text, pause boolean) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    BEGIN
        IF coalesce(inclusion.role_kind(session_user) NOT IN ('owner', 'admin', 'service'), true) THEN
            RAISE EXCEPTION 'only admins may pause or resume jobs' USING ERRCODE = 'IN403';
        END IF;
        UPDATE inclusion.job SET paused = pause, changed_at = now(), changed_by = session_user WHERE name = job_name;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'no job of that name is known to the daemons' USING ERRCODE = 'IN404', COLUMN = 'job';
        END IF;
        PERFORM pg_notify('inclusion_control', 'job:' || job_name);
    END
    $$;

CREATE FUNCTION inclusion.request_reload() RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    DECLARE request bigint;
    BEGIN
        IF coalesce(inclusion.role_kind(session_user) NOT IN ('owner', 'admin', 'service'), true) THEN
            RAISE EXCEPTION 'only admins may reload the daemons' USING ERRCODE = 'IN403';
        END IF;
        INSERT INTO inclusion.control_request (kind) VALUES ('reload') RETURNING id INTO request;
        PERFORM pg_notify('inclusion_control', 'reload:' || request);
        RETURN request;
    END
    $$;

REVOKE EXECUTE ON FUNCTION inclusion.job_request_run(text, date), inclusion.job_set_paused(text, boolean),
    inclusion.request_reload() FROM PUBLIC;
DO $$
BEGIN
    EXECUTE format('GRANT EXECUTE ON FUNCTION inclusion.job_request_run(text, date), '
        'inclusion.job_set_paused(text, boolean), inclusion.request_reload() TO %I, %I',
        inclusion.group_role('admin'), inclusion.group_role('service'));
END
$$;

SELECT inclusion.grant_to(ARRAY['admin'], 'SELECT', 'inclusion.daemon_instance');
SELECT inclusion.grant_to(ARRAY['admin'], 'SELECT', 'inclusion.daemon_status');
SELECT inclusion.grant_to(ARRAY['admin'], 'SELECT', 'inclusion.job');
SELECT inclusion.grant_to(ARRAY['admin'], 'SELECT', 'inclusion.job_run');
SELECT inclusion.grant_to(ARRAY['admin'], 'SELECT', 'inclusion.control_request');
SELECT inclusion.grant_to(ARRAY['admin'], 'SELECT', 'inclusion.control_ack');
SELECT inclusion.grant_to(ARRAY['service'], 'SELECT, INSERT, UPDATE', 'inclusion.daemon_instance');
SELECT inclusion.grant_to(ARRAY['service'], 'SELECT', 'inclusion.daemon_status');
SELECT inclusion.grant_to(ARRAY['service'], 'SELECT, INSERT, UPDATE', 'inclusion.job');
SELECT inclusion.grant_to(ARRAY['service'], 'SELECT, INSERT, UPDATE', 'inclusion.job_run');
SELECT inclusion.grant_to(ARRAY['service'], 'SELECT', 'inclusion.control_request');
SELECT inclusion.grant_to(ARRAY['service'], 'SELECT, INSERT', 'inclusion.control_ack');

-- The daemon checks the schema's version and compatibility at start; admins read them with `db status`.
SELECT inclusion.grant_to(ARRAY['admin', 'service'], 'SELECT', 'inclusion.schema_migration');
SELECT inclusion.grant_to(ARRAY['admin', 'service'], 'SELECT', 'inclusion.setting');
