-- Reports: single-use render tokens for the PDF renderer, weekly schedules and their deliveries.
-- A render token row holds the SHA-256 of the token (never the token) and the report it may show once.
CREATE TABLE ${schema}.report_render_tokens (
  token_hash  bytea PRIMARY KEY,
  tenant_id   text NOT NULL,
  report      jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);
CREATE INDEX report_render_tokens_expires ON ${schema}.report_render_tokens (expires_at);

-- The webhook signing secret is sealed (AES-256-GCM, @vigil/privacy) with a key derived from the session secret.
CREATE TABLE ${schema}.report_schedules (
  id              uuid PRIMARY KEY,
  tenant_id       text NOT NULL,
  name            text NOT NULL,
  webhook_url     text NOT NULL,
  secret_sealed   text NOT NULL,
  day_of_week     smallint NOT NULL CHECK (day_of_week BETWEEN 0 AND 6),
  hour            smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
  format          text NOT NULL CHECK (format IN ('json', 'csv')),
  next_run_at     timestamptz NOT NULL,
  created_by      uuid,
  created_at      timestamptz NOT NULL DEFAULT now(),
  deleted_at      timestamptz
);
CREATE INDEX report_schedules_tenant ON ${schema}.report_schedules (tenant_id) WHERE deleted_at IS NULL;
CREATE INDEX report_schedules_due ON ${schema}.report_schedules (next_run_at) WHERE deleted_at IS NULL;

CREATE TABLE ${schema}.report_deliveries (
  id            uuid PRIMARY KEY,
  schedule_id   uuid NOT NULL REFERENCES ${schema}.report_schedules (id),
  tenant_id     text NOT NULL,
  period_from   timestamptz NOT NULL,
  period_to     timestamptz NOT NULL,
  status        text NOT NULL CHECK (status IN ('delivered', 'failed')),
  http_status   integer,
  error         text,
  attempted_at  timestamptz NOT NULL DEFAULT now(),
  duration_ms   integer NOT NULL
);
CREATE INDEX report_deliveries_schedule ON ${schema}.report_deliveries (schedule_id, attempted_at DESC);
