// How an SESeal is shown in API answers (signing results, verification reports, the seal query).
import type { SESeal } from './gbt38540-structures.ts';

export const gbt38540SealView = (seal: SESeal) => ({
  esId: seal.info.esId,
  name: seal.info.property.name,
  type: seal.info.property.type,
  vendor: seal.info.header.vendor,
  validStart: seal.info.property.validStart.toISOString(),
  validEnd: seal.info.property.validEnd.toISOString(),
});
