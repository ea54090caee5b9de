// Public transparency statistics: JSON and CSV under /api, and a server-rendered page at
// /statistics. No session and no input; the figures are cached briefly by the service.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { strictObject } from '../http/strict-schema.ts';
import { StatisticsService } from '../services/statistics-service.ts';
import { statisticsCsv } from './statistics-csv.ts';
import { statisticsPage } from './statistics-page.ts';

export function registerStatisticsRoutes(app: FastifyInstance, context: AppContext): void {
  const service = new StatisticsService(context);
  // No input at all: an unknown query parameter is a 400, not silently ignored.
  const schema = { querystring: strictObject({}) };

  app.get('/api/statistics', { schema }, async () => service.statistics());

  app.get('/api/statistics.csv', { schema }, async (_request, reply) => {
    const statistics = await service.statistics();
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="candour-statistics-${statistics.generatedOn}.csv"`)
      .send(statisticsCsv(statistics));
  });

  app.get('/statistics', { schema }, async (_request, reply) =>
    reply.header('content-type', 'text/html; charset=utf-8').send(statisticsPage(await service.statistics(), context.config.mode)));
}
