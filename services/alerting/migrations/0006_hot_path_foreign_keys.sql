-- The rows an alert's intake writes beside it (its history entry, its group membership, the link from
-- its notification) no longer check a foreign key: each check was a query and a KEY SHARE row lock per
-- row, 8 % of the backends' CPU in a burst. These rows are only ever written by the statement or
-- transaction that writes (or has locked) the rows they point at, alerts are never deleted, and a group
-- is deleted only once it has no members, so neither the checks nor the cascades had anything to do.
ALTER TABLE ${schema}.alert_history DROP CONSTRAINT alert_history_alert_id_fkey;
ALTER TABLE ${schema}.group_alerts DROP CONSTRAINT group_alerts_group_id_fkey;
ALTER TABLE ${schema}.group_alerts DROP CONSTRAINT group_alerts_alert_id_fkey;
ALTER TABLE ${schema}.notification_alerts DROP CONSTRAINT notification_alerts_notification_id_fkey;
