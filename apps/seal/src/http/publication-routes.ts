// Plain HTTP endpoints that PKI clients expect at fixed URLs (written into certificates): CA
// certificates, CRLs, the OCSP responder (RFC 6960) and the RFC 3161 timestamp endpoint. Not tRPC: their bodies are DER.
import express, { type Express } from 'express';
import type { CertificateAuthority } from '../domain/ca/authority.ts';
import type { TimestampAuthority } from '../domain/tsa/timestamp-authority.ts';

const MAX_TIMESTAMP_REQUEST = 16 * 1024;
const MAX_OCSP_REQUEST = 16 * 1024;

export function publicationRoutes(deps: {
  authority: () => Promise<CertificateAuthority>;
  timestamps: () => Promise<TimestampAuthority>;
}) {
  return (app: Express): void => {
    app.get('/ca/root.crt', async (_req, res, next) => {
      try {
        res.type('application/pkix-cert').send((await (await deps.authority()).root()).facts.der);
      } catch (error) {
        next(error);
      }
    });
    app.get('/ca/issuing.crt', async (_req, res, next) => {
      try {
        res.type('application/pkix-cert').send((await (await deps.authority()).issuing()).facts.der);
      } catch (error) {
        next(error);
      }
    });
    for (const role of ['root', 'issuing'] as const) {
      app.get(`/ca/${role}.crl`, async (_req, res, next) => {
        try {
          // Re-published on every revocation: caches must revalidate.
          res
            .set('cache-control', 'no-cache')
            .type('application/pkix-crl')
            .send(await (await deps.authority()).crlDer(role));
        } catch (error) {
          next(error);
        }
      });
    }
    app.get('/ca/sm2-root.crl', async (_req, res, next) => {
      try {
        const crl = await (await deps.authority()).sm2.crlDer();
        if (!crl) {
          res.status(404).type('text/plain').send('No SM2 seal has been made here yet');
          return;
        }
        res.set('cache-control', 'no-cache').type('application/pkix-crl').send(crl);
      } catch (error) {
        next(error);
      }
    });
    app.post(
      '/ocsp',
      express.raw({ type: 'application/ocsp-request', limit: MAX_OCSP_REQUEST }),
      async (req, res, next) => {
        try {
          if (!Buffer.isBuffer(req.body)) {
            res.status(415).type('text/plain').send('Content-Type must be application/ocsp-request');
            return;
          }
          res.type('application/ocsp-response').send(await (await deps.authority()).ocsp(req.body));
        } catch (error) {
          next(error);
        }
      },
    );
    app.post(
      '/tsa',
      express.raw({ type: 'application/timestamp-query', limit: MAX_TIMESTAMP_REQUEST }),
      async (req, res, next) => {
        try {
          if (!Buffer.isBuffer(req.body)) {
            res.status(415).type('text/plain').send('Content-Type must be application/timestamp-query');
            return;
          }
          res.type('application/timestamp-reply').send(await (await deps.timestamps()).respond(req.body));
        } catch (error) {
          next(error);
        }
      },
    );
  };
}
