-- The console's own state: people, their role per tenant, sign-in sessions, preferences, saved views.
-- Passwords are scrypt hashes; a session is stored as the SHA-256 of its cookie token, never the token.
CREATE TABLE ${schema}.users (
  id                    uuid PRIMARY KEY,
  email                 text NOT NULL,
  name                  text NOT NULL DEFAULT '',
  password_hash         text NOT NULL,
  must_change_password  boolean NOT NULL DEFAULT false,
  disabled_at           timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now(),
  password_changed_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email ON ${schema}.users (lower(email));

CREATE TABLE ${schema}.memberships (
  user_id     uuid NOT NULL REFERENCES ${schema}.users (id) ON DELETE CASCADE,
  tenant_id   text NOT NULL,
  role        text NOT NULL CHECK (role IN ('read', 'write', 'admin')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, tenant_id)
);
CREATE INDEX memberships_tenant ON ${schema}.memberships (tenant_id);

CREATE TABLE ${schema}.sessions (
  token_hash    bytea PRIMARY KEY,
  id            uuid NOT NULL UNIQUE,
  user_id       uuid NOT NULL REFERENCES ${schema}.users (id) ON DELETE CASCADE,
  tenant_id     text NOT NULL,
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz,
  ip            text NOT NULL DEFAULT '',
  user_agent    text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON ${schema}.sessions (user_id) WHERE revoked_at IS NULL;
CREATE INDEX sessions_expires ON ${schema}.sessions (expires_at);

CREATE TABLE ${schema}.preferences (
  user_id          uuid PRIMARY KEY REFERENCES ${schema}.users (id) ON DELETE CASCADE,
  theme            text NOT NULL DEFAULT 'auto' CHECK (theme IN ('light', 'dark', 'auto')),
  timezone         text NOT NULL DEFAULT 'local' CHECK (timezone IN ('local', 'utc')),
  refresh_seconds  integer NOT NULL DEFAULT 30 CHECK (refresh_seconds BETWEEN 0 AND 3600),
  updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ${schema}.saved_views (
  id          uuid PRIMARY KEY,
  user_id     uuid NOT NULL REFERENCES ${schema}.users (id) ON DELETE CASCADE,
  tenant_id   text NOT NULL,
  area        text NOT NULL,
  name        text NOT NULL,
  search      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, tenant_id, area, name)
);

-- One-time steps (the first-start seed) record themselves here so they run once.
CREATE TABLE ${schema}.setup_steps (
  name         text PRIMARY KEY,
  done_at      timestamptz NOT NULL DEFAULT now(),
  detail       jsonb NOT NULL DEFAULT '{}'
);
