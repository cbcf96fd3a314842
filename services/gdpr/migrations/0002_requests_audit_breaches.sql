-- Data subject requests (Art. 15/17/20) and the receipts of every data holder.
CREATE TABLE ${schema}.subject_requests (
  id                 uuid PRIMARY KEY,
  tenant_id          text NOT NULL,
  kind               text NOT NULL CHECK (kind IN ('access', 'erasure', 'portability')),
  subject_ref        text NOT NULL,
  -- Raw identifiers are needed to fan the request out; they are scrubbed by the retention purge.
  identifiers        jsonb,
  idempotency_key    text,
  state              text NOT NULL CHECK (state IN ('unverified', 'in_progress', 'completed', 'refused')),
  verification_hash  text NOT NULL,
  received_at        timestamptz NOT NULL,
  verified_at        timestamptz,
  deadline           timestamptz NOT NULL,
  extended_deadline  timestamptz,
  extension_reason   text,
  refusal_reason     text,
  expected_services  text[] NOT NULL DEFAULT '{}',
  completed_at       timestamptz,
  parent_id          uuid REFERENCES ${schema}.subject_requests (id),
  origin             text NOT NULL DEFAULT 'api',
  warned_state       text,
  scrubbed_at        timestamptz,
  -- Erasure exceptions in force when the request was issued ({holdId} or {policyId} per entry).
  holds              jsonb NOT NULL DEFAULT '[]'
);
CREATE UNIQUE INDEX subject_requests_idem ON ${schema}.subject_requests (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX subject_requests_subject ON ${schema}.subject_requests (tenant_id, subject_ref);
CREATE INDEX subject_requests_open ON ${schema}.subject_requests (deadline) WHERE state = 'in_progress';

CREATE TABLE ${schema}.request_receipts (
  tenant_id     text NOT NULL,
  request_id    uuid NOT NULL REFERENCES ${schema}.subject_requests (id),
  service       text NOT NULL,
  status        text NOT NULL CHECK (status IN ('completed', 'failed')),
  tables        jsonb NOT NULL,
  export_sha256 text,
  export_data   jsonb,
  error         text,
  completed_at  timestamptz NOT NULL,
  received_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (request_id, service)
);

-- Art. 17(3) exceptions: retention policies and legal holds per data category.
CREATE TABLE ${schema}.retention_policies (
  id             uuid PRIMARY KEY,
  tenant_id      text NOT NULL,
  category       text NOT NULL,
  ground         text NOT NULL,
  description    text NOT NULL,
  retention_days integer NOT NULL CHECK (retention_days > 0),
  created_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, category)
);

CREATE TABLE ${schema}.legal_holds (
  id          uuid PRIMARY KEY,
  tenant_id   text NOT NULL,
  category    text NOT NULL,
  subject_ref text,
  ground      text NOT NULL,
  reason      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  ended_at    timestamptz
);
CREATE INDEX legal_holds_active ON ${schema}.legal_holds (tenant_id, category) WHERE ended_at IS NULL;

-- Evidence of storage-limitation purges (Art. 5(1)(e)).
CREATE TABLE ${schema}.purge_runs (
  id         uuid PRIMARY KEY,
  tenant_id  text NOT NULL,
  category   text NOT NULL,
  cutoff     timestamptz NOT NULL,
  rows       integer NOT NULL,
  detail     jsonb NOT NULL DEFAULT '{}',
  ran_at     timestamptz NOT NULL DEFAULT now()
);

-- Hash-chained processing log (Art. 30), one chain per tenant.
CREATE TABLE ${schema}.audit_log (
  tenant_id    text NOT NULL,
  seq          bigint NOT NULL,
  event_id     uuid NOT NULL,
  topic        text NOT NULL,
  subject_ref  text,
  content      text NOT NULL,
  prev_hash    text NOT NULL,
  hash         text NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, seq),
  UNIQUE (tenant_id, event_id)
);

CREATE TABLE ${schema}.audit_checkpoints (
  tenant_id  text NOT NULL,
  seq        bigint NOT NULL,
  hash       text NOT NULL,
  signature  text NOT NULL,
  key_id     text NOT NULL,
  signed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, seq)
);

CREATE FUNCTION ${schema}.audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON ${schema}.audit_log
  FOR EACH ROW EXECUTE FUNCTION ${schema}.audit_append_only();
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE OR DELETE ON ${schema}.audit_checkpoints
  FOR EACH ROW EXECUTE FUNCTION ${schema}.audit_append_only();

-- Records of processing activities, Art. 30(1)(a)-(g).
CREATE TABLE ${schema}.processing_records (
  id                     uuid PRIMARY KEY,
  tenant_id              text NOT NULL,
  name                   text NOT NULL,
  controller             jsonb NOT NULL,
  purposes               text[] NOT NULL,
  data_subject_categories text[] NOT NULL,
  data_categories        text[] NOT NULL,
  recipients             text[] NOT NULL,
  third_country_transfers jsonb NOT NULL,
  retention              text NOT NULL,
  security_measures      text NOT NULL,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name)
);

-- Breach register (Art. 33(5)): every breach, notified or not.
CREATE TABLE ${schema}.breaches (
  id                    uuid PRIMARY KEY,
  tenant_id             text NOT NULL,
  title                 text NOT NULL,
  aware_at              timestamptz NOT NULL,
  notify_deadline       timestamptz NOT NULL,
  nature                text NOT NULL,
  data_categories       text[] NOT NULL,
  approx_subjects       integer,
  approx_records        integer,
  dpo_contact           text NOT NULL,
  likely_consequences   text NOT NULL,
  measures              text NOT NULL,
  risk                  text NOT NULL CHECK (risk IN ('none', 'risk', 'high')),
  authority_notified_at timestamptz,
  not_notified_reason   text,
  delay_reason          text,
  subjects_decision     text CHECK (subjects_decision IN ('notify', 'exempt')),
  subjects_exemption    text,
  subjects_notified_at  timestamptz,
  warned_state          text,
  created_at            timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ${schema}.breach_updates (
  id         uuid PRIMARY KEY,
  tenant_id  text NOT NULL,
  breach_id  uuid NOT NULL REFERENCES ${schema}.breaches (id),
  phase      text NOT NULL,
  detail     text NOT NULL,
  added_at   timestamptz NOT NULL DEFAULT now()
);
