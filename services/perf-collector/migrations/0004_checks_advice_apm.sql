-- Issue 16: the checks behind each score (value, thresholds, why), index advice with its write
-- overhead, optimizations measured before and after, and p50/p99 latency per service.
ALTER TABLE ${schema}.health_scores ADD COLUMN checks jsonb;
ALTER TABLE ${schema}.recommendations ADD COLUMN write_overhead jsonb;
ALTER TABLE ${schema}.optimizations ADD COLUMN recommendation jsonb, ADD COLUMN measured jsonb;
ALTER TABLE ${schema}.apm_summaries ADD COLUMN latency_p50 double precision, ADD COLUMN latency_p99 double precision;
