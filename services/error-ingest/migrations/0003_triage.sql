-- Triage: how an issue was resolved (now / in a release / in the next release), and its activity:
-- status changes and regressions with the event and release where they happened.
ALTER TABLE ${schema}.issues
  ADD COLUMN resolution text CHECK (resolution IN ('now', 'inRelease', 'inNextRelease')),
  ADD COLUMN resolved_after_release text,
  ADD COLUMN regressed_at timestamptz;

CREATE TABLE ${schema}.issue_activity (
  id        bigserial PRIMARY KEY,
  issue_id  bigint NOT NULL REFERENCES ${schema}.issues (id) ON DELETE CASCADE,
  kind      text NOT NULL CHECK (kind IN ('resolved', 'ignored', 'unresolved', 'regressed')),
  at        timestamptz NOT NULL DEFAULT now(),
  release   text,
  event_id  uuid,
  detail    jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX issue_activity_issue ON ${schema}.issue_activity (issue_id, at DESC, id DESC);
-- The stream's default order within a status (status filter + last seen), used by every page of the list.
CREATE INDEX issues_project_status_last_seen ON ${schema}.issues (project_id, status, last_seen DESC, id DESC);
