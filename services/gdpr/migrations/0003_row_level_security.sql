-- Tenant isolation: every tenant-scoped statement runs as vigil_gdpr_tenant (SET LOCAL ROLE)
-- with app.tenant_id set for the transaction. That role is not the owner and not a superuser,
-- so the policies below bind it (no FORCE: the owning login runs the cross-tenant scheduler).
-- The role is cluster-wide; creating it tolerates a concurrent boot.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vigil_gdpr_tenant') THEN
    CREATE ROLE vigil_gdpr_tenant NOLOGIN NOSUPERUSER NOBYPASSRLS;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

DO $$
BEGIN
  -- A non-superuser service login must be a member to SET ROLE; a superuser already may.
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT vigil_gdpr_tenant TO %I', current_user);
  END IF;
END $$;

GRANT USAGE ON SCHEMA ${schema} TO vigil_gdpr_tenant;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO vigil_gdpr_tenant;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO vigil_gdpr_tenant;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['consent_events', 'subject_requests', 'request_receipts', 'retention_policies', 'legal_holds',
                           'purge_runs', 'audit_log', 'audit_checkpoints', 'processing_records', 'breaches', 'breach_updates']
  LOOP
    EXECUTE format('ALTER TABLE ${schema}.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON ${schema}.%I
      USING (tenant_id = current_setting('app.tenant_id', true))
      WITH CHECK (tenant_id = current_setting('app.tenant_id', true))$p$, t);
  END LOOP;
END $$;

-- The platform-wide registry has no tenant: readable by every tenant, written only by the service login.
ALTER TABLE ${schema}.data_holders ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON ${schema}.data_holders FOR SELECT USING (true);
