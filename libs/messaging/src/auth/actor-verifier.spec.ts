import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT, calculateJwkThumbprint, exportJWK, importPKCS8, importSPKI } from 'jose';
import { AccessTokenVerifier, JWT_ALGORITHM } from './access-token-verifier.js';
import { ActorVerifier, UnauthenticatedError } from './actor-verifier.js';
import { VerificationKeys } from './verification-keys.js';

const claims = { issuer: 'iss-test', audience: 'aud-test' };
const userId = randomUUID();

interface Pair {
  privatePem: string;
  publicPem: string;
  kid: string;
}

async function aKeyPair(): Promise<Pair> {
  const pair = generateKeyPairSync('ed25519');
  const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const kid = await calculateJwkThumbprint(
    await exportJWK(await importSPKI(publicPem, JWT_ALGORITHM, { extractable: true })),
  );
  return { privatePem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicPem, kid };
}

async function tokenSignedBy(pair: Pair, role = 'user', overrides: Partial<typeof claims> = {}): Promise<string> {
  return new SignJWT({ role })
    .setProtectedHeader({ alg: JWT_ALGORITHM, kid: pair.kid, typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(overrides.issuer ?? claims.issuer)
    .setAudience(overrides.audience ?? claims.audience)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(await importPKCS8(pair.privatePem, JWT_ALGORITHM));
}

function verifierWith(publicKey: string): ActorVerifier {
  const keys = new VerificationKeys({ publicKey, devKeysDir: '/nowhere', production: true });
  return new ActorVerifier(new AccessTokenVerifier(keys.keyFor, claims));
}

async function refusal(verifier: ActorVerifier, token: unknown): Promise<UnauthenticatedError> {
  const error = await verifier.actorOf(token).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnauthenticatedError);
  expect((error as UnauthenticatedError).code).toBe('UNAUTHENTICATED');
  return error as UnauthenticatedError;
}

let gateway: Pair;
let intruder: Pair;
let tempRoot: string;

beforeAll(async () => {
  [gateway, intruder] = await Promise.all([aKeyPair(), aKeyPair()]);
  tempRoot = mkdtempSync(join(tmpdir(), 'actor-verifier-spec-'));
});

afterAll(() => rmSync(tempRoot, { recursive: true, force: true }));

describe('ActorVerifier: who calls an RPC, as a service can prove it', () => {
  it('answers the actor of a token the gateway signed', async () => {
    const verifier = verifierWith(gateway.publicPem);
    await expect(verifier.actorOf(await tokenSignedBy(gateway, 'admin'))).resolves.toEqual({
      id: userId,
      role: 'admin',
    });
  });

  it.each([
    ['no token', undefined],
    ['an empty token', ''],
    ['a token that is not a string', { id: userId, role: 'admin' }],
    ['a token that is not a JWT', 'not-a-jwt'],
  ])('refuses %s', async (_, token) => {
    await refusal(verifierWith(gateway.publicPem), token);
  });

  it('refuses an admin token signed by any key but the gateway one, even with its key id', async () => {
    const forged = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: JWT_ALGORITHM, kid: gateway.kid })
      .setSubject(userId)
      .setIssuer(claims.issuer)
      .setAudience(claims.audience)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(await importPKCS8(intruder.privatePem, JWT_ALGORITHM));
    await refusal(verifierWith(gateway.publicPem), forged);
    await refusal(verifierWith(gateway.publicPem), await tokenSignedBy(intruder, 'admin'));
  });

  it('refuses a token of the gateway key for another issuer or audience', async () => {
    const verifier = verifierWith(gateway.publicPem);
    await refusal(verifier, await tokenSignedBy(gateway, 'user', { issuer: 'elsewhere' }));
    await refusal(verifier, await tokenSignedBy(gateway, 'user', { audience: 'another-api' }));
  });

  it('refuses an unsigned token (alg none)', async () => {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${encode({ alg: 'none', kid: gateway.kid })}.${encode({
      sub: userId,
      role: 'admin',
      iss: claims.issuer,
      aud: claims.audience,
      iat: now,
      exp: now + 300,
    })}.`;
    await refusal(verifierWith(gateway.publicPem), unsigned);
  });
});

describe('VerificationKeys', () => {
  it('requires a configured public key in production', () => {
    expect(() => new VerificationKeys({ devKeysDir: tempRoot, production: true })).toThrow(/JWT_PUBLIC_KEY/);
  });

  it('fails the start on a malformed configured key', async () => {
    const keys = new VerificationKeys({
      publicKey: '-----BEGIN PUBLIC KEY-----\\nnope',
      devKeysDir: '',
      production: true,
    });
    await expect(keys.preload()).rejects.toThrow();
  });

  it('outside production, reads the dev key the gateway writes, even after the service started', async () => {
    const devKeysDir = join(tempRoot, 'dev-keys');
    const keys = new VerificationKeys({ devKeysDir, production: false });
    const verifier = new ActorVerifier(new AccessTokenVerifier(keys.keyFor, claims));
    const token = await tokenSignedBy(gateway);
    await refusal(verifier, token); // the gateway has not written its pair yet
    rmSync(devKeysDir, { recursive: true, force: true });
    mkdirSync(devKeysDir, { recursive: true });
    writeFileSync(join(devKeysDir, 'jwt-public.pem'), gateway.publicPem);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // re-read at most once a second
    await expect(verifier.actorOf(token)).resolves.toEqual({ id: userId, role: 'user' });
  });
});
