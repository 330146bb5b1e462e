// The fault suite's PostgreSQL in a process of its own, so the suite can stop and start it under the
// services' feet. Usage: node postgres-process.js <dist embedded-postgres.js> <data dir> <port>.
// Prints one JSON line {url, pid, dataDir} once the server accepts connections; SIGTERM stops the server and
// then this process, and so does the end of stdin (the suite has died).
const [library, dataDir, port] = process.argv.slice(2);
const { startEmbeddedPostgres } = require(library);

startEmbeddedPostgres({ dataDir, port: Number(port), log: (line) => process.stderr.write(`${line}\n`) }).then(
  (handle) => {
    const stop = () => handle.stop().finally(() => process.exit(0));
    process.once('SIGTERM', stop);
    process.stdout.write(`${JSON.stringify({ url: handle.url, pid: handle.pid, dataDir: handle.dataDir })}\n`);
    process.stdin.on('end', stop);
    process.stdin.resume();
  },
  (error) => {
    process.stderr.write(`${error.name === 'ConfigurationError' ? error.message : (error.stack ?? error)}\n`);
    process.exit(1);
  },
);
