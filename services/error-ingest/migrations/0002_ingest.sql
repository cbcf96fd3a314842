-- Ingest and processing: DSN keys, the accepted-event queue (payloads waiting for the
-- consumer; Kafka carries only references), issues, events, subjects, trend buckets.
ALTER TABLE ${schema}.projects
  ADD COLUMN retention_days integer NOT NULL DEFAULT 90 CHECK (retention_days BETWEEN 1 AND 3650),
  ADD COLUMN rate_limit_per_minute integer CHECK (rate_limit_per_minute > 0),
  ADD COLUMN scrubbing jsonb NOT NULL DEFAULT '{}';

CREATE TABLE ${schema}.project_keys (
  id          bigserial PRIMARY KEY,
  project_id  bigint NOT NULL REFERENCES ${schema}.projects (id) ON DELETE CASCADE,
  tenant_id   text NOT NULL,
  public_key  text NOT NULL UNIQUE,
  label       text NOT NULL DEFAULT '',
  rate_limit_per_minute integer CHECK (rate_limit_per_minute > 0),
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);
CREATE INDEX project_keys_project ON ${schema}.project_keys (project_id);

-- Accepted raw events, durable before the 200; removed by the consumer once processed.
CREATE TABLE ${schema}.accepted_events (
  event_id    uuid PRIMARY KEY,
  project_id  bigint NOT NULL,
  key_id      bigint,
  received_at timestamptz NOT NULL,
  payload     text NOT NULL
);

CREATE TABLE ${schema}.client_reports (
  id          bigserial PRIMARY KEY,
  project_id  bigint NOT NULL REFERENCES ${schema}.projects (id) ON DELETE CASCADE,
  received_at timestamptz NOT NULL DEFAULT now(),
  reason      text NOT NULL,
  category    text NOT NULL,
  quantity    integer NOT NULL
);
CREATE INDEX client_reports_project ON ${schema}.client_reports (project_id, received_at);

CREATE TABLE ${schema}.issues (
  id             bigserial PRIMARY KEY,
  project_id     bigint NOT NULL REFERENCES ${schema}.projects (id) ON DELETE CASCADE,
  tenant_id      text NOT NULL,
  fingerprint    text NOT NULL,
  title          text NOT NULL,
  culprit        text,
  level          text NOT NULL,
  exception_type text,
  status         text NOT NULL DEFAULT 'unresolved' CHECK (status IN ('unresolved', 'resolved', 'ignored')),
  substatus      text NOT NULL DEFAULT 'new' CHECK (substatus IN ('new', 'ongoing', 'regressed')),
  first_seen     timestamptz NOT NULL,
  last_seen      timestamptz NOT NULL,
  times_seen     bigint NOT NULL DEFAULT 0,
  users_affected bigint NOT NULL DEFAULT 0,
  releases       text[] NOT NULL DEFAULT '{}',
  environments   text[] NOT NULL DEFAULT '{}',
  last_release   text,
  resolved_at    timestamptz,
  resolved_in_release text,
  last_spike_at  timestamptz,
  UNIQUE (project_id, fingerprint)
);
CREATE INDEX issues_project_last_seen ON ${schema}.issues (project_id, last_seen DESC);

CREATE TABLE ${schema}.events (
  event_id       uuid PRIMARY KEY,
  project_id     bigint NOT NULL REFERENCES ${schema}.projects (id) ON DELETE CASCADE,
  tenant_id      text NOT NULL,
  issue_id       bigint NOT NULL REFERENCES ${schema}.issues (id) ON DELETE CASCADE,
  received_at    timestamptz NOT NULL,
  occurred_at    timestamptz NOT NULL,
  level          text NOT NULL,
  release        text,
  environment    text,
  exception_type text,
  user_ref       text,
  tags           jsonb NOT NULL DEFAULT '{}',
  payload        jsonb NOT NULL
);
CREATE INDEX events_issue ON ${schema}.events (issue_id, received_at DESC, event_id);
CREATE INDEX events_project_received ON ${schema}.events (project_id, received_at);

-- Pseudonymised identifiers per event (HMAC under the tenant key), for subject lookups.
CREATE TABLE ${schema}.event_subjects (
  event_id   uuid NOT NULL REFERENCES ${schema}.events (event_id) ON DELETE CASCADE,
  tenant_id  text NOT NULL,
  id_type    text NOT NULL,
  ref        text NOT NULL,
  PRIMARY KEY (event_id, id_type)
);
CREATE INDEX event_subjects_ref ON ${schema}.event_subjects (tenant_id, ref);

CREATE TABLE ${schema}.issue_users (
  issue_id  bigint NOT NULL REFERENCES ${schema}.issues (id) ON DELETE CASCADE,
  user_ref  text NOT NULL,
  PRIMARY KEY (issue_id, user_ref)
);
CREATE INDEX issue_users_ref ON ${schema}.issue_users (user_ref);

CREATE TABLE ${schema}.issue_counts (
  issue_id    bigint NOT NULL REFERENCES ${schema}.issues (id) ON DELETE CASCADE,
  granularity text NOT NULL CHECK (granularity IN ('minute', 'hour')),
  bucket      timestamptz NOT NULL,
  count       bigint NOT NULL,
  PRIMARY KEY (issue_id, granularity, bucket)
);

CREATE TABLE ${schema}.project_counts (
  project_id  bigint NOT NULL REFERENCES ${schema}.projects (id) ON DELETE CASCADE,
  granularity text NOT NULL CHECK (granularity IN ('minute', 'hour')),
  bucket      timestamptz NOT NULL,
  count       bigint NOT NULL,
  PRIMARY KEY (project_id, granularity, bucket)
);

-- Tag value counts per issue: the categorisation behind tag filters and breakdowns.
CREATE TABLE ${schema}.issue_tags (
  issue_id  bigint NOT NULL REFERENCES ${schema}.issues (id) ON DELETE CASCADE,
  key       text NOT NULL,
  value     text NOT NULL,
  count     bigint NOT NULL,
  PRIMARY KEY (issue_id, key, value)
);
CREATE INDEX issue_tags_key_value ON ${schema}.issue_tags (key, value);
