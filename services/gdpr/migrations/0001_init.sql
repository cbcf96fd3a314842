-- Registry of services holding personal data (fed by gdpr.data-holders).
CREATE TABLE ${schema}.data_holders (
  service       text PRIMARY KEY,
  categories    jsonb NOT NULL,
  handles       text[] NOT NULL,
  registered_at timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Append-only consent log (Art. 7(1) proof); the current state is derived from it.
CREATE TABLE ${schema}.consent_events (
  seq            bigserial PRIMARY KEY,
  id             uuid NOT NULL UNIQUE,
  tenant_id      text NOT NULL,
  subject_ref    text NOT NULL,
  purpose        text NOT NULL,
  granted        boolean NOT NULL,
  method         text NOT NULL CHECK (method IN ('given', 'withdrawn', 'gpc')),
  notice_version text NOT NULL,
  channel        text NOT NULL,
  source         text NOT NULL,
  ip_ref         text,
  user_agent_ref text,
  recorded_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consent_events_subject ON ${schema}.consent_events (tenant_id, subject_ref, purpose, seq DESC);

CREATE FUNCTION ${schema}.consent_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'consent_events is append-only';
END $$;
CREATE TRIGGER consent_events_no_update BEFORE UPDATE OR DELETE ON ${schema}.consent_events
  FOR EACH ROW EXECUTE FUNCTION ${schema}.consent_events_append_only();
