// The development SM2 seal: a GB/T 38540 seal with its SM2 root, maker and holder certificates,
// made once into the git-ignored data folder (keys sealed under the key-encryption key) so that
// restarts keep verifying earlier signatures. Refused in production, like every development key;
// SM2 seals of the seal lifecycle (apply → approve → make) are future work.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { drawSeal } from '../images/seal-image.ts';
import { sealPrivateKey, unsealPrivateKey, type KeyEncryptionKey } from '../keys/key-encryption.ts';
import { makeSeal, SEAL_TYPE } from './gbt38540.ts';
import { decodeSeal, type SESeal } from './gbt38540-structures.ts';
import {
  createSm2Root,
  credentialOf,
  issueSm2EndEntity,
  type IssuedSm2Key,
  type Sm2Credential,
} from './sm2-hierarchy.ts';
import { sm2KeyObject, sm2KeyPairFrom } from './sm2-key.ts';

export interface Sm2SealMaterial {
  rootCertificate: Buffer;
  maker: Sm2Credential;
  holder: Sm2Credential;
  sealDer: Buffer;
  seal: SESeal;
}

export class DevelopmentSealRefusedError extends Error {
  constructor() {
    super('the development SM2 seal is refused in production');
    this.name = 'DevelopmentSealRefusedError';
  }
}

const FILE = 'sm2-development-seal.json';
const YEAR_MS = 365 * 24 * 3600_000;
const ORGANISATION = '开发测试单位';

interface StoredKey {
  certificate: string;
  sealedKey: string;
}
interface StoredSeal {
  version: 1;
  kekId: string;
  rootCertificate: string;
  maker: StoredKey;
  holder: StoredKey;
  seal: string;
}

export async function developmentSm2Seal(options: {
  dataDir: string;
  kek: KeyEncryptionKey;
  production: boolean;
}): Promise<Sm2SealMaterial> {
  if (options.production) throw new DevelopmentSealRefusedError();
  const file = join(options.dataDir, FILE);
  if (!existsSync(file)) {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    const stored = await createStoredSeal(options.kek);
    try {
      writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process made it at the same moment: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const stored = JSON.parse(readFileSync(file, 'utf8')) as StoredSeal;
  if (stored.kekId !== options.kek.id) {
    throw new Error(`${file} was made under another key-encryption key; delete it to make a new development seal`);
  }
  return load(stored, options.kek);
}

async function createStoredSeal(kek: KeyEncryptionKey): Promise<StoredSeal> {
  const notBefore = new Date(Date.now() - 3600_000);
  const validity = { notBefore, notAfter: new Date(notBefore.getTime() + 5 * YEAR_MS) };
  // The root's key signs the two certificates below and is then dropped: nothing else needs it.
  const root = await createSm2Root(
    {
      commonName: 'Seal Platform SM2 Development Root',
      organization: 'Provincial Government Shared Platform',
      country: 'CN',
    },
    notBefore,
    new Date(notBefore.getTime() + 10 * YEAR_MS),
  );
  const rootCredential = credentialOf(root);
  const maker = await issueSm2EndEntity(
    rootCredential,
    { commonName: 'Seal Platform SM2 Seal Maker', country: 'CN' },
    validity,
  );
  const holder = await issueSm2EndEntity(
    rootCredential,
    { commonName: `${ORGANISATION}电子公章`, organization: ORGANISATION, country: 'CN' },
    validity,
  );
  const image = drawSeal({ shape: 'round', widthMm: 42, heightMm: 42, organisation: ORGANISATION, caption: '' });
  const seal = await makeSeal({
    maker: credentialOf(maker),
    esId: `DEV${Date.now()}`,
    vendor: 'platform-seal',
    type: SEAL_TYPE.organisation,
    name: `${ORGANISATION}公章（开发）`,
    signerCertificates: [holder.certificateDer],
    validStart: notBefore,
    validEnd: validity.notAfter,
    picture: { type: 'png', data: image.raster.png, widthMm: 42, heightMm: 42 },
  });
  const stored = (issued: IssuedSm2Key): StoredKey => ({
    certificate: issued.certificateDer.toString('base64'),
    sealedKey: sealPrivateKey(sm2KeyObject(issued.keyPair), kek).toString('base64'),
  });
  return {
    version: 1,
    kekId: kek.id,
    rootCertificate: root.certificateDer.toString('base64'),
    maker: stored(maker),
    holder: stored(holder),
    seal: seal.toString('base64'),
  };
}

function load(stored: StoredSeal, kek: KeyEncryptionKey): Sm2SealMaterial {
  const credential = (key: StoredKey): Sm2Credential =>
    credentialOf({
      certificateDer: Buffer.from(key.certificate, 'base64'),
      keyPair: sm2KeyPairFrom(unsealPrivateKey(Buffer.from(key.sealedKey, 'base64'), kek)),
    });
  const sealDer = Buffer.from(stored.seal, 'base64');
  return {
    rootCertificate: Buffer.from(stored.rootCertificate, 'base64'),
    maker: credential(stored.maker),
    holder: credential(stored.holder),
    sealDer,
    seal: decodeSeal(sealDer),
  };
}
