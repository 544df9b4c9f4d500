export abstract class PasswordHasher {
  abstract hash(plain: string): Promise<string>;
  /** Compares in constant time; an unknown user is verified against a dummy hash. */
  abstract verify(hash: string | null, plain: string): Promise<boolean>;
  /** True when the hash was made with other parameters than today's. */
  abstract needsRehash(hash: string): boolean;
}
