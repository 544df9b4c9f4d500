import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT, calculateJwkThumbprint, decodeJwt, decodeProtectedHeader, exportJWK, type JWTPayload } from 'jose';
import { JWT_ALGORITHM, loadSigningKeys, type SigningKeys } from './signing-keys.js';
import { InvalidTokenError, TokenService, type TokenOptions } from './token.service.js';

const options: TokenOptions = { issuer: 'iss-test', audience: 'aud-test', ttlSeconds: 900 };
const userId = randomUUID();

let tempRoot: string;
let devKeysDir: string;
let keys: SigningKeys;
let tokens: TokenService;

beforeAll(async () => {
  tempRoot = mkdtempSync(join(tmpdir(), 'gateway-token-spec-'));
  devKeysDir = join(tempRoot, 'keys');
  keys = await loadSigningKeys({ devKeysDir, production: false });
  tokens = new TokenService(keys, options);
});

afterAll(() => {
  rmSync(tempRoot, { recursive: true, force: true });
});

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

interface Craft {
  header?: Record<string, unknown>;
  claims?: JWTPayload;
  /** Claims to leave out of the otherwise valid set. */
  omit?: (keyof JWTPayload)[];
  key?: Parameters<SignJWT['sign']>[0];
}

/**
 * A token built by hand with jose: by default exactly what TokenService issues (real private
 * key, kid, iss, aud, sub, role, iat, exp), so each case below changes one thing only.
 */
async function craft({ header = {}, claims = {}, omit = [], key }: Craft = {}): Promise<string> {
  const now = nowSeconds();
  const payload: JWTPayload = {
    sub: userId,
    role: 'user',
    iss: options.issuer,
    aud: options.audience,
    iat: now,
    exp: now + options.ttlSeconds,
    ...claims,
  };
  for (const name of omit) delete payload[name];
  return new SignJWT(payload)
    .setProtectedHeader({ alg: JWT_ALGORITHM, kid: keys.kid, typ: 'JWT', ...header } as { alg: string })
    .sign(key ?? keys.privateKey);
}

/** Expects verification to fail with InvalidTokenError, for the reason given (pins the cause). */
async function expectRejected(token: string | Promise<string>, reason: RegExp): Promise<void> {
  const error = await tokens.verify(await token).then(
    (actor) => new Error(`expected a rejection, got ${JSON.stringify(actor)}`),
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(InvalidTokenError);
  expect((error as Error).message).toMatch(reason);
}

describe('TokenService', () => {
  it('issues a token that verifies to the actor it was issued for', async () => {
    const token = await tokens.issue({ id: userId, role: 'admin' });
    await expect(tokens.verify(token)).resolves.toEqual({ id: userId, role: 'admin' });
  });

  it('issues EdDSA tokens with its kid, iss, aud and an exp ttlSeconds after iat', async () => {
    const token = await tokens.issue({ id: userId, role: 'user' });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'EdDSA', kid: keys.kid, typ: 'JWT' });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ sub: userId, role: 'user', iss: 'iss-test', aud: 'aud-test' });
    expect(claims.exp! - claims.iat!).toBe(900);
    expect(Math.abs(claims.iat! - nowSeconds())).toBeLessThanOrEqual(2);
  });

  it('accepts the hand-crafted baseline token, so every rejection below is due to its one change', async () => {
    await expect(tokens.verify(await craft())).resolves.toEqual({ id: userId, role: 'user' });
  });

  describe('rejects with InvalidTokenError', () => {
    it('an unsigned token (alg: none)', async () => {
      const now = nowSeconds();
      const header = { alg: 'none', kid: keys.kid, typ: 'JWT' };
      const payload = { sub: userId, role: 'admin', iss: 'iss-test', aud: 'aud-test', iat: now, exp: now + 900 };
      await expectRejected(`${base64url(header)}.${base64url(payload)}.`, /"alg"/);
    });

    it('a token whose payload was altered after signing', async () => {
      const token = await tokens.issue({ id: userId, role: 'user' });
      const [header, , signature] = token.split('.');
      const altered = { ...decodeJwt(token), role: 'admin' };
      await expectRejected(`${header}.${base64url(altered)}.${signature}`, /signature/);
    });

    it('a token signed by another Ed25519 key that claims the same kid', async () => {
      const foreign = generateKeyPairSync('ed25519');
      await expectRejected(craft({ key: foreign.privateKey }), /signature/);
    });

    it('an HS256 token whose HMAC secret is the public key PEM (algorithm confusion)', async () => {
      const publicPem = readFileSync(join(devKeysDir, 'jwt-public.pem'));
      await expectRejected(craft({ header: { alg: 'HS256' }, key: new Uint8Array(publicPem) }), /"alg"/);
    });

    it('a token that expired 60 s ago (beyond the clock tolerance)', async () => {
      const now = nowSeconds();
      await expectRejected(craft({ claims: { iat: now - 960, exp: now - 60 } }), /"exp"/);
    });

    it('a token not valid before 120 s from now', async () => {
      await expectRejected(craft({ claims: { nbf: nowSeconds() + 120 } }), /"nbf"/);
    });

    it('a token from another issuer', async () => {
      await expectRejected(craft({ claims: { iss: 'someone-else' } }), /"iss"/);
    });

    it('a token for another audience', async () => {
      await expectRejected(craft({ claims: { aud: 'another-service' } }), /"aud"/);
    });

    it('a token without exp', async () => {
      await expectRejected(craft({ omit: ['exp'] }), /"exp"/);
    });

    it('a token without iat', async () => {
      await expectRejected(craft({ omit: ['iat'] }), /"iat"/);
    });

    it('a token with an unknown kid', async () => {
      await expectRejected(craft({ header: { kid: 'not-our-key' } }), /key id/);
    });

    it('a token without a kid', async () => {
      const token = await new SignJWT({ sub: userId, role: 'user' })
        .setProtectedHeader({ alg: JWT_ALGORITHM })
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(keys.privateKey);
      await expectRejected(token, /key id/);
    });

    it('a token whose sub is not a uuid', async () => {
      await expectRejected(craft({ claims: { sub: 'admin' } }), /malformed claims/);
    });

    it('a token without sub', async () => {
      await expectRejected(craft({ omit: ['sub'] }), /"sub"/);
    });

    it('a token with the role superuser', async () => {
      await expectRejected(craft({ claims: { role: 'superuser' } }), /malformed claims/);
    });

    it('a token without a role', async () => {
      await expectRejected(craft({ claims: { role: undefined } }), /malformed claims/);
    });

    it('the garbage string abc.def.ghi', async () => {
      await expectRejected('abc.def.ghi', /./);
    });

    it('an empty string', async () => {
      await expectRejected('', /./);
    });
  });
});

describe('loadSigningKeys', () => {
  it('refuses to start in production without configured keys, and generates nothing', async () => {
    const dir = join(tempRoot, 'production');
    await expect(loadSigningKeys({ devKeysDir: dir, production: true })).rejects.toThrow(/required in production/);
    expect(existsSync(dir)).toBe(false);
  });

  it('reuses the development key pair already in the folder (same kid)', async () => {
    const dir = join(tempRoot, 'reused');
    const first = await loadSigningKeys({ devKeysDir: dir, production: false });
    const second = await loadSigningKeys({ devKeysDir: dir, production: false });
    expect(second.kid).toBe(first.kid);
    const token = await new TokenService(first, options).issue({ id: userId, role: 'user' });
    await expect(new TokenService(second, options).verify(token)).resolves.toEqual({ id: userId, role: 'user' });
  });

  it('generates a different key pair in a different folder', async () => {
    const other = await loadSigningKeys({ devKeysDir: join(tempRoot, 'other'), production: false });
    expect(other.kid).not.toBe(keys.kid);
    const token = await new TokenService(other, options).issue({ id: userId, role: 'user' });
    await expectRejected(token, /key id/);
  });

  it('uses the PEM strings it is given, with the public key thumbprint as kid', async () => {
    const pair = generateKeyPairSync('ed25519');
    const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const dir = join(tempRoot, 'unused');
    const given = await loadSigningKeys({
      privateKey: privatePem,
      publicKey: publicPem,
      devKeysDir: dir,
      production: true,
    });
    expect(given.kid).toBe(await calculateJwkThumbprint(await exportJWK(pair.publicKey)));
    expect(existsSync(dir)).toBe(false);
    const token = await new TokenService(given, options).issue({ id: userId, role: 'admin' });
    await expect(new TokenService(given, options).verify(token)).resolves.toEqual({ id: userId, role: 'admin' });
  });

  it('accepts PEMs with escaped newlines (as one-line environment values) and file paths', async () => {
    const pair = generateKeyPairSync('ed25519');
    const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const publicPath = join(tempRoot, 'given-public.pem');
    writeFileSync(publicPath, publicPem);
    const given = await loadSigningKeys({
      privateKey: privatePem.replaceAll('\n', '\\n'),
      publicKey: publicPath,
      devKeysDir: join(tempRoot, 'unused'),
      production: true,
    });
    expect(given.kid).toBe(await calculateJwkThumbprint(await exportJWK(pair.publicKey)));
  });

  it.each([
    ['only the private key', 'privateKey'],
    ['only the public key', 'publicKey'],
  ] as const)('refuses %s', async (_, field) => {
    const pair = generateKeyPairSync('ed25519');
    const pem =
      field === 'privateKey'
        ? pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
        : pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const dir = join(tempRoot, `half-${field}`);
    await expect(loadSigningKeys({ [field]: pem, devKeysDir: dir, production: false })).rejects.toThrow(
      /must be set together/,
    );
    expect(existsSync(dir)).toBe(false);
  });
});
