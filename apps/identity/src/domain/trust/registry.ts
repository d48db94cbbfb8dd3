// The population and legal-person registries, behind one interface. The real adapter calls the
// government registry; the development one answers locally from a fixture and a simple rule.
export type RegistryAnswer = 'match' | 'mismatch' | 'not_found';

export interface Registry {
  /** Does the population registry know this citizen ID number with this name? */
  checkPerson(idNumber: string, name: string): Promise<RegistryAnswer>;
  /** Does the legal-person registry know this credit code with this name and legal representative? */
  checkLegalPerson(creditCode: string, name: string, representativeId: string): Promise<RegistryAnswer>;
}

interface PersonRecord {
  name: string;
}
interface LegalPersonRecord {
  name: string;
  representativeId: string;
}

/**
 * Development registry: known records are compared exactly; any other (already check-character
 * valid) identifier counts as registered under the given name, so local sign-ups can be verified.
 * Tests seed records to exercise mismatches; names containing "不存在" are "not found".
 */
export class DevelopmentRegistry implements Registry {
  constructor(
    private readonly people: Map<string, PersonRecord> = new Map(),
    private readonly firms: Map<string, LegalPersonRecord> = new Map(),
  ) {}

  addPerson(idNumber: string, record: PersonRecord): void {
    this.people.set(idNumber, record);
  }

  addLegalPerson(creditCode: string, record: LegalPersonRecord): void {
    this.firms.set(creditCode, record);
  }

  async checkPerson(idNumber: string, name: string): Promise<RegistryAnswer> {
    const known = this.people.get(idNumber);
    if (known) return known.name === name ? 'match' : 'mismatch';
    return name.includes('不存在') ? 'not_found' : 'match';
  }

  async checkLegalPerson(creditCode: string, name: string, representativeId: string): Promise<RegistryAnswer> {
    const known = this.firms.get(creditCode);
    if (known) return known.name === name && known.representativeId === representativeId ? 'match' : 'mismatch';
    return name.includes('不存在') ? 'not_found' : 'match';
  }
}
