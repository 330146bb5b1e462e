import 'reflect-metadata';
import { ConfigurationError, loadEnvFile } from '@jrp/config';
import { UsageError } from '../command-line';
import { parseAdminArgs } from './admin-args';

/**
 * `npm run admin -- organizations list|create, tokens issue|list|revoke, demo-tokens`: organisations and
 * their tokens for an operator without a token yet (docs/operations.md). Errors are one line on stderr
 * (a configuration error lists each wrong variable): exit status 2 for a wrong command line or value
 * (nothing changed), 1 for a refusal or a failure.
 */
async function main(): Promise<number> {
  loadEnvFile();
  const command = parseAdminArgs(process.argv.slice(2));
  if (command.kind === 'help') {
    console.log(command.usage);
    return 0;
  }
  // Nest, TypeORM and the services load only for a command line that is right
  const { adminConfig, prepare, runAdmin } = await import('./admin');
  const run = await prepare(command);
  await runAdmin(adminConfig(process.env), run, command.json, (text) => console.log(text));
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(
      error instanceof ConfigurationError
        ? error.message
        : `admin: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
