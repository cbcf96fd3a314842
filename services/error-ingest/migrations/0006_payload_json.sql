-- Event payloads are stored as json (the text as sent, validated), not jsonb: nothing queries inside
-- a payload (it is only read whole: the API's event detail, subject export), and jsonb's parse into its
-- binary form was most of PostgreSQL's CPU per stored event (measured on PostgreSQL 15, lz4, 2,000
-- rows in inserts of 100: 50 KB event 585-685 us per row as jsonb, 105-115 as json; 5 KB 95-105 vs
-- 40-45), and reading it back costs a conversion to text as well. Existing rows are rewritten (the
-- ALTER recurses into every month partition). A type change resets the column's compression, so lz4
-- (0005) is set again, on the parent (partitions created later inherit it) and on each partition.
ALTER TABLE ${schema}.events ALTER COLUMN payload TYPE json USING payload::json;
ALTER TABLE ${schema}.events ALTER COLUMN payload SET COMPRESSION lz4;
DO $$
DECLARE
  part regclass;
BEGIN
  FOR part IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = '${schema}.events'::regclass LOOP
    EXECUTE format('ALTER TABLE %s ALTER COLUMN payload SET COMPRESSION lz4', part);
  END LOOP;
END $$;
