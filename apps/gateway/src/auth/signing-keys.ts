import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Logger } from '@nestjs/common';
import { calculateJwkThumbprint, exportJWK, importPKCS8, importSPKI, type CryptoKey } from 'jose';
import { JWT_ALGORITHM } from '@app/messaging';

export { JWT_ALGORITHM };

export interface SigningKeys {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** Keys that verify, by kid: the current one and, during a rotation, the previous one. */
  verificationKeys: ReadonlyMap<string, CryptoKey>;
}

export interface SigningKeySource {
  privateKey?: string;
  publicKey?: string;
  /** The public key of the pair before the last rotation, still verifying until its tokens expire. */
  previousPublicKey?: string;
  devKeysDir: string;
  production: boolean;
}

const logger = new Logger('SigningKeys');

/**
 * The gateway's Ed25519 key pair: from configuration (PEM text or a file path), or, outside
 * production, a dev pair generated once and kept under a git-ignored folder.
 * The key id is the public key's RFC 7638 thumbprint, so it changes when the key does.
 * Rotation: deploy the new pair with the old public key as JWT_PREVIOUS_PUBLIC_KEY; tokens the
 * old key signed keep verifying until they expire (15 min at most), then remove it.
 */
export async function loadSigningKeys(source: SigningKeySource): Promise<SigningKeys> {
  const pems = resolvePems(source);
  const privateKey = await importPKCS8(pems.privatePem, JWT_ALGORITHM);
  const publicKey = await importSPKI(pems.publicPem, JWT_ALGORITHM, { extractable: true });
  const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
  const verificationKeys = new Map([[kid, publicKey]]);
  if (source.previousPublicKey) {
    const previous = await importSPKI(pemOrFile(source.previousPublicKey), JWT_ALGORITHM, { extractable: true });
    verificationKeys.set(await calculateJwkThumbprint(await exportJWK(previous)), previous);
  }
  return { kid, privateKey, publicKey, verificationKeys };
}

function resolvePems(source: SigningKeySource): { privatePem: string; publicPem: string } {
  if (source.privateKey && source.publicKey) {
    return { privatePem: pemOrFile(source.privateKey), publicPem: pemOrFile(source.publicKey) };
  }
  if (source.privateKey || source.publicKey) {
    throw new Error('JWT_PRIVATE_KEY and JWT_PUBLIC_KEY must be set together');
  }
  if (source.production) throw new Error('JWT_PRIVATE_KEY and JWT_PUBLIC_KEY are required in production');
  return devKeyPair(source.devKeysDir);
}

function pemOrFile(value: string): string {
  return value.includes('-----BEGIN') ? value.replaceAll('\\n', '\n') : readFileSync(value, 'utf8');
}

function devKeyPair(dir: string): { privatePem: string; publicPem: string } {
  const privatePath = join(dir, 'jwt-private.pem');
  const publicPath = join(dir, 'jwt-public.pem');
  if (!existsSync(privatePath) || !existsSync(publicPath)) {
    const pair = generateKeyPairSync('ed25519');
    // Only the key folder is private: its parents (`.data`) keep default modes for what else lives there.
    mkdirSync(dirname(dir), { recursive: true });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(privatePath, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(publicPath, pair.publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
    logger.warn(`generated a development JWT key pair in ${dir}; set JWT_PRIVATE_KEY/JWT_PUBLIC_KEY in production`);
  } else {
    logger.log(`using the development JWT key pair in ${dir}`);
  }
  return { privatePem: readFileSync(privatePath, 'utf8'), publicPem: readFileSync(publicPath, 'utf8') };
}
