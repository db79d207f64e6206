-- Custom SQL migration file, put your code below! ---- Gateway credentials are cached in every API process (gateway.service.ts). Any change that can end
-- access through the gateway (a window grant revoked or shortened, a window closed or withdrawn, a
-- model withdrawn) sends a NOTIFY on forewarn_gateway in the changing transaction, whichever module
-- makes it, so that the next request is refused and open streams are cut.
CREATE OR REPLACE FUNCTION forewarn_gateway_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'access_grants' THEN
    IF NEW.record_type = 'model' AND (NEW.revoked_at IS DISTINCT FROM OLD.revoked_at OR NEW.expires_at IS DISTINCT FROM OLD.expires_at OR NEW.starts_at IS DISTINCT FROM OLD.starts_at) THEN
      PERFORM pg_notify('forewarn_gateway', 'grant:' || NEW.id::text);
    END IF;
  ELSIF TG_TABLE_NAME = 'review_windows' THEN
    IF NEW.status IS DISTINCT FROM OLD.status OR NEW.closes_at IS DISTINCT FROM OLD.closes_at THEN
      PERFORM pg_notify('forewarn_gateway', 'window:' || NEW.id::text);
    END IF;
  ELSIF TG_TABLE_NAME = 'models' THEN
    IF NEW.status IS DISTINCT FROM OLD.status THEN
      PERFORM pg_notify('forewarn_gateway', 'model:' || NEW.id::text);
    END IF;
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER gateway_notify_access_grants AFTER UPDATE ON access_grants FOR EACH ROW EXECUTE FUNCTION forewarn_gateway_notify();
--> statement-breakpoint
CREATE TRIGGER gateway_notify_review_windows AFTER UPDATE ON review_windows FOR EACH ROW EXECUTE FUNCTION forewarn_gateway_notify();
--> statement-breakpoint
CREATE TRIGGER gateway_notify_models AFTER UPDATE ON models FOR EACH ROW EXECUTE FUNCTION forewarn_gateway_notify();
