// Turns the authorization flow's next step into an HTTP response, with a page CSP that lets the
// page's forms end in a redirect to the client (browsers apply form-action to redirects).
import type { Response } from 'express';
import type { NextStep } from '../domain/oauth/authorization-flow.ts';

export function respondWithStep(res: Response, step: NextStep): void {
  switch (step.kind) {
    case 'login':
      return res.redirect(303, `/login?interaction=${encodeURIComponent(step.interactionId)}`);
    case 'step_up':
      return res.redirect(303, `/step-up?interaction=${encodeURIComponent(step.interactionId)}`);
    case 'consent':
      return res.redirect(303, `/consent?interaction=${encodeURIComponent(step.interactionId)}`);
    case 'redirect':
      res.set('cache-control', 'no-store');
      return res.redirect(303, step.url);
  }
}

export function sendPage(res: Response, status: number, body: string, formTargets: string[] = []): void {
  const origins = [...new Set(formTargets.map((target) => new URL(target).origin))];
  res
    .status(status)
    .set({
      'content-security-policy': [
        "default-src 'none'",
        "style-src 'self'",
        "img-src 'self' data:",
        `form-action 'self'${origins.map((origin) => ` ${origin}`).join('')}`,
        "frame-ancestors 'none'",
        "base-uri 'none'",
      ].join('; '),
      'cache-control': 'no-store',
      'x-frame-options': 'DENY',
      // same-origin, not no-referrer: with no-referrer browsers send `Origin: null` on the pages' own
      // form posts, which the CSRF origin check refuses; same-origin still sends nothing to other sites.
      'referrer-policy': 'same-origin',
    })
    .type('html')
    .send(body);
}
