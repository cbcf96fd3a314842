-- Identity store shared by every service (owned by libs/service-kit): tenant-scoped API keys.
-- Only a SHA-256 of the secret part is stored; the key id is the public, looked-up part.
CREATE TABLE ${schema}.api_keys (
  id          text PRIMARY KEY,
  tenant_id   text NOT NULL,
  role        text NOT NULL CHECK (role IN ('read', 'write', 'admin')),
  name        text NOT NULL DEFAULT '',
  secret_hash bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);
CREATE INDEX api_keys_tenant ON ${schema}.api_keys (tenant_id);
