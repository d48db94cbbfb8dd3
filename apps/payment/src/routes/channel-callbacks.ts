// GET /channels/:channel/merchant-key — the public key that verifies the platform's refund
// instructions (a sandbox channel fetches it; a real bank receives it at on-boarding).
// POST /channels/:channel/callback — channel confirmations. Plain HTTP (not tRPC): the body must
// reach the verifier byte for byte, because the channel signed exactly those bytes. Answers 200
// for recorded and duplicate confirmations (the channel stops retrying), the platform error model
// otherwise (4xx: do not retry as is; 5xx/502: retry later).
import express, { type Express, type Request, type Response } from 'express';
import { AppError, type SignedConfirmation } from '@platform/contracts';
import { toErrorBody } from '@platform/service-kit';
import type { PaymentChannel } from '../domain/channels/channel.ts';
import type { PaymentRecorder } from '../domain/payments/payment-recorder.ts';

export const TIMESTAMP_HEADER = 'x-channel-timestamp';
export const SIGNATURE_HEADER = 'x-channel-signature';

export interface CallbackDeps {
  channels: PaymentChannel[];
  recorder: PaymentRecorder;
  bodyLimitBytes: number;
  /** Runs after a payment was recorded (e.g. nudge the webhook dispatcher). */
  onRecorded?: () => void;
}

function signedMessage(req: Request): SignedConfirmation {
  const timestamp = req.get(TIMESTAMP_HEADER);
  const signature = req.get(SIGNATURE_HEADER);
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp))
    throw new AppError('CALLBACK_SIGNATURE_INVALID', `Send ${TIMESTAMP_HEADER} and ${SIGNATURE_HEADER} headers`);
  if (typeof req.body !== 'string' || req.body.length === 0)
    throw new AppError('MALFORMED_REQUEST', 'The callback body is empty');
  return { timestamp: Number(timestamp), signature, body: req.body };
}

export function channelCallbackRoutes(app: Express, deps: CallbackDeps): void {
  const byId = new Map(deps.channels.map((channel) => [channel.id, channel]));
  app.get('/channels/:channel/merchant-key', (req: Request, res: Response) => {
    const pem = byId.get(String(req.params.channel))?.merchantPublicKeyPem;
    if (!pem) {
      const body = toErrorBody(new AppError('ROUTE_NOT_FOUND', 'No merchant key for this channel'), req.requestId);
      res.status(body.httpStatus).json({ error: body });
      return;
    }
    res.type('application/x-pem-file').send(pem);
  });
  app.post(
    '/channels/:channel/callback',
    express.text({ type: () => true, limit: deps.bodyLimitBytes }),
    async (req: Request, res: Response) => {
      try {
        const channel = byId.get(String(req.params.channel));
        if (!channel) throw new AppError('ROUTE_NOT_FOUND', 'No such channel');
        const confirmation = await channel.verify(signedMessage(req));
        const outcome = await deps.recorder.record(channel.id, confirmation, 'callback');
        if (outcome === 'recorded') deps.onRecorded?.();
        req.log.info({ channel: channel.id, bankSerial: confirmation.bankSerial, outcome }, 'channel callback');
        res.status(200).json({ received: true, outcome });
      } catch (error) {
        const body = toErrorBody(error, req.requestId);
        if (body.code === 'INTERNAL') req.log.error({ err: error }, 'internal error');
        else req.log.warn({ code: body.code }, 'channel callback refused');
        res.status(body.httpStatus).json({ error: body });
      }
    },
  );
}
