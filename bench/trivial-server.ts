import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A trivial HTTP server (its own process) that reads each request's body and answers a small JSON body:
 * the checks part runs its load generator against it first, to show what the generator alone sustains
 * on this machine. Prints its port on the first line of stdout.
 */
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"listed":false}');
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(String((server.address() as AddressInfo).port)));
process.on('SIGTERM', () => process.exit(0));
