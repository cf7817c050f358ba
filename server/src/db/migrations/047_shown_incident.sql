-- 047: the incident a complaint's public status shows, as a column of the complaint (issue 14).
--
-- The public tracking lookup (tracking/store.ts) is the hottest read of the system. It showed
-- the incident of the complaint's newest link that is current or ended by the incident's
-- closing, through a sorted join of incident_links and incidents run on every lookup — in
-- pgbench that subquery cost the read a third of its rate, for the ~100 % of complaints that
-- are in no incident. The incident store now keeps that answer here in the same transaction
-- that links or unlinks (incidents/incident-store.ts refreshShownIncident); closing an incident
-- ends its links as 'closed', which are still shown, so closing changes nothing here.
-- A derived value, so no foreign key (no lock on the incident's row per lookup or per link).
--
-- Runs online: ADD COLUMN without a default changes only the catalog, and the backfill touches
-- only the complaints that were ever in an incident (found through incident_links' index).
ALTER TABLE complaints ADD COLUMN IF NOT EXISTS shown_incident_id integer;

UPDATE complaints c SET shown_incident_id = s.incident_id
  FROM (SELECT DISTINCT ON (complaint_id) complaint_id, incident_id FROM incident_links
         WHERE ended_at IS NULL OR ended_how = 'closed' ORDER BY complaint_id, linked_at DESC, id DESC) s
 WHERE c.id = s.complaint_id AND c.shown_incident_id IS DISTINCT FROM s.incident_id;
