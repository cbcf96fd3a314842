-- Projects receiving Sentry events; DSN keys, issues and events come with the ingest work.
CREATE TABLE ${schema}.projects (
  id         bigserial PRIMARY KEY,
  tenant_id  text NOT NULL,
  name       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name)
);
