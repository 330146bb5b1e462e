import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigurationError } from './environment';

const ASSIGNMENT = /^\s*(export\s+)?[A-Za-z_][A-Za-z0-9_.-]*\s*=(.*)$/;
const QUOTES = ['"', "'", '`'];

/**
 * The first line of a `.env` text that is not `NAME=value`, a comment or blank (a quoted value may span
 * lines), as "line N: …"; undefined when every line is one of those. Node's own parser skips such lines
 * silently, so a typo would go unnoticed.
 */
export function envFileProblem(text: string): string | undefined {
  const lines = text.split(/\r?\n/);
  let openQuote: string | undefined;
  for (const [index, line] of lines.entries()) {
    if (openQuote) {
      if (line.includes(openQuote)) openQuote = undefined;
      continue;
    }
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const assignment = ASSIGNMENT.exec(line);
    if (!assignment) return `line ${index + 1}: "${trimmed.slice(0, 40)}" is not NAME=value`;
    const value = assignment[2].trim();
    const quote = QUOTES.find((candidate) => value.startsWith(candidate));
    if (quote && value.indexOf(quote, 1) === -1) openQuote = quote;
  }
  return openQuote ? `a value opened with ${openQuote} is never closed` : undefined;
}

/**
 * Loads `.env` from the working folder when there is one, before the configuration is read, as
 * `process.loadEnvFile` does (Node's parser): a variable already set in the environment keeps its value.
 * Returns the file loaded, if any.
 */
export function loadEnvFile(path = resolve('.env'), env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  const problem = envFileProblem(text);
  if (problem) throw new ConfigurationError(`${path}, ${problem}`);
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (env[name] === undefined) env[name] = value;
  }
  return path;
}
