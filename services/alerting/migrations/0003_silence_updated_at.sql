-- The Alertmanager API reports when a silence last changed, and updates silences in place.
ALTER TABLE ${schema}.silences ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
