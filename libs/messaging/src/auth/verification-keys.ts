import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, importSPKI, type CryptoKey } from 'jose';
import { JWT_ALGORITHM } from './access-token-verifier.js';

export interface VerificationKeySource {
  /** The gateway's Ed25519 public key: PEM text or a file path (JWT_PUBLIC_KEY). */
  publicKey?: string;
  /** During a rotation, the previous public key, still verifying (JWT_PREVIOUS_PUBLIC_KEY). */
  previousPublicKey?: string;
  /** Outside production, with no key configured: the folder the gateway writes its dev pair to. */
  devKeysDir: string;
  production: boolean;
}

/** How often a development key folder is read again at most, when a token names a key not seen yet. */
const DEV_RELOAD_INTERVAL_MS = 1000;

/**
 * The public keys access tokens are verified with, by key id (the RFC 7638 thumbprint, as the
 * gateway computes it). Configured keys are read once. Outside production, with none configured,
 * the gateway's generated pair is read from `devKeysDir` when first needed and again when a token
 * names an unknown key: a service may start before the gateway has written it, or after the
 * folder was regenerated.
 */
export class VerificationKeys {
  private keys: Promise<Map<string, CryptoKey>> | null = null;
  private loadedAt = 0;

  constructor(private readonly source: VerificationKeySource) {
    if (source.production && !source.publicKey) {
      throw new Error(
        'JWT_PUBLIC_KEY is required in production: the gateway public key that access tokens are verified with',
      );
    }
  }

  /** Reads configured keys now, so a malformed one stops the start instead of every call. */
  async preload(): Promise<void> {
    if (this.source.publicKey) await this.load();
  }

  readonly keyFor = async (kid: string): Promise<CryptoKey | undefined> => {
    let keys = await this.load();
    if (!keys.has(kid) && !this.source.publicKey && Date.now() - this.loadedAt >= DEV_RELOAD_INTERVAL_MS) {
      this.keys = null;
      keys = await this.load();
    }
    return keys.get(kid);
  };

  private load(): Promise<Map<string, CryptoKey>> {
    if (!this.keys) {
      this.loadedAt = Date.now();
      const reading = this.read();
      // A dev folder not written yet is no key yet; a configured key that fails to read stays an error.
      this.keys = this.source.publicKey ? reading : reading.catch(() => new Map());
    }
    return this.keys;
  }

  private async read(): Promise<Map<string, CryptoKey>> {
    const pems = this.source.publicKey
      ? [this.source.publicKey, this.source.previousPublicKey].filter((pem): pem is string => !!pem)
      : [join(this.source.devKeysDir, 'jwt-public.pem')];
    const keys = new Map<string, CryptoKey>();
    for (const pem of pems) {
      const key = await importSPKI(await pemOrFile(pem), JWT_ALGORITHM, { extractable: true });
      keys.set(await calculateJwkThumbprint(await exportJWK(key)), key);
    }
    return keys;
  }
}

async function pemOrFile(value: string): Promise<string> {
  return value.includes('-----BEGIN') ? value.replaceAll('\\n', '\n') : readFile(value, 'utf8');
}
