import { createServer } from 'node:net';

/** A TCP port free on 127.0.0.1 right now. */
export const freePort = async () => (await freePorts(1))[0];

/**
 * `count` different free ports, all held until the last is found: asked one after another, the
 * system may hand out the same port twice, and two apps then race for it.
 */
export async function freePorts(count) {
  const servers = [];
  try {
    for (let i = 0; i < count; i += 1) {
      servers.push(
        await new Promise((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
      );
    }
    return servers.map((server) => server.address().port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}
