-- 032: incidents — one cause, many complaints (issue 15). When an e-service goes down, staff open
-- one incident for the complaints that say so; new complaints at that organisation that say the
-- same thing are linked as they arrive; closing it answers every linked complaint once.
--
-- An incident keeps the scope of whoever opened it (their unit's subtree and province, as
-- `complaintScope` reads them): complaints linked on arrival come only from inside it, so the
-- staff who opened an incident can always close it.
CREATE TABLE incidents (
  id               serial PRIMARY KEY,
  organisation_id  integer NOT NULL REFERENCES units(id),
  -- What the citizen's SMS and the public tracking page show: no personal data, set by staff.
  title_fa         text NOT NULL CHECK (char_length(btrim(title_fa)) BETWEEN 5 AND 200),
  public_status    text NOT NULL DEFAULT 'handling' CHECK (public_status IN ('investigating', 'handling', 'resolved')),
  scope_unit_path  text CHECK (scope_unit_path IS NULL OR scope_unit_path ~ '^/([0-9]+/)+$'),
  scope_province_id integer REFERENCES provinces(id),
  opened_by        integer NOT NULL REFERENCES staff_users(id),
  opened_at        timestamptz NOT NULL,
  -- The arrival check has compared every complaint filed up to here (less a margin for late commits).
  checked_until    timestamptz NOT NULL,
  answer           text CHECK (answer IS NULL OR char_length(btrim(answer)) >= 10),
  closed_by        integer REFERENCES staff_users(id),
  closed_at        timestamptz,
  CHECK ((closed_at IS NULL) = (closed_by IS NULL) AND (closed_at IS NULL) = (answer IS NULL)),
  CHECK ((closed_at IS NULL) = (public_status <> 'resolved')),
  CHECK (closed_at IS NULL OR closed_at >= opened_at)
);
CREATE INDEX incidents_open ON incidents (organisation_id) WHERE closed_at IS NULL;

-- A complaint's membership of an incident: current while ended_at is NULL. Rows are kept when a
-- link ends (unlinked by staff, or the incident closed) so the history stays.
CREATE TABLE incident_links (
  id            serial PRIMARY KEY,
  incident_id   integer NOT NULL REFERENCES incidents(id),
  complaint_id  uuid NOT NULL REFERENCES complaints(id),
  -- 'opened': chosen when the incident was opened; 'arrival': linked by the similarity check.
  how           text NOT NULL CHECK (how IN ('opened', 'arrival')),
  linked_by     integer REFERENCES staff_users(id),
  linked_at     timestamptz NOT NULL,
  ended_at      timestamptz,
  ended_how     text CHECK (ended_how IN ('unlinked', 'closed')),
  ended_by      integer REFERENCES staff_users(id),
  CHECK ((how = 'arrival') = (linked_by IS NULL)),
  CHECK ((ended_at IS NULL) = (ended_how IS NULL)),
  CHECK (ended_at IS NULL OR ended_at >= linked_at)
);
-- A complaint is in at most one open incident.
CREATE UNIQUE INDEX incident_links_current ON incident_links (complaint_id) WHERE ended_at IS NULL;
CREATE INDEX incident_links_incident ON incident_links (incident_id);
-- Unlinked once from an incident: never linked to it again by the arrival check.
CREATE INDEX incident_links_complaint ON incident_links (complaint_id, incident_id);
