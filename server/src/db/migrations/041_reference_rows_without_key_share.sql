-- Hot reference rows without FOR KEY SHARE (issue 14, MultiXacts).
-- Every complaint names the same few category, county, province, unit and SLA policy rows, and a
-- foreign key check takes FOR KEY SHARE on the row it finds. Two intakes that hold the same row's
-- lock at once make PostgreSQL record both lockers in a MultiXact: bench:multixact measured
-- about 2 MultiXact ids per intake at 50 concurrent intakes, a second wraparound counter that
-- VACUUM must keep freezing at national peaks. Without these keys the same rows cost none.
--
-- The reference rows are never deleted and never re-keyed (they are deactivated instead:
-- categories.active, units and staff are soft-deleted), so the guarantee is kept in two halves
-- that take no row lock:
--   1. the reference tables refuse DELETE and a change of id (trigger below, SQLSTATE 23503);
--   2. the high-churn tables check, on INSERT and when a reference column changes, that the
--      named row exists, with a plain read. A row seen once exists for good (half 1), so a
--      complaint can never name a missing row. A row inserted but not yet committed is not
--      seen and the write fails, where a foreign key would have waited for it.
-- The errors carry the dropped constraints' names, so they read as before.
-- TRUNCATE is not a DELETE: it stays an operator's tool on a database being rebuilt.
--
-- Dropping a foreign key and creating a trigger take their table locks only for a moment; the
-- lock_timeout makes the migration fail instead of queueing traffic behind a long query.
SET LOCAL lock_timeout = '10s';

DO $$
DECLARE
  fk record;
BEGIN
  -- By discovery, not by name: outbox's key is called outbox_recipient_user_id_fkey1 since its
  -- partitioning (035). Keys on partitioned tables are dropped on the parent (conparentid = 0).
  FOR fk IN
    SELECT c.conrelid::regclass AS tbl, c.conname FROM pg_constraint c
    WHERE c.contype = 'f' AND c.conparentid = 0
      AND c.conrelid IN ('complaints'::regclass, 'complaint_events'::regclass, 'sla_timers'::regclass, 'sla_breaches'::regclass, 'outbox'::regclass,
                         'staff_notifications'::regclass)
      AND c.confrelid IN ('units'::regclass, 'categories'::regclass, 'counties'::regclass, 'provinces'::regclass, 'services'::regclass,
                          'sla_policies'::regclass, 'quality_indicators'::regclass, 'staff_users'::regclass)
  LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.tbl, fk.conname);
  END LOOP;
END $$;

-- Half 1: reference rows stay.
CREATE FUNCTION reference_row_stays() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION '% row % is never deleted (complaints and their records may name it): deactivate it instead', TG_TABLE_NAME, OLD.id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RAISE EXCEPTION '% row % keeps its id (complaints and their records may name it)', TG_TABLE_NAME, OLD.id USING ERRCODE = 'foreign_key_violation';
END $$;

CREATE TRIGGER categories_row_stays BEFORE DELETE ON categories FOR EACH ROW EXECUTE FUNCTION reference_row_stays();
CREATE TRIGGER categories_keeps_id BEFORE UPDATE OF id ON categories FOR EACH ROW WHEN (NEW.id IS DISTINCT FROM OLD.id) EXECUTE FUNCTION reference_row_stays();
CREATE TRIGGER counties_row_stays BEFORE DELETE ON counties FOR EACH ROW EXECUTE FUNCTION reference_row_stays();
CREATE TRIGGER counties_keeps_id BEFORE UPDATE OF id ON counties FOR EACH ROW WHEN (NEW.id IS DISTINCT FROM OLD.id) EXECUTE FUNCTION reference_row_stays();
CREATE TRIGGER provinces_row_stays BEFORE DELETE ON provinces FOR EACH ROW EXECUTE FUNCTION reference_row_stays();
CREATE TRIGGER provinces_keeps_id BEFORE UPDATE OF id ON provinces FOR EACH ROW WHEN (NEW.id IS DISTINCT FROM OLD.id) EXECUTE FUNCTION reference_row_stays();
CREATE TRIGGER units_row_stays BEFORE DELETE ON units FOR EACH ROW EXECUTE FUNCTION reference_row_stays();
CREATE TRIGGER units_keeps_id BEFORE UPDATE OF id ON units FOR EACH ROW WHEN (NEW.id IS DISTINCT FROM OLD.id) EXECUTE FUNCTION reference_row_stays();
CREATE TRIGGER services_row_stays BEFORE DELETE ON services FOR EACH ROW EXECUTE FUNCTION reference_row_stays();
CREATE TRIGGER services_keeps_id BEFORE UPDATE OF id ON services FOR EACH ROW WHEN (NEW.id IS DISTINCT FROM OLD.id) EXECUTE FUNCTION reference_row_stays();
CREATE TRIGGER sla_policies_row_stays BEFORE DELETE ON sla_policies FOR EACH ROW EXECUTE FUNCTION reference_row_stays();
CREATE TRIGGER sla_policies_keeps_id BEFORE UPDATE OF id ON sla_policies FOR EACH ROW WHEN (NEW.id IS DISTINCT FROM OLD.id) EXECUTE FUNCTION reference_row_stays();
CREATE TRIGGER quality_indicators_row_stays BEFORE DELETE ON quality_indicators FOR EACH ROW EXECUTE FUNCTION reference_row_stays();
CREATE TRIGGER quality_indicators_keeps_id BEFORE UPDATE OF id ON quality_indicators FOR EACH ROW WHEN (NEW.id IS DISTINCT FROM OLD.id) EXECUTE FUNCTION reference_row_stays();
CREATE TRIGGER staff_users_row_stays BEFORE DELETE ON staff_users FOR EACH ROW EXECUTE FUNCTION reference_row_stays();
CREATE TRIGGER staff_users_keeps_id BEFORE UPDATE OF id ON staff_users FOR EACH ROW WHEN (NEW.id IS DISTINCT FROM OLD.id) EXECUTE FUNCTION reference_row_stays();

-- Half 2: a write names only rows that exist. `missing_reference` raises the foreign key's error.
CREATE FUNCTION missing_reference(tbl text, col text, ref text, id bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'insert or update on table "%" violates foreign key constraint "%_%_fkey"', tbl, tbl, col
    USING ERRCODE = 'foreign_key_violation', CONSTRAINT = tbl || '_' || col || '_fkey', TABLE = tbl, COLUMN = col,
          DETAIL = format('Key (%s)=(%s) is not present in table "%s".', col, id, ref);
END $$;

CREATE FUNCTION complaints_references_exist() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  fresh boolean := TG_OP = 'INSERT';
BEGIN
  IF NEW.agency_id IS NOT NULL AND (fresh OR NEW.agency_id IS DISTINCT FROM OLD.agency_id) AND NOT EXISTS (SELECT 1 FROM units WHERE id = NEW.agency_id) THEN
    PERFORM missing_reference('complaints', 'agency_id', 'units', NEW.agency_id);
  END IF;
  IF NEW.unit_id IS NOT NULL AND (fresh OR NEW.unit_id IS DISTINCT FROM OLD.unit_id) AND NOT EXISTS (SELECT 1 FROM units WHERE id = NEW.unit_id) THEN
    PERFORM missing_reference('complaints', 'unit_id', 'units', NEW.unit_id);
  END IF;
  IF NEW.organisation_id IS NOT NULL AND (fresh OR NEW.organisation_id IS DISTINCT FROM OLD.organisation_id)
     AND NOT EXISTS (SELECT 1 FROM units WHERE id = NEW.organisation_id) THEN
    PERFORM missing_reference('complaints', 'organisation_id', 'units', NEW.organisation_id);
  END IF;
  IF NEW.responsible_unit_id IS NOT NULL AND (fresh OR NEW.responsible_unit_id IS DISTINCT FROM OLD.responsible_unit_id)
     AND NOT EXISTS (SELECT 1 FROM units WHERE id = NEW.responsible_unit_id) THEN
    PERFORM missing_reference('complaints', 'responsible_unit_id', 'units', NEW.responsible_unit_id);
  END IF;
  IF NEW.category_id IS NOT NULL AND (fresh OR NEW.category_id IS DISTINCT FROM OLD.category_id)
     AND NOT EXISTS (SELECT 1 FROM categories WHERE id = NEW.category_id) THEN
    PERFORM missing_reference('complaints', 'category_id', 'categories', NEW.category_id);
  END IF;
  IF NEW.county_id IS NOT NULL AND (fresh OR NEW.county_id IS DISTINCT FROM OLD.county_id) AND NOT EXISTS (SELECT 1 FROM counties WHERE id = NEW.county_id) THEN
    PERFORM missing_reference('complaints', 'county_id', 'counties', NEW.county_id);
  END IF;
  IF NEW.province_id IS NOT NULL AND (fresh OR NEW.province_id IS DISTINCT FROM OLD.province_id)
     AND NOT EXISTS (SELECT 1 FROM provinces WHERE id = NEW.province_id) THEN
    PERFORM missing_reference('complaints', 'province_id', 'provinces', NEW.province_id);
  END IF;
  IF NEW.service_id IS NOT NULL AND (fresh OR NEW.service_id IS DISTINCT FROM OLD.service_id) AND NOT EXISTS (SELECT 1 FROM services WHERE id = NEW.service_id) THEN
    PERFORM missing_reference('complaints', 'service_id', 'services', NEW.service_id);
  END IF;
  IF NEW.sla_policy_id IS NOT NULL AND (fresh OR NEW.sla_policy_id IS DISTINCT FROM OLD.sla_policy_id)
     AND NOT EXISTS (SELECT 1 FROM sla_policies WHERE id = NEW.sla_policy_id) THEN
    PERFORM missing_reference('complaints', 'sla_policy_id', 'sla_policies', NEW.sla_policy_id);
  END IF;
  IF NEW.report_indicator_id IS NOT NULL AND (fresh OR NEW.report_indicator_id IS DISTINCT FROM OLD.report_indicator_id)
     AND NOT EXISTS (SELECT 1 FROM quality_indicators WHERE id = NEW.report_indicator_id) THEN
    PERFORM missing_reference('complaints', 'report_indicator_id', 'quality_indicators', NEW.report_indicator_id);
  END IF;
  IF NEW.assignee_id IS NOT NULL AND (fresh OR NEW.assignee_id IS DISTINCT FROM OLD.assignee_id)
     AND NOT EXISTS (SELECT 1 FROM staff_users WHERE id = NEW.assignee_id) THEN
    PERFORM missing_reference('complaints', 'assignee_id', 'staff_users', NEW.assignee_id);
  END IF;
  IF NEW.operator_id IS NOT NULL AND (fresh OR NEW.operator_id IS DISTINCT FROM OLD.operator_id)
     AND NOT EXISTS (SELECT 1 FROM staff_users WHERE id = NEW.operator_id) THEN
    PERFORM missing_reference('complaints', 'operator_id', 'staff_users', NEW.operator_id);
  END IF;
  IF NEW.responsible_manager_id IS NOT NULL AND (fresh OR NEW.responsible_manager_id IS DISTINCT FROM OLD.responsible_manager_id)
     AND NOT EXISTS (SELECT 1 FROM staff_users WHERE id = NEW.responsible_manager_id) THEN
    PERFORM missing_reference('complaints', 'responsible_manager_id', 'staff_users', NEW.responsible_manager_id);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER complaints_references_exist BEFORE INSERT OR UPDATE OF agency_id, unit_id, organisation_id, responsible_unit_id, category_id, county_id,
  province_id, service_id, sla_policy_id, report_indicator_id, assignee_id, operator_id, responsible_manager_id
  ON complaints FOR EACH ROW EXECUTE FUNCTION complaints_references_exist();

-- The other high-churn tables name units and staff. complaint_events is append-only (no UPDATE).
CREATE FUNCTION complaint_events_references_exist() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.actor_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM staff_users WHERE id = NEW.actor_id) THEN
    PERFORM missing_reference('complaint_events', 'actor_id', 'staff_users', NEW.actor_id);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER complaint_events_references_exist BEFORE INSERT ON complaint_events FOR EACH ROW EXECUTE FUNCTION complaint_events_references_exist();

CREATE FUNCTION sla_timers_references_exist() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.unit_id IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.unit_id IS DISTINCT FROM OLD.unit_id) AND NOT EXISTS (SELECT 1 FROM units WHERE id = NEW.unit_id) THEN
    PERFORM missing_reference('sla_timers', 'unit_id', 'units', NEW.unit_id);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER sla_timers_references_exist BEFORE INSERT OR UPDATE OF unit_id ON sla_timers FOR EACH ROW EXECUTE FUNCTION sla_timers_references_exist();

CREATE FUNCTION sla_breaches_references_exist() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  fresh boolean := TG_OP = 'INSERT';
BEGIN
  IF NEW.unit_id IS NOT NULL AND (fresh OR NEW.unit_id IS DISTINCT FROM OLD.unit_id) AND NOT EXISTS (SELECT 1 FROM units WHERE id = NEW.unit_id) THEN
    PERFORM missing_reference('sla_breaches', 'unit_id', 'units', NEW.unit_id);
  END IF;
  IF NEW.escalated_to IS NOT NULL AND (fresh OR NEW.escalated_to IS DISTINCT FROM OLD.escalated_to)
     AND NOT EXISTS (SELECT 1 FROM units WHERE id = NEW.escalated_to) THEN
    PERFORM missing_reference('sla_breaches', 'escalated_to', 'units', NEW.escalated_to);
  END IF;
  IF NEW.manager_id IS NOT NULL AND (fresh OR NEW.manager_id IS DISTINCT FROM OLD.manager_id)
     AND NOT EXISTS (SELECT 1 FROM staff_users WHERE id = NEW.manager_id) THEN
    PERFORM missing_reference('sla_breaches', 'manager_id', 'staff_users', NEW.manager_id);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER sla_breaches_references_exist BEFORE INSERT OR UPDATE OF unit_id, escalated_to, manager_id ON sla_breaches
  FOR EACH ROW EXECUTE FUNCTION sla_breaches_references_exist();

CREATE FUNCTION outbox_references_exist() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.recipient_user_id IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.recipient_user_id IS DISTINCT FROM OLD.recipient_user_id)
     AND NOT EXISTS (SELECT 1 FROM staff_users WHERE id = NEW.recipient_user_id) THEN
    PERFORM missing_reference('outbox', 'recipient_user_id', 'staff_users', NEW.recipient_user_id);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER outbox_references_exist BEFORE INSERT OR UPDATE OF recipient_user_id ON outbox FOR EACH ROW EXECUTE FUNCTION outbox_references_exist();

CREATE FUNCTION staff_notifications_references_exist() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.user_id IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.user_id IS DISTINCT FROM OLD.user_id) AND NOT EXISTS (SELECT 1 FROM staff_users WHERE id = NEW.user_id) THEN
    PERFORM missing_reference('staff_notifications', 'user_id', 'staff_users', NEW.user_id);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER staff_notifications_references_exist BEFORE INSERT OR UPDATE OF user_id ON staff_notifications
  FOR EACH ROW EXECUTE FUNCTION staff_notifications_references_exist();

RESET lock_timeout;
