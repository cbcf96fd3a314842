// Reports: the executive report (JSON, CSV, PDF), the print page's single-use read, weekly schedules.
import type { AddressInfo } from 'node:net';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { reportCsv } from '../domain/report-csv.js';
import type { ConsoleDeps } from '../operations/deps.js';
import { executiveReportFor, periodFrom } from '../operations/executive-report.js';
import { reportForRenderToken, reportPdf } from '../operations/report-pdf.js';
import { createSchedule, deliveriesOf, removeSchedule, schedulesOf, sendScheduleNow, type ScheduleInput } from '../operations/report-schedules.js';
import { sessionOf } from '../plugins/session-guard.js';

const PeriodQuery = Type.Object(
  { from: Type.String({ format: 'date-time', description: 'start, inclusive' }), to: Type.String({ format: 'date-time', description: 'end, exclusive' }) },
  { additionalProperties: false },
);
const ScheduleBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    webhookUrl: Type.String({ minLength: 8, maxLength: 2000 }),
    dayOfWeek: Type.Integer({ minimum: 0, maximum: 6, description: '0 = Sunday, UTC' }),
    hour: Type.Integer({ minimum: 0, maximum: 23, description: 'UTC' }),
    format: Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' }),
  },
  { additionalProperties: false },
);
const ScheduleParams = Type.Object({ scheduleId: Type.String({ format: 'uuid' }) });

const fileName = (from: string, to: string, ext: string) => `vigil-executive-report-${from.slice(0, 10)}-${to.slice(0, 10)}.${ext}`;

export const reportRoutes: FastifyPluginAsync<{ deps: ConsoleDeps }> = async (app: FastifyInstance, { deps }) => {
  const read = { public: true, access: 'read' } as const;
  const admin = { public: true, access: 'admin' } as const;
  const tags = ['reports'];
  const report = (req: FastifyRequest) => {
    const q = req.query as { from: string; to: string };
    return executiveReportFor(deps, sessionOf(req).tenantId, periodFrom(q.from, q.to));
  };
  /** The console as its own Chromium reaches it. */
  const selfUrl = () => deps.config.CONSOLE_RENDER_BASE_URL.replace(/\/$/, '') || `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  app.get('/api/reports/executive', { config: read, schema: { tags, summary: 'The executive report of the session tenant for a period', querystring: PeriodQuery } }, report);
  app.get('/api/reports/executive.csv', { config: read, schema: { tags, summary: 'The executive report as CSV, one row per figure', querystring: PeriodQuery } }, async (req, reply) => {
    const r = await report(req);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${fileName(r.period.from, r.period.to, 'csv')}"`).send(reportCsv(r));
  });
  app.get('/api/reports/executive.pdf', { config: read, schema: { tags, summary: "The executive report as PDF, printed by the console's Chromium", querystring: PeriodQuery } }, async (req, reply) => {
    const r = await report(req);
    const pdf = await reportPdf(deps, selfUrl(), r);
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${fileName(r.period.from, r.period.to, 'pdf')}"`).header('cache-control', 'no-store').send(pdf);
  });
  // The print page's one read: the render token (header, never a cookie) is the only credential, and works once.
  app.post(
    '/api/reports/render',
    { config: { public: true, access: 'anonymous' }, schema: { tags, summary: 'The report a single-use render token was issued for (X-Render-Token)', hide: true } },
    async (req, reply) => reply.header('cache-control', 'no-store').send(await reportForRenderToken(deps, req.headers['x-render-token'] as string | undefined)),
  );

  app.get('/api/reports/schedules', { config: read, schema: { tags, summary: 'Weekly report schedules of the tenant' } }, async (req) => schedulesOf(deps, sessionOf(req)));
  app.post('/api/reports/schedules', { config: admin, schema: { tags, summary: 'Schedule the report weekly to a webhook; the signing secret is returned once', body: ScheduleBody } }, async (req, reply) =>
    reply.status(201).send(await createSchedule(deps, sessionOf(req), req.body as ScheduleInput)),
  );
  app.delete('/api/reports/schedules/:scheduleId', { config: admin, schema: { tags, summary: 'Stop a schedule', params: ScheduleParams } }, async (req, reply) => {
    await removeSchedule(deps, sessionOf(req), (req.params as { scheduleId: string }).scheduleId);
    return reply.status(204).send();
  });
  app.get('/api/reports/schedules/:scheduleId/deliveries', { config: read, schema: { tags, summary: 'Delivery attempts of a schedule, newest first', params: ScheduleParams } }, async (req) =>
    deliveriesOf(deps, sessionOf(req), (req.params as { scheduleId: string }).scheduleId),
  );
  app.post('/api/reports/schedules/:scheduleId/deliveries', { config: admin, schema: { tags, summary: 'Deliver the last seven days now', params: ScheduleParams } }, async (req, reply) =>
    reply.status(201).send(await sendScheduleNow(deps, sessionOf(req), (req.params as { scheduleId: string }).scheduleId)),
  );
};
