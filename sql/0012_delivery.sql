-- inclusiond 0012: alert delivery (DESIGN §6), a transactional outbox.
--
-- Every alert transition that a channel carries writes that channel's delivery row in the same transaction as the
-- transition itself (a statement trigger on alert_transition), so an alert can never exist without its deliveries,
-- nor a delivery without its alert. The daemon's delivery service claims due rows with SKIP LOCKED under a short
-- lease, sends them, and records the outcome. Delivery is at least once: a daemon killed mid-send leaves the row
-- claimed until the lease ends, and the next claim sends it again under the same id (webhook-id, Message-ID).
--
-- The journal and NOTIFY inclusion_alert are not rows here: NOTIFY is itself transactional (sent at commit, never
-- for a rolled-back sweep), and the journal line is written by the sweep's job after each school commits.

-- The channels the daemons' configuration names: 'email', and 'webhook:NAME' per alerts.webhook.NAME. The daemon
-- records them at start-up and on every reload; a channel no longer configured keeps its rows but gets no new ones.
-- A webhook endpoint that answered 410 Gone is disabled here until an admin runs `alert webhook enable NAME`.
CREATE TABLE inclusion.delivery_channel (
    name             text PRIMARY KEY CHECK (name = 'email' OR name ~ '^webhook:[a-z0-9][a-z0-9_-]{0,62}$'),
    configured       boolean NOT NULL DEFAULT true,
    disabled_at      timestamptz,
    disabled_reason  text CHECK (length(disabled_reason) BETWEEN 1 AND 200),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT delivery_channel_disabled_why CHECK ((disabled_at IS NULL) = (disabled_reason IS NULL))
);

CREATE TABLE inclusion.alert_delivery (
    -- The stable id every attempt carries (webhook-id; the email's Message-ID).
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    school_id        integer NOT NULL,
    alert_id         bigint NOT NULL,
    transition_id    bigint NOT NULL REFERENCES inclusion.alert_transition (id),
    channel          text NOT NULL REFERENCES inclusion.delivery_channel (name),
    event            text NOT NULL CHECK (event IN ('alert.raised', 'alert.escalated', 'alert.resolved')),
    state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),
    attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    -- Set by a claim: no other daemon sends the row until then (a crashed sender's claim simply runs out).
    claimed_until    timestamptz,
    claimed_by       bigint,
    -- Why the last attempt failed, in the daemon's words (a status code, "timeout"): never a response body.
    last_error       text CHECK (length(last_error) BETWEEN 1 AND 200),
    created_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    UNIQUE (transition_id, channel),
    FOREIGN KEY (school_id, alert_id) REFERENCES inclusion.alert (school_id, id),
    CONSTRAINT alert_delivery_finished CHECK ((state = 'pending') = (finished_at IS NULL))
);
CREATE INDEX alert_delivery_due ON inclusion.alert_delivery (next_attempt_at) WHERE state = 'pending';
CREATE INDEX alert_delivery_dead ON inclusion.alert_delivery (finished_at) WHERE state = 'dead';
CREATE INDEX alert_delivery_alert ON inclusion.alert_delivery (alert_id);

ALTER TABLE inclusion.alert_delivery ENABLE ROW LEVEL SECURITY;
ALTER TABLE inclusion.alert_delivery FORCE ROW LEVEL SECURITY;
CREATE POLICY school_scope ON inclusion.alert_delivery
    USING ((SELECT inclusion.sees_all_schools(current_user))
           OR school_id = ANY ((SELECT inclusion.schools_of(current_user))::integer[]))
    WITH CHECK ((SELECT inclusion.sees_all_schools(current_user))
           OR school_id = ANY ((SELECT inclusion.schools_of(current_user))::integer[]));

-- The service sends and records; admins and SENCOs read their schools' deliveries (ids, channels, states and
-- status codes: nothing about pupils) and redeliver through the function below. Staff and governors see none.
SELECT inclusion.grant_to(ARRAY['service'], 'SELECT, UPDATE', 'inclusion.alert_delivery');
SELECT inclusion.grant_to(ARRAY['admin', 'senco'], 'SELECT', 'inclusion.alert_delivery');
SELECT inclusion.grant_to(ARRAY['service'], 'SELECT, INSERT, UPDATE', 'inclusion.delivery_channel');
SELECT inclusion.grant_to(ARRAY['admin', 'senco'], 'SELECT', 'inclusion.delivery_channel');

-- The outbox: one delivery per transition a configured, enabled channel carries. Webhooks carry every raise,
-- escalation and resolution; email carries a raise or escalation to critical (at once, to the school's SENCOs; the
-- rest reach them in the daily digest). Runs as the owner (the sweep's service login and alert_act both insert
-- transitions; neither may write deliveries directly) and only for its own table. One NOTIFY per statement wakes
-- the delivery services at commit; like every control notification it only makes them look at this table.
CREATE FUNCTION inclusion.alert_outbox() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    DECLARE
        added integer;
    BEGIN
        PERFORM inclusion.trigger_guard(TG_TABLE_SCHEMA, TG_TABLE_NAME, ARRAY['alert_transition']);
        INSERT INTO inclusion.alert_delivery (school_id, alert_id, transition_id, channel, event)
        SELECT t.school_id, t.alert_id, t.id, c.name, 'alert.' || t.action
        FROM new_transitions t
        JOIN inclusion.delivery_channel c ON c.configured AND c.disabled_at IS NULL
        WHERE t.action IN ('raised', 'escalated', 'resolved')
          AND (c.name <> 'email' OR (t.action IN ('raised', 'escalated') AND t.severity = 'critical'));
        GET DIAGNOSTICS added = ROW_COUNT;
        IF added > 0 THEN
            PERFORM pg_notify('inclusion_control', 'delivery:');
        END IF;
        RETURN NULL;
    END
    $$;
CREATE TRIGGER alert_outbox AFTER INSERT ON inclusion.alert_transition
    REFERENCING NEW TABLE AS new_transitions
    FOR EACH STATEMENT EXECUTE FUNCTION inclusion.alert_outbox();

-- `alert redeliver DELIVERY`: a delivered or dead delivery is sent again under the same id, at once. Admins, and
-- SENCOs of its school; one the caller cannot see is "not found", whatever the reason.
CREATE FUNCTION inclusion.alert_redeliver(delivery uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    DECLARE
        target inclusion.alert_delivery;
    BEGIN
        SELECT * INTO target FROM inclusion.alert_delivery d WHERE d.id = delivery FOR UPDATE;
        IF NOT FOUND OR NOT coalesce(inclusion.caller_has_school(target.school_id), false)
                OR coalesce(inclusion.role_kind(session_user) NOT IN ('owner', 'admin', 'senco'), true) THEN
            RAISE EXCEPTION 'no delivery % is visible to your login', delivery USING ERRCODE = 'IN404',
                COLUMN = 'delivery';
        END IF;
        UPDATE inclusion.alert_delivery SET state = 'pending', attempts = 0, next_attempt_at = now(),
            claimed_until = NULL, claimed_by = NULL, finished_at = NULL
        WHERE id = delivery;
        PERFORM pg_notify('inclusion_control', 'delivery:');
    END
    $$;

-- `alert webhook enable NAME`: an endpoint disabled by a 410 (or never known) takes deliveries again; those held
-- while it was disabled are sent on their schedule. Admins only: endpoints serve the whole trust.
CREATE FUNCTION inclusion.webhook_enable(endpoint text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    DECLARE
        was_disabled boolean;
    BEGIN
        IF coalesce(inclusion.role_kind(session_user) NOT IN ('owner', 'admin'), true) THEN
            RAISE EXCEPTION 'only an admin may enable a webhook endpoint' USING ERRCODE = '42501';
        END IF;
        SELECT c.disabled_at IS NOT NULL INTO was_disabled FROM inclusion.delivery_channel c
        WHERE c.name = 'webhook:' || endpoint FOR UPDATE;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'no webhook endpoint % is configured', endpoint USING ERRCODE = 'IN404', COLUMN = 'name';
        END IF;
        UPDATE inclusion.delivery_channel SET disabled_at = NULL, disabled_reason = NULL, updated_at = now()
        WHERE name = 'webhook:' || endpoint;
        UPDATE inclusion.alert_delivery SET next_attempt_at = now()
        WHERE channel = 'webhook:' || endpoint AND state = 'pending' AND next_attempt_at > now();
        PERFORM pg_notify('inclusion_control', 'delivery:');
        RETURN was_disabled;
    END
    $$;

INSERT INTO inclusion.function_grant (function, kinds, why) VALUES
    ('inclusion.alert_redeliver(uuid)', ARRAY['admin', 'senco'], 'alert redeliver'),
    ('inclusion.webhook_enable(text)', ARRAY['admin'], 'alert webhook enable');
SELECT inclusion.apply_function_grants();
