import { createPrivateKey, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT, calculateJwkThumbprint, exportJWK, importPKCS8 } from 'jose';
import { ConfigMapVolume } from '../support/config-map-volume.js';
import { http, type HttpResult } from '../support/http-client.js';
import { orderBody, pollUntil } from '../support/saga-api.js';
import { SystemUnderTest } from '../support/system-under-test.js';

/*
 * A setting changed while the gateway runs: its live configuration file lives in a directory
 * laid out and updated as the kubelet does a ConfigMap volume. No process is restarted here.
 */

const FILE = 'live-config.json';
const volume = new ConfigMapVolume();
volume.publish({ [FILE]: JSON.stringify({ version: 'v1', RATE_LIMIT_REGISTER_PER_IP_PER_MINUTE: 2 }) });
const system = new SystemUnderTest({ LIVE_CONFIG_FILE: volume.path(FILE) });

/** The version the users service's readiness shows (the monolith's, in that shape). */
async function usersVersion(): Promise<unknown> {
  const ready = await http('GET', system.app('users').healthUrl);
  return (ready.body.details as Record<string, { version?: unknown }> | undefined)?.config?.version;
}

/** POST /auth/register with an empty body: counted by the register limit, then refused by validation (400). */
const register = (body: unknown = {}): Promise<HttpResult> => http('POST', `${system.api}/auth/register`, { body });

/** The version readiness shows, and the gateway's live configuration series on its metrics. */
async function observed(): Promise<{ version: unknown; info: string[]; reloads: number; failures: number }> {
  const ready = await http('GET', `${system.gatewayUrl}/health/ready`);
  const metrics = (await http('GET', system.app('gateway').metricsUrl)).text;
  const series = (name: string) =>
    metrics.split('\n').filter((line) => line.startsWith(name) && line.includes('app="gateway"'));
  const count = (name: string) => Number(series(name)[0]?.split(' ').at(-1) ?? Number.NaN);
  const details = ready.body.details as Record<string, { version?: unknown }> | undefined;
  return {
    version: details?.config?.version,
    info: series('config_info{').map((line) => /version="([^"]*)"/.exec(line)?.[1] ?? line),
    reloads: count('config_reloads_total{'),
    failures: count('config_reload_failures_total{'),
  };
}

beforeAll(async () => {
  // users reads the same file (its own key: LOG_LEVEL); in the monolith shape one process hosts both.
  await system.start(['users', 'gateway']);
}, 90_000);

afterAll(async () => {
  await system.stop();
  volume.remove();
}, 60_000);

describe('live configuration', () => {
  it('starts with the version in the file, in readiness, the metric and the log', async () => {
    expect(await observed()).toMatchObject({ version: 'v1', info: ['v1'], reloads: 0, failures: 0 });
    expect(await usersVersion()).toBe('v1');
    const lines = system.logLines().map(({ line }) => line);
    expect(lines.some((line) => line.includes(`live configuration version v1 from ${volume.path(FILE)}`))).toBe(true);
  });

  it('raises a rate limit without a restart', async () => {
    const pid = system.app('gateway').pid;
    expect((await register()).status).toBe(400);
    expect((await register()).status).toBe(400);
    const limited = await register();
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('RATE_LIMITED');

    volume.publish({ [FILE]: JSON.stringify({ version: 'v2', RATE_LIMIT_REGISTER_PER_IP_PER_MINUTE: 50 }) });
    await pollUntil(observed, (state) => state.version === 'v2', 20_000);

    for (let i = 0; i < 5; i += 1) expect((await register()).status).toBe(400);
    expect(await observed()).toMatchObject({ version: 'v2', info: ['v2'], reloads: 1, failures: 0 });
    await pollUntil(usersVersion, (version) => version === 'v2', 20_000);
    expect(system.app('gateway').pid).toBe(pid);
    expect(system.app('gateway').crashes).toEqual([]);
  });

  // Each bad file would also drop the limit to 1: were it half applied, the next request would be a 429.
  it.each([
    [
      'a value that fails validation',
      JSON.stringify({ version: 'v3', RATE_LIMIT_REGISTER_PER_IP_PER_MINUTE: 1, RPC_TIMEOUT_MS: 5 }),
      'RPC_TIMEOUT_MS',
    ],
    [
      'a key that needs a restart',
      JSON.stringify({ version: 'v3', RATE_LIMIT_REGISTER_PER_IP_PER_MINUTE: 1, GATEWAY_PORT: 1 }),
      'GATEWAY_PORT: not a live setting',
    ],
    ['broken JSON', '{"version": "v3", "RATE_LIMIT_REGISTER_PER_IP_PER_MINUTE": 1,', 'not valid JSON'],
  ])('refuses %s: counted and logged, the old limit and version stay', async (_, content, reason) => {
    const before = await observed();
    volume.publish({ [FILE]: content });
    await pollUntil(observed, (state) => state.failures === before.failures + 1, 20_000);

    expect(await observed()).toMatchObject({ version: 'v2', info: ['v2'], reloads: before.reloads });
    expect((await register()).status).toBe(400);
    // Logs reach the output in blocks, up to 100 ms after the metric moved.
    const refusal = () =>
      Promise.resolve(system.logLines().findLast(({ line }) => line.includes('refused, version v2 stays in force')));
    await pollUntil(refusal, (found) => found?.line.includes(reason) ?? false, 5000);
  });

  it('switches sign-up and order placement off, each answering its problem', async () => {
    volume.publish({
      [FILE]: JSON.stringify({
        version: 'v4',
        RATE_LIMIT_REGISTER_PER_IP_PER_MINUTE: 50,
        FEATURE_REGISTRATION_ENABLED: false,
        FEATURE_ORDER_PLACEMENT_ENABLED: false,
      }),
    });
    await pollUntil(observed, (state) => state.version === 'v4', 20_000);

    const signUp = await register({
      email: `live-${randomUUID()}@example.com`,
      password: 'correct-horse-9',
      name: 'Live',
    });
    expect({ status: signUp.status, code: signUp.body.code }).toEqual({ status: 403, code: 'REGISTRATION_CLOSED' });
    expect(signUp.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    const order = await http('POST', `${system.api}/orders`, {
      token: await gatewayToken(),
      headers: { 'idempotency-key': randomUUID() },
      body: orderBody(),
    });
    expect({ status: order.status, code: order.body.code }).toEqual({ status: 503, code: 'ORDER_PLACEMENT_PAUSED' });
    expect(order.headers.get('retry-after')).toBe('120');
  });

  it('changes the log level: info lines stop, errors still come', async () => {
    volume.publish({ [FILE]: JSON.stringify({ version: 'v5', LOG_LEVEL: 'error' }) });
    await pollUntil(observed, (state) => state.version === 'v5', 20_000);
    volume.publish({ [FILE]: JSON.stringify({ version: 'v6', LOG_LEVEL: 'error' }) });
    await pollUntil(observed, (state) => state.version === 'v6', 20_000);
    volume.publish({ [FILE]: '{"version": "v7", ' });
    // Lines come out in order: once the refusal (an error) is out, v6's (info) line would be too.
    const logged = () => Promise.resolve(system.logLines().map(({ line }) => line));
    const lines = await pollUntil(
      logged,
      (all) => all.some((line) => line.includes('version v6 stays in force')),
      20_000,
    );
    expect(lines.some((line) => line.includes('version v5 applied'))).toBe(true);
    expect(lines.some((line) => line.includes('version v6 applied'))).toBe(false);
  });
});

/** An access token signed with the gateway's key, as it issues them (no user service needed). */
async function gatewayToken(): Promise<string> {
  const pem = readFileSync(join(system.keysDir, 'jwt-private.pem'), 'utf8');
  const jwk = await exportJWK(createPrivateKey(pem));
  const kid = await calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x });
  return new SignJWT({ role: 'user' })
    .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'JWT' })
    .setSubject(randomUUID())
    .setIssuer('nest-ddd-gateway')
    .setAudience('nest-ddd-api')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(await importPKCS8(pem, 'EdDSA'));
}
