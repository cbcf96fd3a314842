-- Monitored targets, collected time series (raw + hourly rollups), statement statistics,
-- slow queries with plans, index advice, optimization history, APM points and self-checks.

CREATE TABLE ${schema}.targets (
  id               text PRIMARY KEY,
  tenant_id        text NOT NULL,
  name             text NOT NULL,
  conn_enc         bytea NOT NULL,            -- AES-256-GCM: iv(12) | tag(16) | ciphertext
  interval_s       integer NOT NULL CHECK (interval_s BETWEEN 5 AND 86400),
  disk_limit_bytes bigint,
  status           text NOT NULL DEFAULT 'pending',
  status_detail    text NOT NULL DEFAULT '',
  server_version   integer,
  last_attempt_at  timestamptz,
  last_success_at  timestamptz,
  next_due_at      timestamptz NOT NULL DEFAULT now(),
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name)
);
CREATE INDEX targets_due ON ${schema}.targets (next_due_at);

-- Last cumulative counters of a target, from which the next cycle computes its deltas.
CREATE TABLE ${schema}.target_baselines (
  target_id   text PRIMARY KEY REFERENCES ${schema}.targets (id) ON DELETE CASCADE,
  taken_at    timestamptz NOT NULL,
  database    jsonb NOT NULL,
  statements  jsonb NOT NULL
);

CREATE TABLE ${schema}.metric_samples (
  tenant_id  text NOT NULL,
  target_id  text NOT NULL,
  name       text NOT NULL,
  value      double precision NOT NULL,
  at         timestamptz NOT NULL
);
CREATE INDEX metric_samples_series ON ${schema}.metric_samples (tenant_id, target_id, name, at DESC);

-- Downsampled series for long ranges, maintained on insert.
CREATE TABLE ${schema}.metric_rollups_hourly (
  tenant_id  text NOT NULL,
  target_id  text NOT NULL,
  name       text NOT NULL,
  bucket     timestamptz NOT NULL,
  n          integer NOT NULL,
  sum        double precision NOT NULL,
  min        double precision NOT NULL,
  max        double precision NOT NULL,
  last       double precision NOT NULL,
  PRIMARY KEY (tenant_id, target_id, name, bucket)
);

CREATE TABLE ${schema}.table_sizes (
  tenant_id  text NOT NULL,
  target_id  text NOT NULL,
  relname    text NOT NULL,
  bytes      bigint NOT NULL,
  live_rows  bigint NOT NULL,
  at         timestamptz NOT NULL
);
CREATE INDEX table_sizes_series ON ${schema}.table_sizes (tenant_id, target_id, relname, at);

-- Per-interval deltas of the statements that mattered in that interval.
CREATE TABLE ${schema}.query_stats (
  tenant_id   text NOT NULL,
  target_id   text NOT NULL,
  query_id    text NOT NULL,
  at          timestamptz NOT NULL,
  calls       bigint NOT NULL,
  total_ms    double precision NOT NULL,
  mean_ms     double precision NOT NULL,
  rows        bigint NOT NULL,
  blks_hit    bigint NOT NULL,
  blks_read   bigint NOT NULL
);
CREATE INDEX query_stats_series ON ${schema}.query_stats (tenant_id, target_id, query_id, at);

CREATE TABLE ${schema}.slow_queries (
  tenant_id    text NOT NULL,
  target_id    text NOT NULL,
  query_id     text NOT NULL,
  query        text NOT NULL,
  calls        bigint NOT NULL,
  total_ms     double precision NOT NULL,
  mean_ms      double precision NOT NULL,
  severity     text NOT NULL,
  plan         jsonb,
  plan_error   text,
  detected_at  timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, target_id, query_id)
);

CREATE TABLE ${schema}.recommendations (
  id          bigserial PRIMARY KEY,
  tenant_id   text NOT NULL,
  target_id   text NOT NULL,
  kind        text NOT NULL,
  table_name  text NOT NULL,
  index_name  text,
  statement   text NOT NULL,
  detail      text NOT NULL,
  saving_pct  double precision,
  queries     jsonb NOT NULL DEFAULT '[]',
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX recommendations_target ON ${schema}.recommendations (tenant_id, target_id);

CREATE TABLE ${schema}.optimizations (
  id           bigserial PRIMARY KEY,
  tenant_id    text NOT NULL,
  target_id    text NOT NULL,
  kind         text NOT NULL,
  description  text NOT NULL,
  query_ids    text[] NOT NULL DEFAULT '{}',
  applied_at   timestamptz NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX optimizations_target ON ${schema}.optimizations (tenant_id, target_id, applied_at DESC);

CREATE TABLE ${schema}.apm_points (
  tenant_id   text NOT NULL,
  service     text NOT NULL,
  metric      text NOT NULL,
  kind        text NOT NULL,
  attributes  jsonb NOT NULL,
  value       double precision,
  count       double precision,
  sum         double precision,
  bounds      double precision[],
  buckets     double precision[],
  start_at    timestamptz,
  at          timestamptz NOT NULL
);
CREATE INDEX apm_points_series ON ${schema}.apm_points (tenant_id, service, metric, at DESC);

CREATE TABLE ${schema}.apm_summaries (
  tenant_id    text NOT NULL,
  service      text NOT NULL,
  at           timestamptz NOT NULL,
  requests     double precision NOT NULL,
  errors       double precision NOT NULL,
  error_rate   double precision NOT NULL,
  throughput   double precision NOT NULL,
  latency_mean double precision,
  latency_p95  double precision
);
CREATE INDEX apm_summaries_series ON ${schema}.apm_summaries (tenant_id, service, at DESC);

CREATE TABLE ${schema}.self_checks (
  service     text PRIMARY KEY,
  url         text NOT NULL,
  ok          boolean NOT NULL,
  http_status integer,
  latency_ms  double precision,
  detail      text NOT NULL DEFAULT '',
  checked_at  timestamptz NOT NULL
);

CREATE TABLE ${schema}.statement_texts (
  tenant_id  text NOT NULL,
  target_id  text NOT NULL,
  query_id   text NOT NULL,
  query      text NOT NULL,
  PRIMARY KEY (tenant_id, target_id, query_id)
);
