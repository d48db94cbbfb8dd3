// Accounts: lookups by id, subject id (ID number / credit code) and phone; credential updates.
import type { Database } from '../db.ts';
import type { Account, AccountStatus, SubjectKind } from '../generated/prisma/client.ts';

export type { Account, AccountStatus, SubjectKind };

export interface NewAccount {
  kind: SubjectKind;
  subjectId: string;
  name: string;
  phone: string | null;
  email?: string | undefined;
  trustLevel?: number;
  passwordHash: string | null;
  passwordChangedAt: Date | null;
  legalRepresentativeId?: string | undefined;
  createdAt: Date;
}

export class AccountRepository {
  constructor(private readonly db: Database) {}

  findById(id: string): Promise<Account | null> {
    return this.db.account.findUnique({ where: { id } });
  }

  findBySubjectId(subjectId: string): Promise<Account | null> {
    return this.db.account.findUnique({ where: { subjectId } });
  }

  findByPhone(phone: string): Promise<Account | null> {
    return this.db.account.findUnique({ where: { phone } });
  }

  /** Login names are a phone number or the subject id; both are unique. */
  findByLoginName(loginName: string): Promise<Account | null> {
    return /^\d{11}$/.test(loginName) ? this.findByPhone(loginName) : this.findBySubjectId(loginName.toUpperCase());
  }

  create(account: NewAccount): Promise<Account> {
    return this.db.account.create({
      data: {
        kind: account.kind,
        subjectId: account.subjectId,
        name: account.name,
        phone: account.phone,
        email: account.email ?? null,
        passwordHash: account.passwordHash,
        passwordChangedAt: account.passwordChangedAt,
        legalRepresentativeId: account.legalRepresentativeId ?? null,
        trustLevel: account.trustLevel ?? 1,
        createdAt: account.createdAt,
      },
    });
  }

  setPassword(id: string, passwordHash: string, at: Date): Promise<Account> {
    return this.db.account.update({ where: { id }, data: { passwordHash, passwordChangedAt: at } });
  }

  setStatus(id: string, status: AccountStatus): Promise<Account> {
    return this.db.account.update({ where: { id }, data: { status } });
  }

  /** Trust only ever goes up through verification; admins may set it explicitly. */
  raiseTrustLevel(id: string, level: number): Promise<Account> {
    return this.db.account.update({ where: { id }, data: { trustLevel: { set: level } } });
  }

  setRoles(id: string, roles: string[]): Promise<Account> {
    return this.db.account.update({ where: { id }, data: { roles } });
  }

  setTotp(id: string, data: { secretEnc: string | null; confirmedAt: Date | null }): Promise<Account> {
    return this.db.account.update({
      where: { id },
      data: { totpSecretEnc: data.secretEnc, totpConfirmedAt: data.confirmedAt, totpLastStep: null },
    });
  }

  /** Marks enrolment complete; the step of the confirming code stays recorded (no replay). */
  confirmTotp(id: string, at: Date): Promise<Account> {
    return this.db.account.update({ where: { id }, data: { totpConfirmedAt: at } });
  }

  /** Records the accepted TOTP step only if it is newer than the last one (no replay, also across replicas). */
  async advanceTotpStep(id: string, step: bigint): Promise<boolean> {
    const updated = await this.db.account.updateMany({
      where: { id, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
      data: { totpLastStep: step },
    });
    return updated.count === 1;
  }

  setLegalRepresentative(id: string, representativeId: string): Promise<Account> {
    return this.db.account.update({ where: { id }, data: { legalRepresentativeId: representativeId } });
  }
}
