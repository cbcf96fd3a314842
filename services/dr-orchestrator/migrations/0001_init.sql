-- Backup policies per database; backups, verifications and drills come with the DR work.
CREATE TABLE ${schema}.policies (
  id          uuid PRIMARY KEY,
  tenant_id   text NOT NULL,
  database    text NOT NULL,
  schedule    text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
