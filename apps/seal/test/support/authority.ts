// A CA on its own real test database, for domain tests below the HTTP layer.
import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@platform/db/testing';
import { createDatabase, type Database } from '../../src/db.ts';
import { CertificateAuthority } from '../../src/domain/ca/authority.ts';
import { publicationUrls } from '../../src/domain/ca/profiles.ts';
import { keyEncryptionKey } from '../../src/domain/keys/key-encryption.ts';
import { KeyCustody } from '../../src/domain/keys/key-custody.ts';
import { CertificateRepository } from '../../src/repositories/certificate-repository.ts';

export interface AuthorityFixture {
  database: TestDatabase;
  db: Database;
  authority: CertificateAuthority;
  close(): Promise<void>;
}

export async function createAuthorityFixture(publicUrl = 'http://localhost:4003'): Promise<AuthorityFixture> {
  const database = await createTestDatabase();
  const db = createDatabase(database.url);
  const custody = new KeyCustody(keyEncryptionKey(randomBytes(32), false), false);
  const authority = new CertificateAuthority(new CertificateRepository(db, db), custody, publicationUrls(publicUrl));
  await authority.ensureHierarchy();
  return {
    database,
    db,
    authority,
    close: async () => {
      await db.$disconnect();
      await database.drop();
    },
  };
}
