-- Alerts, deduplicated by fingerprint per tenant; one open alert per fingerprint.
CREATE TABLE ${schema}.alerts (
  id          uuid PRIMARY KEY,
  tenant_id   text NOT NULL,
  fingerprint text NOT NULL,
  state       text NOT NULL CHECK (state IN ('firing', 'acknowledged', 'resolved')),
  severity    text NOT NULL,
  labels      jsonb NOT NULL,
  annotations jsonb NOT NULL,
  starts_at   timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz
);
CREATE UNIQUE INDEX alerts_open_fingerprint ON ${schema}.alerts (tenant_id, fingerprint) WHERE state <> 'resolved';
