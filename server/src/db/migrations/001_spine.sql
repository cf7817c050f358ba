-- The spine: divisions, the agency tree, the catalogue, staff, complaints and their event chain.
-- All times are timestamptz (UTC); Jalali and Asia/Tehran exist only at the edges.

CREATE TABLE provinces (
  id          serial PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  name_fa     text NOT NULL,
  name_en     text NOT NULL,
  population  integer CHECK (population IS NULL OR population > 0)
);

CREATE TABLE counties (
  id          serial PRIMARY KEY,
  province_id integer NOT NULL REFERENCES provinces(id),
  code        text NOT NULL UNIQUE,
  name_fa     text NOT NULL,
  name_en     text NOT NULL,
  UNIQUE (province_id, id)
);
CREATE INDEX counties_province ON counties (province_id);

CREATE TABLE quality_indicators (
  id          serial PRIMARY KEY,
  code        text NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9_]{1,40}$'),
  pillar      text NOT NULL CHECK (pillar IN ('ease', 'continuity', 'dignity')),
  name_fa     text NOT NULL,
  name_en     text NOT NULL,
  sort_order  integer NOT NULL DEFAULT 0,
  active      boolean NOT NULL DEFAULT true
);

CREATE TABLE categories (
  id             serial PRIMARY KEY,
  code           text NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9_]{1,40}$'),
  name_fa        text NOT NULL,
  name_en        text NOT NULL,
  description_fa text NOT NULL DEFAULT '',
  description_en text NOT NULL DEFAULT '',
  indicator_id   integer NOT NULL REFERENCES quality_indicators(id),
  urgent         boolean NOT NULL,
  -- Hours to answer, on the wall clock (the SLA engine refines this with policies and calendars).
  answer_hours   integer NOT NULL CHECK (answer_hours BETWEEN 1 AND 8760),
  sort_order     integer NOT NULL DEFAULT 0,
  active         boolean NOT NULL DEFAULT true
);

-- The agency tree. `path` is the materialised list of ancestor ids ('/1/7/42/'), so a
-- subtree is one indexed prefix match: the scope of every staff query.
CREATE TABLE units (
  id                 serial PRIMARY KEY,
  code               text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  parent_id          integer REFERENCES units(id),
  kind               text NOT NULL CHECK (kind IN ('ministry', 'organisation', 'provincial_directorate', 'county_office')),
  name_fa            text NOT NULL CHECK (length(name_fa) BETWEEN 2 AND 200),
  name_en            text NOT NULL DEFAULT '',
  name_search        text NOT NULL,
  province_id        integer REFERENCES provinces(id),
  county_id          integer REFERENCES counties(id),
  path               text NOT NULL,
  depth              integer NOT NULL CHECK (depth >= 1),
  active             boolean NOT NULL DEFAULT true,
  inspection_head_id integer,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind IN ('ministry', 'organisation')) = (province_id IS NULL)),
  CHECK ((kind = 'county_office') = (county_id IS NOT NULL)),
  CHECK (kind <> 'ministry' OR parent_id IS NULL),
  CHECK (kind IN ('ministry', 'organisation') OR parent_id IS NOT NULL),
  FOREIGN KEY (province_id, county_id) REFERENCES counties(province_id, id)
);
CREATE INDEX units_path ON units (path text_pattern_ops);
CREATE INDEX units_parent ON units (parent_id);
CREATE INDEX units_place ON units (province_id, county_id) WHERE active;

-- Services an agency delivers (optional catalogue; complaints may name one).
CREATE TABLE services (
  id         serial PRIMARY KEY,
  agency_id  integer NOT NULL REFERENCES units(id),
  code       text NOT NULL UNIQUE,
  name_fa    text NOT NULL,
  name_en    text NOT NULL DEFAULT '',
  active     boolean NOT NULL DEFAULT true
);

CREATE TABLE staff_users (
  id             serial PRIMARY KEY,
  username       text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
  display_name   text NOT NULL,
  password_hash  text NOT NULL,
  totp_secret    text,
  totp_enabled   boolean NOT NULL DEFAULT false,
  role           text NOT NULL CHECK (role IN ('national_admin', 'provincial_supervisor', 'inspection_head',
                   'leader_senior', 'leader_middle', 'leader_county', 'responder', 'operator', 'auditor')),
  unit_id        integer REFERENCES units(id),
  province_id    integer REFERENCES provinces(id),
  language       text NOT NULL DEFAULT 'fa' CHECK (language IN ('fa', 'en')),
  active         boolean NOT NULL DEFAULT true,
  failed_logins  integer NOT NULL DEFAULT 0,
  locked_until   timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  -- Agency roles live in a unit; supervisors in a province; the national roles need neither.
  CHECK (role NOT IN ('inspection_head', 'leader_senior', 'leader_middle', 'leader_county', 'responder') OR unit_id IS NOT NULL),
  CHECK (role <> 'provincial_supervisor' OR (province_id IS NOT NULL AND unit_id IS NULL)),
  CHECK (role <> 'national_admin' OR (province_id IS NULL AND unit_id IS NULL))
);
CREATE INDEX staff_users_unit ON staff_users (unit_id);
ALTER TABLE units ADD CONSTRAINT units_inspection_head_fk FOREIGN KEY (inspection_head_id) REFERENCES staff_users(id);

CREATE TABLE staff_sessions (
  token_hash  text PRIMARY KEY,
  user_id     integer NOT NULL REFERENCES staff_users(id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);
CREATE INDEX staff_sessions_user ON staff_sessions (user_id);

CREATE TABLE complaints (
  id                 uuid PRIMARY KEY,
  tracking_code      text NOT NULL UNIQUE CHECK (tracking_code ~ '^[1-9][0-9]{11}$'),
  channel            text NOT NULL CHECK (channel IN ('web', 'app', 'sms', 'telegram', 'bale', 'phone', 'open311')),
  status             text NOT NULL CHECK (status IN ('received', 'referred', 'assigned', 'in_progress', 'answered', 'closed', 'rejected')),
  agency_id          integer REFERENCES units(id),
  unit_id            integer REFERENCES units(id),
  unit_path          text,
  office_text        text,
  province_id        integer NOT NULL REFERENCES provinces(id),
  county_id          integer REFERENCES counties(id),
  category_id        integer REFERENCES categories(id),
  service_id         integer REFERENCES services(id),
  urgent             boolean NOT NULL DEFAULT false,
  description        text NOT NULL,
  search             tsvector GENERATED ALWAYS AS (to_tsvector('simple', replace(description, U&'\200C', ' '))) STORED,
  location_lat       double precision CHECK (location_lat BETWEEN -90 AND 90),
  location_lng       double precision CHECK (location_lng BETWEEN -180 AND 180),
  location_text      text,
  confidential       boolean NOT NULL DEFAULT false,
  language           text NOT NULL DEFAULT 'fa' CHECK (language IN ('fa', 'en')),
  country            text NOT NULL DEFAULT 'IR',
  assignee_id        integer REFERENCES staff_users(id),
  operator_id        integer REFERENCES staff_users(id),
  due_at             timestamptz,
  answer             text,
  answered_at        timestamptz,
  closed_at          timestamptz,
  outcome            text CHECK (outcome IN ('satisfied', 'no_rating', 'rejected')),
  reopen_count       integer NOT NULL DEFAULT 0,
  escalation_count   integer NOT NULL DEFAULT 0,
  dissatisfied_count integer NOT NULL DEFAULT 0,
  idempotency_key    text,
  request_hash       text,
  last_seq           integer NOT NULL,
  head_hash          text NOT NULL,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  CHECK (status <> 'received' OR unit_id IS NULL),
  CHECK (status NOT IN ('referred', 'assigned', 'in_progress', 'answered', 'closed') OR unit_id IS NOT NULL),
  CHECK ((unit_id IS NULL) = (unit_path IS NULL)),
  CHECK (agency_id IS NOT NULL OR office_text IS NOT NULL),
  CHECK (status NOT IN ('assigned', 'in_progress') OR assignee_id IS NOT NULL),
  CHECK (status <> 'answered' OR answer IS NOT NULL)
);
-- One complaint per idempotency key (a channel's message id is such a key).
CREATE UNIQUE INDEX complaints_idempotency ON complaints (idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX complaints_unit_path ON complaints (unit_path text_pattern_ops, created_at DESC);
CREATE INDEX complaints_province ON complaints (province_id, created_at DESC);
CREATE INDEX complaints_status ON complaints (status, due_at);
CREATE INDEX complaints_assignee ON complaints (assignee_id) WHERE assignee_id IS NOT NULL;
CREATE INDEX complaints_created ON complaints (created_at DESC);
CREATE INDEX complaints_search ON complaints USING gin (search);

-- Personal data apart from the complaint, so that every read of it is a deliberate,
-- audited query and never rides along with a list.
CREATE TABLE complainant_contacts (
  complaint_id uuid PRIMARY KEY REFERENCES complaints(id),
  phone        text NOT NULL CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  name         text,
  national_id  text CHECK (national_id ~ '^[0-9]{10}$')
);
CREATE INDEX complainant_contacts_phone ON complainant_contacts (phone);

-- The append-only, hash-chained history of every complaint. The complaint row is a
-- projection of these events.
CREATE TABLE complaint_events (
  id            bigserial PRIMARY KEY,
  complaint_id  uuid NOT NULL REFERENCES complaints(id),
  seq           integer NOT NULL CHECK (seq >= 1),
  type          text NOT NULL,
  actor_kind    text NOT NULL CHECK (actor_kind IN ('citizen', 'staff', 'system')),
  actor_id      integer REFERENCES staff_users(id),
  data          jsonb NOT NULL,
  created_at    timestamptz NOT NULL,
  prev_hash     text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  hash          text NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$'),
  UNIQUE (complaint_id, seq),
  CHECK ((actor_kind = 'staff') = (actor_id IS NOT NULL))
);
CREATE INDEX complaint_events_created ON complaint_events (created_at);

CREATE FUNCTION complaint_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'complaint_events is append-only';
END;
$$;
CREATE TRIGGER complaint_events_no_update BEFORE UPDATE OR DELETE ON complaint_events
  FOR EACH ROW EXECUTE FUNCTION complaint_events_append_only();

-- One-time codes that let a citizen open the full view of their complaint.
CREATE TABLE citizen_otps (
  id            bigserial PRIMARY KEY,
  complaint_id  uuid NOT NULL REFERENCES complaints(id),
  code_hash     text NOT NULL,
  attempts      integer NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  consumed_at   timestamptz
);
CREATE INDEX citizen_otps_complaint ON citizen_otps (complaint_id, created_at DESC);

CREATE TABLE citizen_sessions (
  token_hash    text PRIMARY KEY,
  complaint_id  uuid NOT NULL REFERENCES complaints(id),
  expires_at    timestamptz NOT NULL
);
