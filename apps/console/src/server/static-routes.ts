// The built single-page app: hashed assets cached for good, index.html for every app route (the
// app routes in the browser), never cached so a new build is picked up at once.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Express, type Request, type Response } from 'express';

const SERVER_PREFIXES = ['/auth/', '/svc/', '/trpc/', '/api/', '/docs', '/healthz', '/readyz', '/metrics'];

export function mountStaticRoutes(app: Express, staticDir: string): void {
  const index = join(staticDir, 'index.html');
  app.use(
    '/assets',
    express.static(join(staticDir, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: false }),
  );
  app.use(express.static(staticDir, { index: false, maxAge: '1h' }));
  app.get(/.*/, (req: Request, res: Response, next) => {
    if (SERVER_PREFIXES.some((prefix) => req.path.startsWith(prefix))) return next();
    if (!existsSync(index)) {
      res
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The console app is not built: run `npm run build -w @platform/console`.');
      return;
    }
    res.set('cache-control', 'no-cache').sendFile(index);
  });
}
