import { createSocket, type Socket } from 'node:dgram';
import dnsPacket from 'dns-packet';

/**
 * A DNS server on 127.0.0.1 (UDP) answering A records for one name, from a list the test changes
 * as replicas come and go, with TTL 0: what a Kubernetes headless Service's name does for its
 * ready pods. Any other question gets an empty answer.
 */
export class TestDnsServer {
  private readonly socket: Socket = createSocket('udp4');
  /** Questions asked for the name so far: how often the client resolved it. */
  lookups = 0;

  private constructor(
    private readonly name: string,
    public addresses: string[],
  ) {
    this.socket.on('message', (message, peer) => {
      const query = dnsPacket.decode(message);
      const answers = (query.questions ?? []).flatMap((question) => {
        if (question.name !== this.name) return [];
        if (question.type === 'A') this.lookups += 1;
        return question.type === 'A'
          ? this.addresses.map((data) => ({ type: 'A' as const, class: 'IN' as const, name: this.name, ttl: 0, data }))
          : [];
      });
      const reply = dnsPacket.encode({
        id: query.id,
        type: 'response',
        flags: dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_DESIRED,
        questions: query.questions,
        answers,
      });
      this.socket.send(reply, peer.port, peer.address);
    });
  }

  static async start(name: string, addresses: string[]): Promise<TestDnsServer> {
    const server = new TestDnsServer(name, addresses);
    await new Promise<void>((resolve) => server.socket.bind(0, '127.0.0.1', resolve));
    return server;
  }

  /** `127.0.0.1:<port>`: the authority of a `dns://<authority>/<name>:<port>` gRPC target. */
  get authority(): string {
    return `127.0.0.1:${this.socket.address().port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
