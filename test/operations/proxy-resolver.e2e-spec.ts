import { createSocket, RemoteInfo, Socket } from 'node:dgram';
import { createServer, Server } from 'node:http';
import { freePort } from '@jrp/database';
import { NginxHandle, startNginx, waitFor } from '@jrp/testing';

/** A DNS server for the test: answers A queries from `addresses` (TTL 1 s), nothing else. */
function startDns(addresses: Map<string, string>): Promise<Socket> {
  const socket = createSocket('udp4');
  socket.on('message', (query: Buffer, peer: RemoteInfo) => {
    const labels: string[] = [];
    let offset = 12;
    while (query[offset] !== 0) {
      labels.push(query.subarray(offset + 1, offset + 1 + query[offset]).toString('ascii'));
      offset += query[offset] + 1;
    }
    const question = query.subarray(12, offset + 5);
    const type = query.readUInt16BE(offset + 1);
    const address = type === 1 ? addresses.get(labels.join('.').toLowerCase()) : undefined;
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2);
    header.writeUInt16BE(address ? 0x8180 : 0x8183, 2); // an answer, or "no such name"
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(address ? 1 : 0, 6);
    const answer = Buffer.alloc(address ? 16 : 0);
    if (address) {
      answer.writeUInt16BE(0xc00c, 0); // the name of the question
      answer.writeUInt16BE(1, 2);
      answer.writeUInt16BE(1, 4);
      answer.writeUInt32BE(1, 6);
      answer.writeUInt16BE(4, 10);
      address.split('.').forEach((part, index) => answer.writeUInt8(Number(part), 12 + index));
    }
    socket.send(Buffer.concat([header, question, answer]), peer.port, peer.address);
  });
  return new Promise((resolve) => socket.bind(0, '127.0.0.1', () => resolve(socket)));
}

/** An HTTP server on `host:port` that answers every request with its own name. */
function startBackend(host: string, port: number, name: string): Promise<Server> {
  const server = createServer((_req, res) => res.end(name));
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}

/**
 * The proxy template's upstreams are resolved again once the answer is 10 s old: a service that comes
 * back at another address (a restarted container) is reached without restarting nginx.
 */
describe('the proxy follows a service to its new address', () => {
  const addresses = new Map<string, string>();
  let dns: Socket;
  let nginx: NginxHandle;
  const backends: Server[] = [];

  afterAll(async () => {
    await nginx?.stop();
    dns?.close();
    await Promise.all(backends.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it('routes to the address the name has now, within the 10 s the answer is kept', async () => {
    const port = await freePort();
    backends.push(await startBackend('127.0.0.1', port, 'first'), await startBackend('127.0.0.2', port, 'second'));
    addresses.set('measures.jrp.test', '127.0.0.1');
    dns = await startDns(addresses);
    const resolver = `127.0.0.1:${dns.address().port}`;
    nginx = await startNginx(
      { listIngestion: '127.0.0.1:9', measures: `measures.jrp.test:${port}`, feedback: '127.0.0.1:9' },
      resolver,
    );
    const served = async () => (await fetch(`${nginx.url}/api/v1/tasks/feed`)).text();
    expect(await served()).toBe('first');
    addresses.set('measures.jrp.test', '127.0.0.2'); // the service restarted elsewhere
    const started = Date.now();
    await waitFor('nginx routing to the new address', async () => (await served()) === 'second', 15000, 250);
    expect(Date.now() - started).toBeLessThan(12000);
  });
});
