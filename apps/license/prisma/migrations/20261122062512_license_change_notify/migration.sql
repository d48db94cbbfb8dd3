-- Every change to a license row is announced on commit (NOTIFY is transactional), so each replica's
-- verification cache drops the row at once; see src/repositories/license-change-feed.ts.
CREATE FUNCTION license_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('license_changed', OLD.identifier);
  RETURN NULL;
END;
$$;

CREATE TRIGGER license_notify_change AFTER UPDATE OR DELETE ON "license"
  FOR EACH ROW EXECUTE FUNCTION license_notify_change();
