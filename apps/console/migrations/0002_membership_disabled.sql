-- Disabling is per tenant: an admin of one tenant must not lock a person out of another.
ALTER TABLE ${schema}.memberships ADD COLUMN disabled_at timestamptz;
