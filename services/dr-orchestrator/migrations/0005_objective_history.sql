-- The RPO/RTO history (GET /policies/:policyId/objective-history) pages finished restores by (finished_at, id).
CREATE INDEX IF NOT EXISTS verifications_policy_finished ON ${schema}.verifications (policy_id, finished_at, id) WHERE finished_at IS NOT NULL;
