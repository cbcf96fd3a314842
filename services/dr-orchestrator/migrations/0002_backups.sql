-- Policies gain their full shape; backups, verifications (and drills), and objective breaches.
ALTER TABLE ${schema}.policies
  ADD COLUMN name                text NOT NULL DEFAULT '',
  ADD COLUMN source_url_enc      text NOT NULL DEFAULT '',
  ADD COLUMN source_display      text NOT NULL DEFAULT '',
  ADD COLUMN jobs                integer NOT NULL DEFAULT 2 CHECK (jobs BETWEEN 1 AND 32),
  ADD COLUMN repository_path     text NOT NULL DEFAULT '',
  ADD COLUMN retention_count     integer NOT NULL DEFAULT 7 CHECK (retention_count >= 1),
  ADD COLUMN rpo_target_seconds  integer NOT NULL DEFAULT 86400 CHECK (rpo_target_seconds > 0),
  ADD COLUMN rto_target_seconds  integer NOT NULL DEFAULT 3600 CHECK (rto_target_seconds > 0),
  ADD COLUMN drill_schedule      text,
  ADD COLUMN enabled             boolean NOT NULL DEFAULT true,
  ADD COLUMN updated_at          timestamptz NOT NULL DEFAULT now();
CREATE INDEX policies_tenant ON ${schema}.policies (tenant_id, created_at);

-- A backup is 'running' until its files are checksummed, fsynced and renamed into place;
-- only then 'completed'. 'failed' rows never have a directory; 'expired' ones had theirs removed.
CREATE TABLE ${schema}.backups (
  id                  uuid PRIMARY KEY,
  tenant_id           text NOT NULL,
  policy_id           uuid NOT NULL REFERENCES ${schema}.policies (id) ON DELETE CASCADE,
  status              text NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'expired')),
  trigger             text NOT NULL CHECK (trigger IN ('schedule', 'manual')),
  verification_status text NOT NULL DEFAULT 'pending' CHECK (verification_status IN ('pending', 'passed', 'failed')),
  path                text,
  size_bytes          bigint,
  file_count          integer,
  manifest_sha256     text,
  facts               jsonb,
  snapshot_at         timestamptz,
  progress_pct        numeric(5, 2) NOT NULL DEFAULT 0,
  phase               text NOT NULL DEFAULT 'starting',
  error               text,
  started_at          timestamptz NOT NULL DEFAULT now(),
  finished_at         timestamptz,
  duration_ms         integer
);
CREATE INDEX backups_policy ON ${schema}.backups (policy_id, started_at DESC);
CREATE INDEX backups_running ON ${schema}.backups (policy_id) WHERE status = 'running';

-- Restores into a scratch database: after each backup ('verification') or as a DR drill ('drill').
CREATE TABLE ${schema}.verifications (
  id            uuid PRIMARY KEY,
  tenant_id     text NOT NULL,
  policy_id     uuid NOT NULL REFERENCES ${schema}.policies (id) ON DELETE CASCADE,
  backup_id     uuid NOT NULL REFERENCES ${schema}.backups (id) ON DELETE CASCADE,
  kind          text NOT NULL CHECK (kind IN ('verification', 'drill')),
  trigger       text NOT NULL CHECK (trigger IN ('schedule', 'manual', 'after-backup')),
  status        text NOT NULL CHECK (status IN ('running', 'passed', 'failed')),
  scratch_db    text NOT NULL,
  checks        jsonb NOT NULL DEFAULT '[]',
  progress_pct  numeric(5, 2) NOT NULL DEFAULT 0,
  phase         text NOT NULL DEFAULT 'starting',
  restore_ms    integer,
  rto_seconds   double precision,
  error         text,
  started_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz
);
CREATE INDEX verifications_policy ON ${schema}.verifications (policy_id, started_at DESC);

-- One open breach per policy and objective; an event is published when it opens.
CREATE TABLE ${schema}.breaches (
  id              uuid PRIMARY KEY,
  tenant_id       text NOT NULL,
  policy_id       uuid NOT NULL REFERENCES ${schema}.policies (id) ON DELETE CASCADE,
  objective       text NOT NULL CHECK (objective IN ('rpo', 'rto')),
  target_seconds  double precision NOT NULL,
  actual_seconds  double precision NOT NULL,
  detected_at     timestamptz NOT NULL DEFAULT now(),
  resolved_at     timestamptz
);
CREATE UNIQUE INDEX breaches_open ON ${schema}.breaches (policy_id, objective) WHERE resolved_at IS NULL;
