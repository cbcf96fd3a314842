-- The event history behind the incident timeline, and incidents.
-- event_history: one row per catalog event the timeline shows (the stream's projection of its payload, never more),
-- partitioned by UTC day on occurred_at so retention drops whole days. Partitions are created on demand by the
-- history consumer and ahead of time by the retention task (event_history_YYYYMMDD). The key (event_id, occurred_at)
-- makes a redelivered event a no-op: an event keeps its occurredAt, so its copy lands in the same partition.
CREATE TABLE ${schema}.event_history (
  event_id     uuid NOT NULL,
  occurred_at  timestamptz NOT NULL,
  tenant_id    text NOT NULL,
  type         text NOT NULL,
  source       text NOT NULL,
  lane         text NOT NULL CHECK (lane IN ('alerts', 'errors', 'database', 'recovery', 'privacy')),
  kind         text NOT NULL,
  severity     text NOT NULL CHECK (severity IN ('ok', 'info', 'warning', 'critical')),
  subject_id   text NOT NULL,
  title        text NOT NULL,
  value        double precision,
  link         text,
  data         jsonb NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (event_id, occurred_at)
) PARTITION BY RANGE (occurred_at);
CREATE INDEX event_history_window ON ${schema}.event_history (tenant_id, occurred_at, lane);
CREATE INDEX event_history_subject ON ${schema}.event_history (tenant_id, subject_id, occurred_at);

-- An incident: opened from one or more alerts (or by hand); its status moves open → acknowledged → resolved.
-- Resolving it records how long acknowledging and resolving took, counted from the first alert's start.
CREATE TABLE ${schema}.incidents (
  id                uuid PRIMARY KEY,
  tenant_id         text NOT NULL,
  title             text NOT NULL,
  severity          text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  status            text NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
  owner_user_id     uuid REFERENCES ${schema}.users (id) ON DELETE SET NULL,
  started_at        timestamptz NOT NULL,
  opened_at         timestamptz NOT NULL DEFAULT now(),
  opened_by         uuid REFERENCES ${schema}.users (id) ON DELETE SET NULL,
  acknowledged_at   timestamptz,
  resolved_at       timestamptz,
  tta_seconds       double precision,
  ttr_seconds       double precision,
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incidents_tenant_opened ON ${schema}.incidents (tenant_id, opened_at DESC, id DESC);
CREATE INDEX incidents_tenant_resolved ON ${schema}.incidents (tenant_id, resolved_at) WHERE resolved_at IS NOT NULL;

CREATE TABLE ${schema}.incident_alerts (
  incident_id   uuid NOT NULL REFERENCES ${schema}.incidents (id) ON DELETE CASCADE,
  alert_id      text NOT NULL,
  name          text NOT NULL,
  severity      text NOT NULL,
  starts_at     timestamptz NOT NULL,
  PRIMARY KEY (incident_id, alert_id)
);
CREATE INDEX incident_alerts_alert ON ${schema}.incident_alerts (alert_id);

-- Who did what to an incident, in order: opened, status, owner, title, note, alerts added.
CREATE TABLE ${schema}.incident_activity (
  id            bigserial PRIMARY KEY,
  incident_id   uuid NOT NULL REFERENCES ${schema}.incidents (id) ON DELETE CASCADE,
  at            timestamptz NOT NULL DEFAULT now(),
  actor_user_id uuid REFERENCES ${schema}.users (id) ON DELETE SET NULL,
  actor_name    text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('opened', 'status', 'owner', 'title', 'note', 'alerts')),
  detail        jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX incident_activity_incident ON ${schema}.incident_activity (incident_id, id);
