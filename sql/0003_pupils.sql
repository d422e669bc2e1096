-- inclusiond 0003: pupils, their barriers to learning, and their special educational needs.

-- The UPN check letter (DfE): characters 2-13 weighted 2-13, mod 23, over ABCDEFGHJKLMNPQRTUVWXYZ; a temporary
-- UPN ends in a letter, valued by its place in the same alphabet. The same rule as InclusionCore's UPN, kept
-- here so the database refuses a bad UPN whoever writes it.
CREATE FUNCTION inclusion.upn_is_valid(upn text) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
        SELECT upn ~ '^[A-HJ-NP-RT-Z][0-9]{11}[0-9A-HJ-NP-RT-Z]$'
           AND substr('ABCDEFGHJKLMNPQRTUVWXYZ', (
                   (SELECT sum(CASE WHEN substr(upn, i, 1) ~ '[0-9]' THEN substr(upn, i, 1)::integer
                                    ELSE strpos('ABCDEFGHJKLMNPQRTUVWXYZ', substr(upn, i, 1)) - 1 END * i)
                    FROM generate_series(2, 13) i)::integer % 23) + 1, 1) = substr(upn, 1, 1)
    $$;

CREATE TABLE inclusion.pupil (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id           integer NOT NULL REFERENCES inclusion.school (id),
    upn                 text NOT NULL CONSTRAINT pupil_upn_valid CHECK (inclusion.upn_is_valid(upn)),
    given_name          text NOT NULL CHECK (length(given_name) BETWEEN 1 AND 100),
    family_name         text NOT NULL CHECK (length(family_name) BETWEEN 1 AND 100),
    date_of_birth       date NOT NULL,
    year_group          text NOT NULL CHECK (year_group IN ('N1', 'N2', 'R', '1', '2', '3', '4', '5', '6', '7', '8',
                            '9', '10', '11', '12', '13', '14')),
    -- The academic year (the calendar year of its 1 September) the year group was recorded for.
    academic_year       integer NOT NULL CHECK (academic_year BETWEEN 2000 AND 2100),
    sen_status          char(1) NOT NULL DEFAULT 'N' CHECK (sen_status IN ('N', 'K', 'E')),
    -- The day the status last became K or E: the stable due date of the sen-without-plan alert.
    sen_status_since    date,
    eal                 boolean NOT NULL DEFAULT false,
    pupil_premium       boolean NOT NULL DEFAULT false,
    looked_after        boolean NOT NULL DEFAULT false,
    young_carer         boolean NOT NULL DEFAULT false,
    attendance_concern  boolean NOT NULL DEFAULT false,
    key_worker          name,
    left_on             date,
    destination_urn     integer,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pupil_upn_unique UNIQUE (school_id, upn),
    UNIQUE (school_id, id),
    CONSTRAINT pupil_born_before_recorded CHECK (date_of_birth < make_date(academic_year, 9, 1)),
    CONSTRAINT pupil_destination_needs_leaving CHECK (destination_urn IS NULL OR left_on IS NOT NULL)
);
CREATE INDEX pupil_sen ON inclusion.pupil (school_id, sen_status) WHERE sen_status <> 'N' AND left_on IS NULL;
CREATE INDEX pupil_upn ON inclusion.pupil (upn);

CREATE TABLE inclusion.pupil_need (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id  integer NOT NULL,
    pupil_id   bigint NOT NULL,
    code       text NOT NULL CHECK (code IN ('SPLD', 'MLD', 'SLD', 'PMLD', 'SEMH', 'SLCN', 'HI', 'VI', 'MSI', 'PD',
                   'ASD', 'OTH', 'NSA', 'DS')),
    rank       text NOT NULL CHECK (rank IN ('primary', 'secondary')),
    FOREIGN KEY (school_id, pupil_id) REFERENCES inclusion.pupil (school_id, id) ON UPDATE CASCADE ON DELETE CASCADE,
    CONSTRAINT pupil_need_once UNIQUE (school_id, pupil_id, code)
);
CREATE UNIQUE INDEX pupil_need_one_primary ON inclusion.pupil_need (school_id, pupil_id) WHERE rank = 'primary';
-- The commit-time needs check and the audit look needs up by pupil alone.
CREATE INDEX pupil_need_pupil ON inclusion.pupil_need (pupil_id);

-- Needs only for pupils with SEN (K or E), NSA only with SEN support (K). Checked at commit, so a status and its
-- needs can change together in one transaction.
CREATE FUNCTION inclusion.check_needs() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    DECLARE
        pupil bigint;
        status char(1);
    BEGIN
        IF TG_TABLE_NAME = 'pupil' THEN pupil := NEW.id; ELSE pupil := NEW.pupil_id; END IF;
        SELECT p.sen_status INTO status FROM inclusion.pupil p WHERE p.id = pupil;
        IF status = 'N' AND EXISTS (SELECT 1 FROM inclusion.pupil_need n WHERE n.pupil_id = pupil) THEN
            RAISE EXCEPTION 'needs are recorded only for pupils with SEN status K or E' USING ERRCODE = 'IN422',
                COLUMN = 'sen_status';
        END IF;
        IF status <> 'K' AND EXISTS (SELECT 1 FROM inclusion.pupil_need n WHERE n.pupil_id = pupil AND n.code = 'NSA') THEN
            RAISE EXCEPTION 'NSA (SEN support but no specialist assessment) is only for SEN status K'
                USING ERRCODE = 'IN422', COLUMN = 'primary_need';
        END IF;
        RETURN NULL;
    END
    $$;
CREATE CONSTRAINT TRIGGER pupil_need_rules AFTER INSERT OR UPDATE ON inclusion.pupil_need
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION inclusion.check_needs();
CREATE CONSTRAINT TRIGGER pupil_status_rules AFTER UPDATE OF sen_status ON inclusion.pupil
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (NEW.sen_status IS DISTINCT FROM OLD.sen_status)
    EXECUTE FUNCTION inclusion.check_needs();

-- Keeps updated_at and sen_status_since honest whoever writes.
CREATE FUNCTION inclusion.pupil_touch() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, inclusion, pg_temp
    AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            IF NEW.sen_status <> 'N' THEN
                NEW.sen_status_since := coalesce(NEW.sen_status_since, current_date);
            ELSE
                NEW.sen_status_since := NULL;
            END IF;
        ELSE
            NEW.updated_at := now();
            IF NEW.sen_status = 'N' THEN
                NEW.sen_status_since := NULL;
            ELSIF OLD.sen_status = 'N' THEN
                NEW.sen_status_since := coalesce(NEW.sen_status_since, current_date);
            END IF;
        END IF;
        RETURN NEW;
    END
    $$;
CREATE TRIGGER pupil_touch BEFORE INSERT OR UPDATE ON inclusion.pupil
    FOR EACH ROW EXECUTE FUNCTION inclusion.pupil_touch();
CREATE TRIGGER pupil_school_fixed BEFORE UPDATE OF school_id ON inclusion.pupil
    FOR EACH ROW EXECUTE FUNCTION inclusion.refuse_school_change();

SELECT inclusion.protect('inclusion.pupil');
SELECT inclusion.protect('inclusion.pupil_need');
SELECT inclusion.grant_to(ARRAY['admin', 'senco'], 'SELECT, INSERT, UPDATE, DELETE', 'inclusion.pupil');
SELECT inclusion.grant_to(ARRAY['admin', 'senco'], 'SELECT, INSERT, UPDATE, DELETE', 'inclusion.pupil_need');
SELECT inclusion.grant_to(ARRAY['staff', 'service'], 'SELECT', 'inclusion.pupil');
SELECT inclusion.grant_to(ARRAY['staff', 'service'], 'SELECT', 'inclusion.pupil_need');
