import 'reflect-metadata';
import { adminConfig, prepare, runAdmin } from './admin';
import { parseAdminArgs, UsageError } from './admin-args';

/**
 * `npm run admin -- organizations list|create, tokens issue|list|revoke, demo-tokens`: organisations and
 * their tokens for an operator without a token yet (docs/operations.md). Errors are one line on stderr:
 * exit status 2 for a wrong command line or value (nothing changed), 1 for a refusal or a failure.
 */
async function main(): Promise<number> {
  const command = parseAdminArgs(process.argv.slice(2));
  if (command.kind === 'help') {
    console.log(command.usage);
    return 0;
  }
  const run = await prepare(command);
  await runAdmin(adminConfig(process.env), run, command.json, (text) => console.log(text));
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    // a configuration error's message is already its own clear text; anything else is one line too, no stack
    const message = error?.name === 'ConfigurationError' ? error.message : `admin: ${error?.message ?? error}`;
    console.error(message);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
