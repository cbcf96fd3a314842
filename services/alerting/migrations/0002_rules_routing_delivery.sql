-- Rules, lifecycle history, silences, routing, grouping, escalation and the delivery queue.
ALTER TABLE ${schema}.alerts
  ADD COLUMN source          text NOT NULL DEFAULT 'kafka',
  ADD COLUMN rule_id         text,
  ADD COLUMN generator_url   text,
  ADD COLUMN ends_at         timestamptz,
  ADD COLUMN acknowledged_at timestamptz,
  ADD COLUMN acknowledged_by text;
CREATE INDEX alerts_tenant_state ON ${schema}.alerts (tenant_id, state, starts_at DESC);
CREATE INDEX alerts_expiring ON ${schema}.alerts (ends_at) WHERE state <> 'resolved' AND ends_at IS NOT NULL;

-- Every state change of every alert.
CREATE TABLE ${schema}.alert_history (
  id         bigserial PRIMARY KEY,
  tenant_id  text NOT NULL,
  alert_id   uuid NOT NULL REFERENCES ${schema}.alerts (id),
  from_state text,
  to_state   text NOT NULL,
  actor      text NOT NULL,
  note       text,
  at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alert_history_alert ON ${schema}.alert_history (alert_id, id);
CREATE INDEX alert_history_tenant ON ${schema}.alert_history (tenant_id, at DESC);

-- Rules; tenant '_builtin' holds the shipped defaults every tenant evaluates.
CREATE TABLE ${schema}.rules (
  id         uuid PRIMARY KEY,
  tenant_id  text NOT NULL,
  name       text NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('threshold', 'event')),
  spec       jsonb NOT NULL,
  enabled    boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name)
);

-- Threshold conditions currently true but not yet true for the rule's `for` duration.
CREATE TABLE ${schema}.rule_pending (
  tenant_id   text NOT NULL,
  fingerprint text NOT NULL,
  since       timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, fingerprint)
);

CREATE TABLE ${schema}.silences (
  id             uuid PRIMARY KEY,
  tenant_id      text NOT NULL,
  matchers       jsonb NOT NULL,
  starts_at      timestamptz NOT NULL,
  ends_at        timestamptz,
  until_resolved boolean NOT NULL DEFAULT false,
  created_by     text NOT NULL,
  comment        text NOT NULL DEFAULT '',
  expired_at     timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX silences_active ON ${schema}.silences (tenant_id) WHERE expired_at IS NULL;

CREATE TABLE ${schema}.receivers (
  tenant_id  text NOT NULL,
  name       text NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('slack', 'pagerduty', 'webhook')),
  config     jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, name)
);

-- One routing document per tenant: the route tree and the inhibition rules.
CREATE TABLE ${schema}.routing (
  tenant_id     text PRIMARY KEY,
  route         jsonb NOT NULL,
  inhibit_rules jsonb NOT NULL DEFAULT '[]',
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ${schema}.escalation_policies (
  tenant_id  text NOT NULL,
  name       text NOT NULL,
  steps      jsonb NOT NULL,
  repeat     integer NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, name)
);

-- Aggregation groups (Alertmanager's), one per receiver and group-label values.
CREATE TABLE ${schema}.alert_groups (
  id              uuid PRIMARY KEY,
  tenant_id       text NOT NULL,
  receiver        text NOT NULL,
  group_key       text NOT NULL,
  group_labels    jsonb NOT NULL,
  group_interval_ms bigint NOT NULL,
  repeat_interval_ms bigint NOT NULL,
  next_flush_at   timestamptz,
  last_flush_at   timestamptz,
  last_digest     text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, receiver, group_key)
);
CREATE INDEX alert_groups_due ON ${schema}.alert_groups (next_flush_at) WHERE next_flush_at IS NOT NULL;

CREATE TABLE ${schema}.group_alerts (
  group_id uuid NOT NULL REFERENCES ${schema}.alert_groups (id) ON DELETE CASCADE,
  alert_id uuid NOT NULL REFERENCES ${schema}.alerts (id),
  PRIMARY KEY (group_id, alert_id)
);

-- Escalation of one unacknowledged alert along a policy.
CREATE TABLE ${schema}.escalations (
  alert_id  uuid NOT NULL REFERENCES ${schema}.alerts (id),
  policy    text NOT NULL,
  tenant_id text NOT NULL,
  step      integer NOT NULL DEFAULT 0,
  round     integer NOT NULL DEFAULT 0,
  next_at   timestamptz NOT NULL,
  PRIMARY KEY (alert_id, policy)
);
CREATE INDEX escalations_due ON ${schema}.escalations (next_at);

-- The persisted delivery queue. idempotency_key is stable per notification and is sent
-- with every attempt, so a receiver can drop the re-send after a crash mid-request.
CREATE TABLE ${schema}.notifications (
  id              uuid PRIMARY KEY,
  tenant_id       text NOT NULL,
  receiver        text NOT NULL,
  kind            text NOT NULL,
  target_key      text NOT NULL,
  idempotency_key text NOT NULL UNIQUE,
  url             text NOT NULL,
  body            text NOT NULL,
  headers         jsonb NOT NULL DEFAULT '{}',
  state           text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sending', 'delivered', 'dead')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  lease_until     timestamptz,
  last_status     integer,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  delivered_at    timestamptz
);
CREATE INDEX notifications_due ON ${schema}.notifications (next_attempt_at) WHERE state IN ('queued', 'sending');
CREATE INDEX notifications_tenant ON ${schema}.notifications (tenant_id, created_at DESC);

-- Per-target rate limit: the next free send slot, shared by every process.
CREATE TABLE ${schema}.delivery_targets (
  target_key      text PRIMARY KEY,
  next_allowed_at timestamptz NOT NULL DEFAULT now()
);

-- Inhibition looks up open alerts by label containment.
CREATE INDEX alerts_open_labels ON ${schema}.alerts USING gin (labels jsonb_path_ops) WHERE state <> 'resolved';
