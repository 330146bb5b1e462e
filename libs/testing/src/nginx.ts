import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@jrp/database';
import { waitFor } from './wait-for';

const TEMPLATE = join(__dirname, '..', '..', '..', 'deploy', 'nginx', 'jrp.conf.template');

/** Renders the repository's nginx template the way the nginx image's envsubst does. */
export function renderNginxTemplate(values: Record<string, string>): string {
  return readFileSync(TEMPLATE, 'utf8').replace(/\$\{([A-Z_]+)\}/g, (whole, name: string) => values[name] ?? whole);
}

export interface NginxHandle {
  url: string;
  stop(): Promise<void>;
}

/** Debian's nginx, in the foreground, with the repository's proxy configuration. */
export async function startNginx(
  upstreams: { listIngestion: string; measures: string; feedback: string },
  /** The DNS server for upstream names (`host[:port]`); IP-address upstreams never ask it. */
  resolver = '127.0.0.1',
): Promise<NginxHandle> {
  // on PATH, or where Debian puts it (/usr/sbin is not on a user's PATH)
  const nginx = spawnSync('nginx', ['-v']).error && existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
  if (spawnSync(nginx, ['-v']).error) {
    throw new Error(
      'nginx is not installed: `npm test` installs it when run as root; otherwise run `sudo apt-get install -y nginx`',
    );
  }
  const port = await freePort();
  const prefix = mkdtempSync(join(tmpdir(), 'jrp-nginx-'));
  mkdirSync(join(prefix, 'logs'));
  const server = renderNginxTemplate({
    LIST_INGESTION_UPSTREAM: upstreams.listIngestion,
    MEASURES_UPSTREAM: upstreams.measures,
    FEEDBACK_UPSTREAM: upstreams.feedback,
    PROXY_PORT: `127.0.0.1:${port}`,
    NGINX_RESOLVER: resolver,
  });
  writeFileSync(join(prefix, 'jrp.conf'), server);
  writeFileSync(
    join(prefix, 'nginx.conf'),
    `daemon off;\nworker_processes 1;\npid ${prefix}/nginx.pid;\nerror_log ${prefix}/logs/error.log warn;\n` +
      `events { worker_connections 256; }\n` +
      `http {\n  access_log ${prefix}/logs/access.log;\n  client_body_temp_path ${prefix}/body;\n  proxy_temp_path ${prefix}/proxy;\n` +
      `  fastcgi_temp_path ${prefix}/fastcgi;\n  uwsgi_temp_path ${prefix}/uwsgi;\n  scgi_temp_path ${prefix}/scgi;\n  include ${prefix}/jrp.conf;\n}\n`,
  );
  const test = spawnSync(nginx, ['-t', '-p', prefix, '-c', join(prefix, 'nginx.conf')], { encoding: 'utf8' });
  if (test.status !== 0) throw new Error(`nginx rejects the configuration: ${test.stderr}`);
  const child: ChildProcess = spawn(nginx, ['-p', prefix, '-c', join(prefix, 'nginx.conf')], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await waitFor('nginx listening', async () => (await fetch(`${url}/`).catch(() => undefined))?.status === 404, 10000);
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGQUIT');
      await exited;
    },
  };
}
