import type { FastifyInstance } from 'fastify';
import { boundReportId, reportData } from '../report-data.ts';
import { PAGE_HEADERS, reportPage } from '../report-page.ts';
import { type IdRoute, idParams } from './params.ts';

/**
 * Seed 001: a report opened with a report share token (`tsr_shr_…`, bound to `report:<id>`). Only share
 * tokens are accepted here (`kinds: ['shr']`), so an API token for subscriptions does not open reports.
 */
export async function reportRoutes(app: FastifyInstance): Promise<void> {
  app.get<IdRoute>(
    '/api/reports/:id',
    {
      schema: { params: idParams },
      onRequest: app.requireToken<IdRoute>({
        resource: (request) => `report:${request.params.id}`,
        kinds: ['shr'],
      }),
    },
    async (request) => reportData(request.params.id),
  );

  // The share link itself: the token names its report, so the URL needs nothing else.
  app.get('/v/report.html', { onRequest: app.requireToken({ kinds: ['shr'] }) }, async (request, reply) => {
    const reportId = boundReportId(request.tessera!.resources);
    if (reportId === undefined) {
      return reply
        .code(403)
        .send({ error: { code: 'RESOURCE_DENIED', message: 'The token opens no report.' } });
    }
    return reply.headers(PAGE_HEADERS).send(reportPage(reportData(reportId)));
  });
}
