import { UsageError } from '../command-line';
import { ORGANIZATION_LEVELS, ROLES } from '@jrp/contracts';

export const TOOL_USAGE = `usage: npm run admin -- <command> [options]
       node dist/tools/admin/cli.js <command> [options]   (in the image: docker compose exec measures …)

Organisations and their tokens, as the HTTP admin API manages them, for an operator who has no token yet.

commands:
  organizations list                      every organisation of the catalogue
  organizations create --code … --name … --level … --region … --roles …
                                          adds an organisation (department or office)
  tokens issue --organization <code>      issues a token, shown once (JRP-ADMIN: an admin token)
  tokens list [--organization <code>]     the tokens (never the tokens themselves)
  tokens revoke <token id>                revokes a token: every service refuses it within seconds
  demo-tokens [--out <file>]              one new token per organisation and an admin token, as npm start does

options for every command:
  --json                                  machine-readable output (JSON on stdout)
  --help                                  the command's usage

environment: measures' own — DATABASE_URL, JRP_TOKEN_SIGNING_KEY, JRP_SUBJECT_KEY_SECRET, JRP_DATA_KEYS,
JRP_DB_SCHEMA_PREFIX. The tool writes to measures' tables and outbox only; the running measures service
sends the events (a new organisation, a revocation) to the other services.

exit status: 0 done; 1 refused or failed (an organisation that exists, no such token, no database);
2 wrong command line or values (nothing changed).`;

const COMMON_OPTIONS = `  --json                  machine-readable output
  --help                  this text`;

/** Each command: its name, its usage, the options that take a value and its positional arguments. */
interface CommandSpec {
  name: CommandName;
  usage: string;
  valued: string[];
  positional: string[];
}

export type CommandName =
  'organizations list' | 'organizations create' | 'tokens issue' | 'tokens list' | 'tokens revoke' | 'demo-tokens';

const SPECS: CommandSpec[] = [
  {
    name: 'organizations list',
    usage: `usage: npm run admin -- organizations list [--json]

Every organisation of the catalogue: code, name, level, region (行政区划代码), roles.

${COMMON_OPTIONS}`,
    valued: [],
    positional: [],
  },
  {
    name: 'organizations create',
    usage: `usage: npm run admin -- organizations create --code <code> --name <name> --level <level> --region <region>
                                              --roles <role,role…> [--json]

Adds an organisation (a department or an office) and announces it to the other services, as
POST /api/v1/admin/organizations does, with its audit record.

  --code <code>           2–32 upper-case letters, digits or -, e.g. AH-C340100-TAX
  --name <name>           its full name, e.g. 国家税务总局合肥市税务局
  --level <level>         ${ORGANIZATION_LEVELS.join(' | ')}
  --region <region>       行政区划代码 of the province or one of its divisions, e.g. 340100
  --roles <roles>         comma-separated, of ${ROLES.join(', ')} ('' for none)
${COMMON_OPTIONS}`,
    valued: ['--code', '--name', '--level', '--region', '--roles'],
    positional: [],
  },
  {
    name: 'tokens issue',
    usage: `usage: npm run admin -- tokens issue --organization <code> [--label <text>] [--expires-in-days <n>] [--json]

Issues a bearer token for the organisation, as POST /api/v1/admin/organizations/<code>/tokens does.
The token is printed this once: only its id and digest are kept. JRP-ADMIN (the system administrator)
gets an admin token.

  --organization <code>   the organisation's code
  --label <text>          the person or system the token is issued to
  --expires-in-days <n>   1 to 730 (default 365)
${COMMON_OPTIONS}`,
    valued: ['--organization', '--label', '--expires-in-days'],
    positional: [],
  },
  {
    name: 'tokens list',
    usage: `usage: npm run admin -- tokens list [--organization <code>] [--json]

The tokens, oldest first: id, organisation, label, creation, expiry, revocation and last use — never the
tokens themselves.

  --organization <code>   only this organisation's
${COMMON_OPTIONS}`,
    valued: ['--organization'],
    positional: [],
  },
  {
    name: 'tokens revoke',
    usage: `usage: npm run admin -- tokens revoke <token id> [--json]

Revokes the token and announces it (jrp.token.revoked): every service refuses it within seconds of the
running measures service sending the announcement. Revoking a revoked token changes nothing.

${COMMON_OPTIONS}`,
    valued: [],
    positional: ['token id'],
  },
  {
    name: 'demo-tokens',
    usage: `usage: npm run admin -- demo-tokens [--out <file>] [--json]

Issues, as the first start of npm start does, one new token labelled "demo" for every organisation of the
catalogue and one admin token ("demo admin", JRP-ADMIN), and prints them. Each run issues new tokens;
the earlier ones stay valid until revoked.

  --out <file>            also writes them, as JSON readable by its owner only, to a new file
${COMMON_OPTIONS}`,
    valued: ['--out'],
    positional: [],
  },
];

export type AdminCommand =
  | { kind: 'help'; usage: string }
  | { kind: CommandName; json: boolean; options: Record<string, string>; args: string[] };

const GROUPS = ['organizations', 'tokens'];

/** Parses the command line (`--flag value` or `--flag=value`); throws UsageError with what is wrong. */
export function parseAdminArgs(given: string[]): AdminCommand {
  // --json goes anywhere, before the command too
  const json = given.includes('--json');
  const argv = given.filter((arg) => arg !== '--json');
  const words = argv.filter((arg) => !arg.startsWith('-'));
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  if (argv.length === 0) throw new UsageError('no command (see --help)');
  if ((wantsHelp && words.length === 0) || (words.length === 1 && words[0] === 'help')) {
    return { kind: 'help', usage: TOOL_USAGE };
  }
  const [first, second] = argv;
  const name = GROUPS.includes(first) ? `${first} ${second ?? ''}`.trim() : first;
  const spec = SPECS.find((candidate) => candidate.name === name);
  if (!spec) {
    if (GROUPS.includes(first)) {
      const known = SPECS.filter((known) => known.name.startsWith(`${first} `)).map(
        (known) => known.name.split(' ')[1],
      );
      const problem = second ? `unknown command ${name} (${first}: ` : `${first} needs a command (`;
      throw new UsageError(`${problem}${known.join(', ')})`);
    }
    throw new UsageError(`unknown command ${first} (see --help)`);
  }
  if (wantsHelp) return { kind: 'help', usage: spec.usage };
  const rest = argv.slice(spec.name.split(' ').length);
  const options: Record<string, string> = {};
  const args: string[] = [];
  for (let index = 0; index < rest.length; index++) {
    const word = rest[index];
    if (!word.startsWith('--')) {
      args.push(word);
      continue;
    }
    const equals = word.indexOf('=');
    const [flag, inline] = equals > 0 ? [word.slice(0, equals), word.slice(equals + 1)] : [word, undefined];
    if (!spec.valued.includes(flag)) {
      throw new UsageError(`unknown option ${flag} for ${spec.name} (see ${spec.name} --help)`);
    }
    const value = inline ?? rest[index + 1];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) {
      throw new UsageError(`${flag} needs a value`);
    }
    if (flag in options) throw new UsageError(`${flag} is given twice`);
    options[flag] = value;
    if (inline === undefined) index++;
  }
  if (args.length > spec.positional.length) {
    throw new UsageError(`unexpected argument ${args[spec.positional.length]} for ${spec.name}`);
  }
  if (args.length < spec.positional.length) {
    throw new UsageError(`${spec.name} needs the ${spec.positional[args.length]}`);
  }
  return { kind: spec.name, json, options, args };
}
