-- Appends entries to a tenant's audit chain inside the server, in the caller's transaction, so that
-- a group-committed consent batch can send its whole transaction in one round trip: no client hop
-- between taking the chain lock and COMMIT. The caller holds the tenant's chain lock
-- (pg_advisory_xact_lock(hashtext('gdpr-audit:' || tenant))) taken earlier in the transaction. The head is
-- read by this function's own statement, after the lock was granted, so it sees the previous
-- holder's commit. The hash is the one of src/domain/audit-chain.ts entryHash:
-- sha256(prev_hash || '\n' || seq || '\n' || content) over UTF-8, in hex.
CREATE FUNCTION ${schema}.append_chain(p_tenant text, p_event_ids uuid[], p_topics text[], p_subject_refs text[], p_contents text[])
RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_seq bigint;
  v_hash text;
  v_prevs text[] := '{}';
  v_hashes text[] := '{}';
  v_content text;
BEGIN
  SELECT seq, hash INTO v_seq, v_hash FROM ${schema}.audit_log WHERE tenant_id = p_tenant ORDER BY seq DESC LIMIT 1;
  v_seq := coalesce(v_seq, 0);
  v_hash := coalesce(v_hash, repeat('0', 64));
  FOREACH v_content IN ARRAY p_contents LOOP
    v_prevs := v_prevs || v_hash;
    v_hash := encode(sha256(convert_to(v_hash || E'\n' || (v_seq + cardinality(v_prevs))::text || E'\n' || v_content, 'UTF8')), 'hex');
    v_hashes := v_hashes || v_hash;
  END LOOP;
  INSERT INTO ${schema}.audit_log (tenant_id, seq, event_id, topic, subject_ref, content, prev_hash, hash)
  SELECT p_tenant, v_seq + u.n, u.event_id, u.topic, u.subject_ref, u.content, u.prev_hash, u.hash
  FROM unnest(p_event_ids, p_topics, p_subject_refs, p_contents, v_prevs, v_hashes) WITH ORDINALITY AS u(event_id, topic, subject_ref, content, prev_hash, hash, n);
  RETURN v_seq + cardinality(v_hashes);
END $$;
GRANT EXECUTE ON FUNCTION ${schema}.append_chain(text, uuid[], text[], text[], text[]) TO vigil_gdpr_tenant;
