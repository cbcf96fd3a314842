-- Policy kinds: 'logical' (pg_dump, as before) or 'physical' (pgBackRest base backups + WAL archive).
ALTER TABLE ${schema}.policies
  ADD COLUMN kind            text NOT NULL DEFAULT 'logical' CHECK (kind IN ('logical', 'physical')),
  -- Physical settings (stanza, data path, schedules per backup type, heartbeat, archiving threshold).
  ADD COLUMN physical        jsonb,
  -- pgBackRest repository passphrase, sealed with the kit's sealSecret (context dr.pgbackrest-cipher).
  ADD COLUMN cipher_pass_enc text;

-- Physical backups: pgBackRest label and type, and what `info --output=json` says about them.
ALTER TABLE ${schema}.backups
  ADD COLUMN backup_type text CHECK (backup_type IN ('full', 'diff', 'incr')),
  ADD COLUMN physical    jsonb;

ALTER TABLE ${schema}.verifications ADD COLUMN verified_rpo_seconds double precision;

-- Archiving failures are a breach of their own (published as an RPO breach with a cause).
ALTER TABLE ${schema}.breaches DROP CONSTRAINT breaches_objective_check;
ALTER TABLE ${schema}.breaches ADD CONSTRAINT breaches_objective_check CHECK (objective IN ('rpo', 'rto', 'archiving'));
ALTER TABLE ${schema}.breaches ADD COLUMN cause text;

