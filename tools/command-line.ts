import { ConfigurationError, loadEnvFile } from '@jrp/config';

/** A command line that cannot run as given: its message is one line, nothing was done, exit status 2. */
export class UsageError extends Error {}

/** The command line of a tool that works on some of the services' schemas: `[--service <name>]… | --help`. */
export interface ServiceCommand<Service extends string> {
  help: boolean;
  services: Service[];
}

/**
 * Parses `[--service <name>]…` (or `--help`): each service once, in the order named; every known
 * service when none is. `refused` names services the tool does not serve, with the reason it gives.
 */
export function parseServiceArgs<Service extends string>(
  args: string[],
  known: readonly Service[],
  refused: Readonly<Record<string, string>> = {},
): ServiceCommand<Service> {
  const chosen: Service[] = [];
  for (let index = 0; index < args.length; index++) {
    const flag = args[index];
    if (flag === '--help' || flag === '-h') return { help: true, services: [] };
    if (flag !== '--service') throw new UsageError(`unknown argument ${flag}`);
    const name = args[++index];
    if (!name) throw new UsageError('--service needs a name');
    if (refused[name]) throw new UsageError(refused[name]);
    if (!(known as readonly string[]).includes(name))
      throw new UsageError(`unknown service ${name} (${known.join(', ')})`);
    if (!chosen.includes(name as Service)) chosen.push(name as Service);
  }
  return { help: false, services: chosen.length > 0 ? chosen : [...known] };
}

/**
 * A tool's `main`: `.env` loaded, the command line parsed (a usage error printed with the usage, exit
 * status 2), `--help` answered, then the command run; a failure is one line on stderr (a configuration
 * error lists each wrong variable), exit status 1.
 */
export function runTool<Command extends object>(
  name: string,
  usage: string,
  parse: (args: string[]) => Command,
  run: (command: Command) => Promise<number | void>,
): void {
  const main = async (): Promise<number> => {
    loadEnvFile();
    let command: Command;
    try {
      command = parse(process.argv.slice(2));
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      console.error(`${error.message}\n\n${usage}`);
      return 2;
    }
    if ('help' in command && command.help === true) {
      console.log(usage);
      return 0;
    }
    return (await run(command)) ?? 0;
  };
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(
        error instanceof ConfigurationError
          ? error.message
          : `${name}: ${error instanceof Error ? error.message : String(error)}`,
      );
      process.exitCode = 1;
    },
  );
}
