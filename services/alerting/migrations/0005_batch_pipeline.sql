-- The batched pipeline finds the groups of the alerts a batch touched (the intake flushes the due ones
-- in its own transaction; resolves and acknowledgements touch their groups): by alert, not by group.
CREATE INDEX group_alerts_alert ON ${schema}.group_alerts (alert_id);
