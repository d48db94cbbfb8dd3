// GET /statements/YYYY-MM-DD.csv — the daily statement file, plain HTTP so any tool can fetch it.
import type { Express } from 'express';
import { AppError } from '@platform/contracts';
import { toErrorBody } from '@platform/service-kit';
import type { Database } from '../db.ts';
import { dailyStatement } from '../domain/statement.ts';

const DAY = /^(\d{4}-\d{2}-\d{2})\.csv$/;

export function statementRoutes(app: Express, db: Database, outlet: string): void {
  app.get('/statements/:file', async (req, res) => {
    try {
      const day = DAY.exec(String(req.params.file))?.[1];
      if (
        !day ||
        Number.isNaN(Date.parse(`${day}T00:00:00Z`)) ||
        new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day
      )
        throw new AppError('ROUTE_NOT_FOUND', 'Statements are at /statements/YYYY-MM-DD.csv');
      res.type('text/csv').send(await dailyStatement(db, day, outlet));
    } catch (error) {
      const body = toErrorBody(error, req.requestId);
      if (body.code === 'INTERNAL') req.log.error({ err: error }, 'internal error');
      res.status(body.httpStatus).json({ error: body });
    }
  });
}
