import type { PasswordHasher } from '../ports/password-hasher.port.js';

/**
 * A reversible stand-in for argon2id, fast enough for specs: `$argon2id$<parameters>$<plain>`.
 * Hashes made with other `parameters` than the current ones need a rehash.
 */
export class FakePasswordHasher implements PasswordHasher {
  parameters = 'v=19$m=19456,t=2,p=1';
  /** How many verifications ran, known user or not (they must cost the same). */
  verifications = 0;

  async hash(plain: string): Promise<string> {
    return `$argon2id$${this.parameters}$${plain}`;
  }

  async verify(hash: string | null, plain: string): Promise<boolean> {
    this.verifications += 1;
    return hash !== null && hash.endsWith(`$${plain}`);
  }

  needsRehash(hash: string): boolean {
    return !hash.startsWith(`$argon2id$${this.parameters}$`);
  }
}
