// Plain HTTP for offline verifiers and other regions' nodes: issuer JWKS and signed status lists,
// at the URLs credentials name. Cacheable, no authentication (they hold nothing secret). Also the
// verification page the QR code of a license file points at.
import type { Express, Request, Response } from 'express';
import { AppError } from '@platform/contracts';
import { toErrorBody, type Logger } from '@platform/service-kit';
import { isLicenseIdentifier, isUnifiedSocialCreditCode } from '@platform/identifiers';
import type { StatusPurpose } from '@platform/license-verifier';
import type { LicenseCore } from '../composition.ts';
import { verificationFailure } from '../domain/verification/verification.ts';
import { renderVerifyPage } from './verify-page.ts';

const NOT_FOUND = verificationFailure('LICENSE_NOT_FOUND', 'Not a license identifier');

/** The platform error model on plain routes; internal errors are logged, never shown. */
function sendError(res: Response, error: unknown, req: Request, log: Logger): void {
  const body = toErrorBody(error, req.requestId);
  if (body.code === 'INTERNAL') log.error({ err: error, requestId: req.requestId }, 'internal error');
  res.status(body.httpStatus).json({ error: body });
}

export function mountPublicRoutes(app: Express, core: LicenseCore, log: Logger, statusListTtlSeconds: number): void {
  app.get('/issuers/:issuerCode/jwks.json', async (req, res) => {
    try {
      const { issuerCode } = req.params as { issuerCode: string };
      if (!isUnifiedSocialCreditCode(issuerCode)) throw new AppError('NOT_FOUND', 'No such issuer');
      const jwks = await core.keys.jwks(issuerCode);
      if (jwks.keys.length === 0) throw new AppError('NOT_FOUND', 'No such issuer');
      res.set('cache-control', 'public, max-age=300').json(jwks);
    } catch (error) {
      sendError(res, error, req, log);
    }
  });

  // Where the QR code on a license file points: any phone opens it. Anonymous, so the answer says
  // authentic or not and the current status, never the fields (license.verify with a token does).
  app.get('/verify/:identifier', async (req, res) => {
    try {
      const { identifier } = req.params as { identifier: string };
      // A browser (text/html preferred) gets the page in Chinese; every other client the JSON.
      const wantsPage = req.accepts(['application/json', 'text/html']) === 'text/html';
      if (!isLicenseIdentifier(identifier)) {
        if (!wantsPage) throw new AppError('LICENSE_NOT_FOUND', 'Not a license identifier');
        res.status(404).set('cache-control', 'no-store').type('html').send(renderVerifyPage(identifier, NOT_FOUND));
        return;
      }
      const result = await core.verification.byIdentifier(identifier, undefined);
      res.set('cache-control', 'no-store').vary('Accept');
      if (wantsPage) res.type('html').send(renderVerifyPage(identifier, result));
      else res.json(result);
    } catch (error) {
      sendError(res, error, req, log);
    }
  });

  app.get('/status-lists/:issuerCode/:purpose/:listNumber', async (req, res) => {
    try {
      const { issuerCode, purpose, listNumber } = req.params as Record<string, string>;
      const number = Number(listNumber);
      if (
        !isUnifiedSocialCreditCode(issuerCode ?? '') ||
        (purpose !== 'revocation' && purpose !== 'suspension') ||
        !/^\d{1,6}$/.test(listNumber ?? '')
      )
        throw new AppError('STATUS_LIST_NOT_FOUND', 'No such status list');
      const jwt = await core.statusLists.signed(issuerCode ?? '', purpose as StatusPurpose, number);
      if (!jwt) throw new AppError('STATUS_LIST_NOT_FOUND', 'No such status list');
      // Verifiers may cache it for a fraction of its validity, so revocations still reach them soon.
      res
        .set('cache-control', `public, max-age=${Math.max(1, Math.floor(statusListTtlSeconds / 10))}`)
        .type('application/vc+jwt')
        .send(jwt);
    } catch (error) {
      sendError(res, error, req, log);
    }
  });
}
