-- When a key was last used (written at most once a minute per key and process).
ALTER TABLE ${schema}.api_keys ADD COLUMN last_used_at timestamptz;
