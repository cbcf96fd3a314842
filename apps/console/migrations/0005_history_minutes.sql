-- Per-minute totals of the event history, kept in the same statement as every insert into event_history (so
-- a redelivered event, which inserts nothing, adds nothing here either). A timeline whose window and buckets
-- fall on whole minutes (the 24 h and 7 day views) reads these instead of every event: a busy day is at most
-- 1,440 rows per lane, kind, severity and database here against one row per event there. Health scores are
-- kept per database (`subject`, the line drawn per database); every other kind is totalled under subject ''.
CREATE TABLE ${schema}.event_history_minutes (
  tenant_id  text NOT NULL,
  minute     timestamptz NOT NULL,
  lane       text NOT NULL,
  kind       text NOT NULL,
  severity   text NOT NULL,
  subject    text NOT NULL,
  count      integer NOT NULL,
  min        double precision,
  max        double precision,
  sum        double precision,
  PRIMARY KEY (tenant_id, minute, lane, kind, severity, subject)
);

INSERT INTO ${schema}.event_history_minutes (tenant_id, minute, lane, kind, severity, subject, count, min, max, sum)
SELECT tenant_id, to_timestamp(floor(extract(epoch FROM occurred_at) / 60) * 60), lane, kind, severity,
       CASE WHEN kind = 'health.scored' THEN subject_id ELSE '' END, count(*), min(value), max(value), sum(value)
FROM ${schema}.event_history
GROUP BY 1, 2, 3, 4, 5, 6;
