// The overview's batched reads: a list with each item's detail in one request (operations/overview.ts).
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { ConsoleDeps } from '../operations/deps.js';
import { databasesWithHealth, firingAlerts, policiesWithObjectives, recentIssues } from '../operations/overview.js';
import { sessionOf } from '../plugins/session-guard.js';
import { Problem } from './problem-schema.js';

const errors = { 401: Problem, 502: Problem };

export const overviewRoutes: FastifyPluginAsync<{ deps: ConsoleDeps }> = async (app: FastifyInstance, { deps }) => {
  const config = { public: true, access: 'read' } as const;
  const tags = ['overview'];
  app.get(
    '/api/overview/alerts',
    { config, schema: { tags, summary: "alerting's firing alerts (up to 1,000) counted by severity, with the five the overview lists, most severe then newest ({total, bySeverity, latest, truncated})", response: errors } },
    async (req) => firingAlerts(deps, sessionOf(req)),
  );
  app.get(
    '/api/overview/databases',
    { config, schema: { tags, summary: "perf-collector's databases, each with its latest 100 health scores ({items, health: {<databaseId>: scores | null}})", response: errors } },
    async (req) => databasesWithHealth(deps, sessionOf(req)),
  );
  app.get(
    '/api/overview/policies',
    { config, schema: { tags, summary: "dr-orchestrator's backup policies, each with its recovery objectives ({items, objectives: {<policyId>: objectives | null}})", response: errors } },
    async (req) => policiesWithObjectives(deps, sessionOf(req)),
  );
  app.get(
    '/api/overview/issues',
    { config, schema: { tags, summary: "error-ingest's projects, each with its unresolved issues new or regressed in the last 24 h ({items: [{project, newIssues, regressed, truncated}]})", response: errors } },
    async (req) => recentIssues(deps, sessionOf(req)),
  );
};
