-- inclusiond 0002: schools, their terms and closures, staff logins and which schools they serve.

CREATE TABLE inclusion.school (
    id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    urn           integer NOT NULL UNIQUE CHECK (urn BETWEEN 100000 AND 999999),
    name          text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200 AND strpos(name, chr(9)) = 0),
    la_number     integer NOT NULL CHECK (la_number BETWEEN 100 AND 999),
    estab_number  integer CHECK (estab_number BETWEEN 1000 AND 9999),
    -- Year groups that end a phase here, for the phase-transfer rule (DESIGN §4).
    final_years   text[] NOT NULL DEFAULT ARRAY['6', '11'],
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE inclusion.term (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id  integer NOT NULL REFERENCES inclusion.school (id),
    name       text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
    first_day  date NOT NULL,
    last_day   date NOT NULL,
    CONSTRAINT term_dates_in_order CHECK (last_day >= first_day),
    CONSTRAINT term_at_most_a_year CHECK (last_day - first_day < 200),
    UNIQUE (school_id, first_day)
);

CREATE TABLE inclusion.closure (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id  integer NOT NULL REFERENCES inclusion.school (id),
    first_day  date NOT NULL,
    last_day   date NOT NULL,
    reason     text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 200),
    CONSTRAINT closure_dates_in_order CHECK (last_day >= first_day),
    UNIQUE (school_id, first_day)
);

-- Terms of one school may not overlap; closures must lie inside one of its terms.
CREATE FUNCTION inclusion.check_calendar() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    BEGIN
        -- Reversed dates are the CHECK constraints' to report, with their own words.
        IF NEW.last_day < NEW.first_day THEN
            RETURN NEW;
        END IF;
        -- One writer per school at a time, to commit: two concurrent overlapping terms cannot both pass.
        PERFORM pg_advisory_xact_lock(7263513, NEW.school_id);
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
CREATE TRIGGER term_no_overlap BEFORE INSERT OR UPDATE ON inclusion.term
    FOR EACH ROW EXECUTE FUNCTION inclusion.check_calendar();
CREATE TRIGGER closure_inside_term BEFORE INSERT OR UPDATE ON inclusion.closure
    FOR EACH ROW EXECUTE FUNCTION inclusion.check_calendar();

CREATE TABLE inclusion.staff (
    id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    login         name NOT NULL UNIQUE,
    display_name  text NOT NULL CHECK (length(btrim(display_name)) BETWEEN 1 AND 200),
    role          text NOT NULL CHECK (role IN ('admin', 'senco', 'staff', 'readonly', 'service')),
    email         text CHECK (email ~ '^[^@\s]+@[^@\s]+$'),
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    name NOT NULL DEFAULT session_user,
    disabled_at   timestamptz
);

CREATE TABLE inclusion.staff_school (
    id         integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    staff_id   integer NOT NULL REFERENCES inclusion.staff (id),
    school_id  integer NOT NULL REFERENCES inclusion.school (id),
    UNIQUE (staff_id, school_id)
);

-- The schools mapped to a login: the heart of every row policy.
CREATE FUNCTION inclusion.schools_of(who name) RETURNS integer[]
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
        SELECT coalesce(array_agg(m.school_id), '{}')
        FROM inclusion.staff s JOIN inclusion.staff_school m ON m.staff_id = s.id
        WHERE s.login = who AND s.disabled_at IS NULL
    $$;
REVOKE EXECUTE ON FUNCTION inclusion.schools_of(name) FROM PUBLIC;

DO $$
DECLARE kind text;
BEGIN
    FOREACH kind IN ARRAY ARRAY['admin', 'senco', 'staff', 'readonly', 'service'] LOOP
        EXECUTE format('GRANT EXECUTE ON FUNCTION inclusion.schools_of(name), inclusion.sees_all_schools(name), '
            'inclusion.is_staff_only(name), inclusion.role_kind(name) TO %I', inclusion.group_role(kind));
    END LOOP;
END
$$;

-- A school is scoped by its own id.
SELECT inclusion.protect('inclusion.school', 'id');
SELECT inclusion.protect('inclusion.term');
SELECT inclusion.protect('inclusion.closure');
SELECT inclusion.audit('inclusion.staff');
SELECT inclusion.audit('inclusion.staff_school');

SELECT inclusion.grant_to(ARRAY['admin'], 'SELECT, INSERT, UPDATE', 'inclusion.school');
SELECT inclusion.grant_to(ARRAY['senco', 'staff', 'service'], 'SELECT', 'inclusion.school');
SELECT inclusion.grant_to(ARRAY['admin', 'senco'], 'SELECT, INSERT, UPDATE, DELETE', 'inclusion.term');
SELECT inclusion.grant_to(ARRAY['admin', 'senco'], 'SELECT, INSERT, UPDATE, DELETE', 'inclusion.closure');
SELECT inclusion.grant_to(ARRAY['staff', 'service'], 'SELECT', 'inclusion.term');
SELECT inclusion.grant_to(ARRAY['staff', 'service'], 'SELECT', 'inclusion.closure');
SELECT inclusion.grant_to(ARRAY['admin', 'service'], 'SELECT', 'inclusion.staff');
SELECT inclusion.grant_to(ARRAY['admin', 'service'], 'SELECT', 'inclusion.staff_school');

-- Adds a person: creates their login role (NOSUPERUSER NOCREATEROLE, in exactly one of our group roles) and maps
-- it to schools. The one audited place where SQL is composed: identifiers with %I, the password verifier with %L
-- (clients send a SCRAM verifier computed by libpq, never the password itself). Admins need no CREATEROLE:
-- this function runs as the owner, who has it.
CREATE FUNCTION inclusion.staff_add(login name, display_name text, kind text, schools integer[], email text,
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
        IF kind IN ('senco', 'staff', 'readonly') AND coalesce(cardinality(schools), 0) = 0 THEN
            RAISE EXCEPTION 'a % login needs at least one --school', kind USING ERRCODE = 'IN422', COLUMN = 'school';
        END IF;
        SELECT count(*) INTO unknown FROM unnest(schools) s(id) WHERE NOT EXISTS (SELECT 1 FROM inclusion.school WHERE school.id = s.id);
        IF unknown > 0 THEN
            RAISE EXCEPTION 'no such school' USING ERRCODE = 'IN404', COLUMN = 'school';
        END IF;
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login) THEN
            RAISE EXCEPTION 'a database role with this login already exists (logins are never reused)'
                USING ERRCODE = 'IN409', COLUMN = 'login';
        END IF;
        EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS IN ROLE %I',
            login, inclusion.group_role(kind));
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

-- Disables a person: NOLOGIN, no password, out of the group, no school mappings. The role is never dropped, so a
-- reused name cannot inherit its history.
CREATE FUNCTION inclusion.staff_disable(who name) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    DECLARE
        person inclusion.staff;
    BEGIN
        IF coalesce(inclusion.role_kind(session_user) NOT IN ('owner', 'admin'), true) THEN
            RAISE EXCEPTION 'only admins may disable staff' USING ERRCODE = 'IN403';
        END IF;
        SELECT * INTO person FROM inclusion.staff WHERE login = who;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'no staff member has this login' USING ERRCODE = 'IN404', COLUMN = 'login';
        END IF;
        IF who = session_user THEN
            RAISE EXCEPTION 'you cannot disable your own login' USING ERRCODE = 'IN409', COLUMN = 'login';
        END IF;
        EXECUTE format('ALTER ROLE %I NOLOGIN PASSWORD NULL', who);
        EXECUTE format('REVOKE %I FROM %I', inclusion.group_role(person.role), who);
        DELETE FROM inclusion.staff_school WHERE staff_id = person.id;
        UPDATE inclusion.staff SET disabled_at = now() WHERE id = person.id AND disabled_at IS NULL;
    END
    $$;

REVOKE EXECUTE ON FUNCTION inclusion.staff_add(name, text, text, integer[], text, text),
    inclusion.staff_disable(name) FROM PUBLIC;
DO $$
BEGIN
    EXECUTE format('GRANT EXECUTE ON FUNCTION inclusion.staff_add(name, text, text, integer[], text, text), '
        'inclusion.staff_disable(name) TO %I', inclusion.group_role('admin'));
END
$$;
