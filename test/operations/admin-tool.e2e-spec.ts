import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tokenDigest } from '@jrp/auth';
import { waitFor } from '@jrp/testing';
import { RAILWAY } from '../scenarios/loop.scenario';
import { useStandalone } from '../support/standalone';

const CLI = join(__dirname, '..', '..', 'dist', 'tools', 'admin', 'cli.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The admin tool (`node dist/tools/admin/cli.js`, as an operator runs it in the image) against a running
 * one-process deployment: it writes measures' tables and outbox as the HTTP admin API does, and the
 * running service sends what it appended.
 */
describe('the admin tool', () => {
  const suite = useStandalone('admin');
  const { measures } = suite;

  /** Runs the tool as its own process with the deployment's environment (plus `env`). */
  const admin = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> =>
    new Promise((resolve) => {
      const merged = { PATH: process.env.PATH, ...suite.env, ...env };
      const childEnv = Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined));
      execFile(process.execPath, [CLI, ...args], { env: childEnv, timeout: 60000 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  const json = async (args: string[]) => {
    const run = await admin([...args, '--json']);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    return JSON.parse(run.stdout);
  };
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const counts = async () => ({
    organizations: await measures.count('SELECT * FROM organizations'),
    tokens: await measures.count('SELECT * FROM tokens'),
    outbox: await measures.count('SELECT * FROM outbox'),
    audit: await measures.count('SELECT * FROM audit_trail'),
  });

  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
  });

  it('prints its usage and each command’s with --help, exit status 0', async () => {
    const tool = await admin(['--help']);
    expect(tool.code).toBe(0);
    const commands = [
      'organizations list',
      'organizations create',
      'tokens issue',
      'tokens list',
      'tokens revoke',
      'demo-tokens',
    ];
    for (const command of commands) expect(tool.stdout).toContain(command);
    const issue = await admin(['tokens', 'issue', '--help']);
    expect(issue.code).toBe(0);
    expect(issue.stdout).toMatch(/^usage: npm run admin -- tokens issue --organization <code>/);
    expect(issue.stdout).toContain('--expires-in-days');
  });

  it('refuses an unknown command, option or a missing value with one line on stderr and exit status 2', async () => {
    const before = await counts();
    const cases: [string[], RegExp][] = [
      [[], /no command/],
      [['frobnicate'], /unknown command frobnicate/],
      [['tokens', 'rotate'], /unknown command tokens rotate/],
      [['tokens', 'list', '--verbose'], /unknown option --verbose/],
      [['tokens', 'issue', '--organization'], /--organization needs a value/],
      [['tokens', 'issue', '--organization', 'AH-TAX', '--expires-in-days', 'soon'], /soon is not a whole number/],
      [['tokens', 'issue', '--organization', 'AH-TAX', '--expires-in-days', '731'], /--expires-in-days: .*730/],
      [['tokens', 'revoke'], /needs the token id/],
      [['tokens', 'revoke', 'not-an-id'], /not-an-id is not a token id/],
    ];
    for (const [args, message] of cases) {
      const run = await admin(args);
      expect({ args, code: run.code, stdout: run.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
    expect(await counts()).toEqual(before);
  });

  it('creates an organisation with its catalogue event and audit record, lists it, and refuses it twice', async () => {
    const created = await admin([
      'organizations',
      'create',
      '--code',
      'AH-C340100-TAX',
      '--name',
      '国家税务总局合肥市税务局',
      '--level',
      'city',
      '--region',
      '340100',
      '--roles',
      'implementer,publisher',
    ]);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toContain('AH-C340100-TAX');
    const listed = JSON.parse((await admin(['--json', 'organizations', 'list'])).stdout); // --json goes anywhere
    expect(listed.items).toContainEqual({
      code: 'AH-C340100-TAX',
      name: '国家税务总局合肥市税务局',
      level: 'city',
      region: '340100',
      roles: ['implementer', 'publisher'],
    });
    const table = await admin(['organizations', 'list']);
    expect(table.stdout.split('\n')[0]).toMatch(/^CODE\s+NAME\s+LEVEL\s+REGION\s+ROLES$/);
    expect(table.stdout).toMatch(/AH-C340100-TAX\s+国家税务总局合肥市税务局\s+city\s+340100\s+implementer,publisher/);
    // the other services hear of it through the outbox, which the running service sends
    const event = `SELECT * FROM outbox WHERE type = 'jrp.catalogue.organization-changed'
                   AND envelope->>'subject' = 'organizations/AH-C340100-TAX'`;
    expect(await measures.count(event)).toBe(1);
    const sent = `${event} AND seq NOT IN (SELECT seq FROM outbox_pending)`;
    await waitFor('the organisation event sent', async () => (await measures.count(sent)) === 1);
    type AuditRow = { action: string; organization: string; token_id: string; token_label: string };
    const [record] = await measures.query<AuditRow>(
      `SELECT action, organization, token_id, token_label FROM audit_trail
       WHERE object_type = 'organization' AND object_id = 'AH-C340100-TAX'`,
    );
    expect(record).toMatchObject({ action: 'organization.create', organization: 'JRP-ADMIN', token_id: 'admin-cli' });
    expect(record.token_label).toMatch(/^admin-cli: \S+/);

    const before = await counts();
    const again = await admin([
      'organizations',
      'create',
      '--code',
      'AH-C340100-TAX',
      '--name',
      'x',
      '--level',
      'city',
      '--region',
      '340100',
      '--roles',
      '',
    ]);
    expect(again).toMatchObject({ code: 1, stdout: '' });
    expect(again.stderr).toBe('admin: organisation AH-C340100-TAX already exists\n');
    expect(await counts()).toEqual(before);
    const stored = await measures.query(`SELECT name FROM organizations WHERE code = 'AH-C340100-TAX'`);
    expect(stored).toEqual([{ name: '国家税务总局合肥市税务局' }]);
  });

  it('refuses a wrong code, level, region or role field by field and stores nothing', async () => {
    const before = await counts();
    const run = await admin([
      'organizations',
      'create',
      '--code',
      'ah tax',
      '--name',
      '某部门',
      '--level',
      'town',
      '--region',
      '110000',
      '--roles',
      'auditor',
    ]);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/--code: code must be 2–32 upper-case letters/);
    expect(run.stderr).toMatch(/--level: level must be one of the following values: province, city, county/);
    expect(run.stderr).toMatch(/--region: region is not a division code of Anhui province/);
    expect(run.stderr).toMatch(/--roles: each value in roles must be one of/);
    expect(run.stderr).not.toMatch(/--name/);
    const missing = await admin(['organizations', 'create', '--code', 'AH-X']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('admin: organizations create needs --name, --level, --region, --roles\n');
    expect(await counts()).toEqual(before);
  });

  it('issues a token that the API accepts, lists it without the secret, and revokes it in every service', async () => {
    const issue = ['tokens', 'issue', '--organization', RAILWAY, '--label', '售票系统', '--expires-in-days=30'];
    const issued = await json(issue);
    expect(issued).toMatchObject({ organization: RAILWAY, id: expect.any(String) });
    expect(issued.token).toMatch(/^jrp1\./);
    expect(new Date(issued.expiresAt).getTime() - Date.now()).toBeGreaterThan(29 * 86400000);
    expect((await suite.api.http().get('/api/v1/tasks/feed').set(bearer(issued.token))).status).toBe(200);
    // only the digest is kept; the issue is audited as the admin tool's
    const stored = await measures.query(`SELECT digest, label FROM tokens WHERE id = $1`, [issued.id]);
    expect(stored).toEqual([{ digest: tokenDigest(issued.token), label: '售票系统' }]);
    const audited = `SELECT * FROM audit_trail
                     WHERE action = 'token.issue' AND object_id = $1 AND token_id = 'admin-cli'`;
    expect(await measures.count(audited, [issued.id])).toBe(1);

    const listed = await json(['tokens', 'list', '--organization', RAILWAY]);
    expect(listed.items).toContainEqual(
      expect.objectContaining({ id: issued.id, organization: RAILWAY, label: '售票系统', revokedAt: null }),
    );
    expect(listed.items.every((token: { organization: string }) => token.organization === RAILWAY)).toBe(true);
    const everyone = await admin(['tokens', 'list']);
    expect(everyone.stdout).toMatch(new RegExp(`${issued.id}\\s+${RAILWAY}\\s+售票系统`));
    expect(everyone.stdout + JSON.stringify(listed)).not.toContain(issued.token);

    const revoked = await json(['tokens', 'revoke', issued.id]);
    expect(revoked).toMatchObject({ tokenId: issued.id, organization: RAILWAY });
    expect(
      await measures.count(`SELECT * FROM outbox WHERE type = 'jrp.token.revoked' AND key = $1`, [issued.id]),
    ).toBe(1);
    const http = suite.api.http();
    const calls = () => [
      http.get('/api/v1/tasks/feed').set(bearer(issued.token)), // measures
      // list-ingestion
      http.get('/api/v1/lists/entries/00000000-0000-4000-8000-000000000000').set(bearer(issued.token)),
      http.post('/api/v1/feedback').set(bearer(issued.token)).send({}), // feedback
    ];
    const refused = async () => (await Promise.all(calls())).every((res) => res.status === 401);
    await waitFor('the token refused everywhere', refused, 10000);
    const after = await json(['tokens', 'list', '--organization', RAILWAY]);
    expect(after.items.find((token: { id: string }) => token.id === issued.id).revokedAt).not.toBeNull();
    const revocations = `SELECT * FROM audit_trail WHERE action = 'token.revoke' AND object_id = $1`;
    expect(await measures.count(revocations, [issued.id])).toBe(1);
  });

  it('says which organisation or token does not exist, with exit status 1', async () => {
    const before = await counts();
    const issue = await admin(['tokens', 'issue', '--organization', 'AH-NOBODY']);
    expect(issue).toEqual({ code: 1, stdout: '', stderr: 'admin: no organisation AH-NOBODY\n' });
    const revoke = await admin(['tokens', 'revoke', '00000000-0000-4000-8000-000000000000']);
    expect(revoke).toEqual({ code: 1, stdout: '', stderr: 'admin: no such token\n' });
    expect(await counts()).toEqual(before);
  });

  it('issues the demo tokens: one per organisation and an admin token, all accepted', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'jrp-admin-')), 'demo-tokens.json');
    type DemoTokens = Record<string, { name: string; roles: string[]; token: string }>;
    const tokens: DemoTokens = await json(['demo-tokens', '--out', out]);
    const organizations = await measures.query<{ code: string }>('SELECT code FROM organizations ORDER BY code');
    const codes = organizations.map((organization) => organization.code);
    expect(Object.keys(tokens).sort()).toEqual([...codes, 'JRP-ADMIN'].sort());
    expect(tokens['JRP-ADMIN'].roles).toEqual(['admin']);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(tokens);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect((await suite.api.http().get('/api/v1/tasks/feed').set(bearer(tokens[RAILWAY].token))).status).toBe(200);
    const adminToken = bearer(tokens['JRP-ADMIN'].token);
    const adminCall = await suite.api.http().get(`/api/v1/admin/organizations/${RAILWAY}/tokens`).set(adminToken);
    expect(adminCall.status).toBe(200);
    // the file is never overwritten
    const again = await admin(['demo-tokens', '--out', out]);
    expect(again).toMatchObject({ code: 2, stdout: '' });
    expect(again.stderr).toMatch(/exists/);
  });

  it('names a missing configuration variable in one message, without a stack trace', async () => {
    const run = await admin(['organizations', 'list'], { DATABASE_URL: '', JRP_TOKEN_SIGNING_KEY: '' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^invalid configuration for measures:/);
    expect(run.stderr).toContain('missing DATABASE_URL');
    expect(run.stderr).toContain('missing JRP_TOKEN_SIGNING_KEY');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
