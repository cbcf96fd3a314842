-- Health score history per monitored database.
CREATE TABLE ${schema}.health_scores (
  id           bigserial PRIMARY KEY,
  tenant_id    text NOT NULL,
  database_id  text NOT NULL,
  score        integer NOT NULL CHECK (score BETWEEN 0 AND 100),
  status       text NOT NULL,
  components   jsonb NOT NULL,
  scored_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX health_scores_db_time ON ${schema}.health_scores (tenant_id, database_id, scored_at DESC);
