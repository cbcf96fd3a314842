-- What the console's alert screens read: which alerts each notification was about, history
-- entries that are not state changes (escalation steps), and each rule's last evaluation.
-- No foreign key to alerts: its KEY SHARE lock, taken by a group flush, would deadlock with the
-- API's acknowledge/resolve (alert row FOR UPDATE, then the group).
CREATE TABLE ${schema}.notification_alerts (
  alert_id        uuid NOT NULL,
  notification_id uuid NOT NULL REFERENCES ${schema}.notifications (id) ON DELETE CASCADE,
  PRIMARY KEY (alert_id, notification_id)
);
CREATE INDEX notification_alerts_notification ON ${schema}.notification_alerts (notification_id);

-- fired | acknowledged | resolved | escalated; NULL on rows written before this migration (derived from the states).
ALTER TABLE ${schema}.alert_history ADD COLUMN event text;

CREATE TABLE ${schema}.rule_evaluations (
  tenant_id    text NOT NULL,
  rule_id      uuid NOT NULL,
  evaluated_at timestamptz NOT NULL,
  value        double precision,
  labels       jsonb NOT NULL DEFAULT '{}',
  outcome      text NOT NULL CHECK (outcome IN ('fire', 'pending', 'ok')),
  PRIMARY KEY (tenant_id, rule_id)
);

-- The 24-hour firing strips: a tenant's alerts by fingerprint and time.
CREATE INDEX alerts_tenant_fingerprint ON ${schema}.alerts (tenant_id, fingerprint, starts_at DESC);

-- Who ended a silence: `user:<email>`, `key:<id>`, or `until-resolved` when its alerts resolved.
ALTER TABLE ${schema}.silences ADD COLUMN expired_by text;
