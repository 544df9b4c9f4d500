import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { RPC_DEFINITIONS, type RpcService } from '@app/contracts';
import { protoPathOf } from './proto-files.js';
import { protoSourceOf } from './proto-source.js';

/*
 * The committed .proto files are generated from the RPC definitions and are the lock of their
 * field numbers. `npm run protos` runs this file with WRITE_PROTOS=1 to regenerate them; in any
 * other run a definition changed without regenerating fails here.
 */
const SERVICES: RpcService[] = ['users', 'orders', 'payments'];

describe('the committed .proto files', () => {
  it.each(SERVICES)('match the RPC definitions of %s', (service) => {
    const path = protoPathOf(service);
    const committed = existsSync(path) ? readFileSync(path, 'utf8') : null;
    const generated = protoSourceOf(service, RPC_DEFINITIONS, committed);
    if (process.env.WRITE_PROTOS === '1') writeFileSync(path, generated);
    else expect(committed).toBe(generated);
  });
});
