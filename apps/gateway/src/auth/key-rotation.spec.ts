import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { loadSigningKeys } from './signing-keys.js';
import { InvalidTokenError, TokenService } from './token.service.js';

const options = { issuer: 'iss-test', audience: 'aud-test', ttlSeconds: 900 };
const dir = mkdtempSync(join(tmpdir(), 'key-rotation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pair(): { privateKey: string; publicKey: string } {
  const keys = generateKeyPairSync('ed25519');
  return {
    privateKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

describe('signing-key rotation', () => {
  it('verifies tokens of the previous key while it is configured, and only then', async () => {
    const before = pair();
    const after = pair();
    const actor = { id: randomUUID(), role: 'user' as const };
    const oldService = new TokenService(
      await loadSigningKeys({ ...before, devKeysDir: dir, production: true }),
      options,
    );
    const oldToken = await oldService.issue(actor);

    const rotated = new TokenService(
      await loadSigningKeys({ ...after, previousPublicKey: before.publicKey, devKeysDir: dir, production: true }),
      options,
    );
    await expect(rotated.verify(oldToken)).resolves.toEqual(actor);
    await expect(rotated.verify(await rotated.issue(actor))).resolves.toEqual(actor);

    const rotationOver = new TokenService(
      await loadSigningKeys({ ...after, devKeysDir: dir, production: true }),
      options,
    );
    await expect(rotationOver.verify(oldToken)).rejects.toBeInstanceOf(InvalidTokenError);
  });
});
