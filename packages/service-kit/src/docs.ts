// /docs: Swagger UI served from the installed swagger-ui-dist (no CDN: these machines are offline,
// and a strict CSP allows only our own scripts).
import { createRequire } from 'node:module';
import path from 'node:path';
import express from 'express';

const require = createRequire(import.meta.url);
const assetsDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));

const page = (title: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>`;

const init = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger', deepLinking: true });`;

export function docsRouter(service: string): express.Router {
  const router = express.Router();
  router.use('/assets', express.static(assetsDir, { index: false, maxAge: '1d' }));
  router.get('/init.js', (_req, res) => {
    res.type('application/javascript').send(init);
  });
  router.get('/', (_req, res) => {
    res.type('html').send(page(`${service} service API`));
  });
  return router;
}
