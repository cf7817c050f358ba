-- One live notification per transaction (issue 13, "One way a complaint changes").
-- Migration 013 announced every complaint event with a row trigger: a pg_notify per event row,
-- each an entry in the one notification queue that every notifying commit takes a global lock
-- on. The unit of work (server/src/events/unit-of-work.ts) now sends one NOTIFY at the end of
-- each transaction carrying all its event ids ('e12,13,15'); the intake statement sends its
-- own in the same statement. Hotspot alerts are rare and keep their trigger.
DROP TRIGGER IF EXISTS complaint_events_live ON complaint_events;
