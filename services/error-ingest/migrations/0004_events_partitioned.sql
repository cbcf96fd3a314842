-- errors.events partitioned by UTC month of received_at (native range partitioning), so retention
-- drops whole months instead of deleting rows; a project whose retention is shorter than that is
-- still honoured by the filtered delete (db/retention.ts). Partitions are named events_YYYYMM and
-- created ahead by the retention task and on demand by processing (db/event-partitions.ts).
-- The primary key includes the partition key: (event_id, received_at). An accepted event keeps its
-- received_at on both paths (Kafka and spool), so a redelivered copy conflicts with itself; the
-- processor also checks event ids across partitions before inserting.
-- event_subjects gets received_at so that its foreign key can reference the partitioned table.
SET LOCAL TIME ZONE 'UTC'; -- month boundaries and month arithmetic in UTC, whatever the server's zone
ALTER TABLE ${schema}.event_subjects DROP CONSTRAINT event_subjects_event_id_fkey;
ALTER TABLE ${schema}.events RENAME TO events_unpartitioned;
ALTER INDEX ${schema}.events_pkey RENAME TO events_unpartitioned_pkey;
ALTER INDEX ${schema}.events_issue RENAME TO events_unpartitioned_issue;
ALTER INDEX ${schema}.events_project_received RENAME TO events_unpartitioned_project_received;

CREATE TABLE ${schema}.events (
  event_id       uuid NOT NULL,
  project_id     bigint NOT NULL REFERENCES ${schema}.projects (id) ON DELETE CASCADE,
  tenant_id      text NOT NULL,
  issue_id       bigint NOT NULL REFERENCES ${schema}.issues (id) ON DELETE CASCADE,
  received_at    timestamptz NOT NULL,
  occurred_at    timestamptz NOT NULL,
  level          text NOT NULL,
  release        text,
  environment    text,
  exception_type text,
  user_ref       text,
  tags           jsonb NOT NULL DEFAULT '{}',
  payload        jsonb NOT NULL,
  PRIMARY KEY (event_id, received_at)
) PARTITION BY RANGE (received_at);
CREATE INDEX events_issue ON ${schema}.events (issue_id, received_at DESC, event_id);
CREATE INDEX events_project_received ON ${schema}.events (project_id, received_at);

-- A partition for every month holding rows, and for the previous, this and the next month.
DO $$
DECLARE
  m timestamptz;
  last timestamptz := date_trunc('month', now()) + interval '1 month';
BEGIN
  SELECT least(date_trunc('month', min(received_at)), last - interval '2 months')
    INTO m FROM ${schema}.events_unpartitioned;
  WHILE m <= last LOOP
    EXECUTE format('CREATE TABLE %I.%I PARTITION OF %I.events FOR VALUES FROM (%L) TO (%L)',
      '${schema}', 'events_' || to_char(m, 'YYYYMM'), '${schema}', m, m + interval '1 month');
    m := m + interval '1 month';
  END LOOP;
END $$;

INSERT INTO ${schema}.events SELECT * FROM ${schema}.events_unpartitioned;

ALTER TABLE ${schema}.event_subjects ADD COLUMN received_at timestamptz;
UPDATE ${schema}.event_subjects s SET received_at = e.received_at FROM ${schema}.events_unpartitioned e WHERE e.event_id = s.event_id;
DELETE FROM ${schema}.event_subjects WHERE received_at IS NULL;
ALTER TABLE ${schema}.event_subjects ALTER COLUMN received_at SET NOT NULL;
ALTER TABLE ${schema}.event_subjects
  ADD CONSTRAINT event_subjects_event_fkey FOREIGN KEY (event_id, received_at) REFERENCES ${schema}.events (event_id, received_at)
  ON DELETE CASCADE ON UPDATE CASCADE;
-- Retention removes a month's subjects before it detaches the month's partition.
CREATE INDEX event_subjects_received ON ${schema}.event_subjects (received_at);

DROP TABLE ${schema}.events_unpartitioned;
