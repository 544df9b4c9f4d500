import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import prettyStream from './pretty-stream.js';

/** What LOG_PRETTY=true prints for `write`'s entries, as text lines. */
async function prettyLines(write: (logger: pino.Logger) => void): Promise<string[]> {
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  const stream = prettyStream({ colorize: false, destination, sync: true });
  const logger = pino({ base: { service: 'gateway' } }, stream);
  write(logger);
  stream.end();
  await new Promise((resolve) => destination.on('finish', resolve));
  return text.split('\n').filter(Boolean);
}

describe('pretty logs', () => {
  it('print an access line as one line: method, URL, status, time and correlation id', async () => {
    const lines = await prettyLines((logger) =>
      // as createHttpApp's logRequests writes it
      logger.info(
        {
          correlationId: 'c0ffee',
          req: { method: 'POST', url: '/api/v1/orders', remoteAddress: '127.0.0.1' },
          res: { statusCode: 201 },
          responseTime: 12.3,
        },
        'request completed',
      ),
    );

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: POST \/api\/v1\/orders 201 12\.3 ms \(c0ffee\)$/);
  });

  it('print other lines as [Context] message, with the correlation id when they have one', async () => {
    const lines = await prettyLines((logger) => {
      logger.info({ context: 'Startup' }, 'dependencies up: started');
      logger.warn({ context: 'PlaceOrder', correlationId: 'c0ffee' }, 'credit check slow');
    });

    expect(lines).toEqual([
      expect.stringMatching(/ INFO: \[Startup\] dependencies up: started$/),
      expect.stringMatching(/ WARN: \[PlaceOrder\] credit check slow \(c0ffee\)$/),
    ]);
  });

  it('keep other fields on the same line', async () => {
    const lines = await prettyLines((logger) => logger.error({ context: 'Relay', batch: 3 }, 'publish failed'));

    expect(lines).toEqual([expect.stringMatching(/ ERROR: \[Relay\] publish failed \{"batch":3\}$/)]);
  });
});
