// The maintainers' documents name files, folders, classes and methods; this keeps those names true. It reads
// docs/architecture.md and the README's "Layout" section and fails naming every path that does not exist and
// every class or method that is not declared where the code is. No I/O beyond reading the repository.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', '.git', 'coverage', 'test-artifacts']);
/** The folders a backticked repository path starts with. */
const REPOSITORY_PATH = /^(apps|libs|tools|test|deploy|docs|bench|scripts|\.ci)(\/[\w.@/-]*)?$/;
/** A file name without a folder (`docker-compose.yml`): a top-level file, or one under a table row's folder. */
const FILE_NAME = /^[\w-][\w.-]*\.(ts|js|cjs|mjs|json|ya?ml|md|xml|template)$|^Dockerfile$/;
/** A relative path inside a table row's folder (`matching/`, `tasks/task-writer.ts`). */
const RELATIVE_PATH = /^[\w-][\w.-]*(\/[\w.-]+)*\/?$/;
/** `SomeClass`, `SomeClass.method`, `@Decorator`; a PascalCase name has at least one lower-case letter. */
const PASCAL_NAME = /^@?([A-Z][A-Za-z0-9]*)(?:\.([a-z][A-Za-z0-9]*))?$/;
/** `someFunction`: camelCase with at least one capital (checked when the text names its file). */
const CAMEL_NAME = /^([a-z][a-z0-9]*[A-Z][A-Za-z0-9]*)$/;

interface Document {
  /** Repository-relative path, for the messages. */
  name: string;
  text: string;
}

function walk(folder: string, into: string[] = []): string[] {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (SKIPPED_FOLDERS.has(entry.name)) continue;
    const path = join(folder, entry.name);
    into.push(path);
    if (entry.isDirectory()) walk(path, into);
  }
  return into;
}

const sources = ['apps', 'libs', 'tools', 'bench', 'scripts']
  .flatMap((folder) => walk(join(ROOT, folder)))
  .filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts'))
  .map((path) => ({ path: relative(ROOT, path).split(sep).join('/'), text: readFileSync(path, 'utf8') }));

const escape = (name: string) => name.replace(/[$]/g, '\\$&');
const classDeclaration = (name: string) => new RegExp(`(^|[\\s;])class\\s+${escape(name)}\\b`, 'm');
const anyDeclaration = (name: string) =>
  new RegExp(`(^|[\\s;])(class|interface|type|enum|function|const|let|var)\\s+${escape(name)}\\b`, 'm');
const methodDefinition = (name: string) =>
  new RegExp(
    `^\\s*(?:(?:public|private|protected|static|async|override|readonly|get|set)\\s+)*${escape(name)}\\s*[<(]`,
    'm',
  );

/** The text without fenced code blocks (a diagram is not a list of names). */
function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, '');
}

/** The README's "## Layout" section, up to the next heading of its level. */
function readmeLayout(): Document | undefined {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = /^## Layout\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme);
  return section ? { name: 'README.md (Layout)', text: section[1] } : undefined;
}

const documents: Document[] = [
  { name: 'docs/architecture.md', text: readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8') },
  ...[readmeLayout()].filter((document): document is Document => document !== undefined),
];

/** `libs/http/src/x.ts#anchor`, `apps/a.ts:12`, `apps/a.ts:12-20` → the path alone. */
function withoutLocation(token: string): string {
  return token.replace(/#[\w-]*$/, '').replace(/:\d+(-\d+)?$/, '');
}

function backticked(line: string): string[] {
  return [...line.matchAll(/`([^`\n]+)`/g)].map((match) => match[1].trim());
}

/** Whether `token` names a file or folder somewhere under `base` (`feed/` finds `src/tasks/feed`). */
function existsUnder(base: string, token: string): boolean {
  const wanted = token.replace(/\/$/, '');
  if (existsSync(join(ROOT, base, wanted))) return true;
  return walk(join(ROOT, base)).some((path) =>
    relative(join(ROOT, base), path).split(sep).join('/').endsWith(`/${wanted}`),
  );
}

/** The folder a table row's relative paths start from: a service's or library's `src/`, else the folder itself. */
function rowBase(firstCell: string): string | undefined {
  const [folder] = backticked(firstCell)
    .map(withoutLocation)
    .filter((token) => REPOSITORY_PATH.test(token));
  if (!folder || !existsSync(join(ROOT, folder)) || !statSync(join(ROOT, folder)).isDirectory()) return undefined;
  return existsSync(join(ROOT, folder, 'src')) ? `${folder.replace(/\/$/, '')}/src` : folder;
}

/** Every path a document names that does not exist, as "document: `path`". */
function missingPaths(document: Document): string[] {
  const problems: string[] = [];
  for (const line of prose(document.text).split('\n')) {
    const cells = line.trim().startsWith('|') ? line.split('|').slice(1, -1) : [line];
    const base = cells.length > 1 ? rowBase(cells[0]) : undefined;
    for (const token of backticked(line).map(withoutLocation)) {
      if (REPOSITORY_PATH.test(token)) {
        if (!existsSync(join(ROOT, token))) problems.push(`${document.name}: \`${token}\` does not exist`);
      } else if (base && (FILE_NAME.test(token) || (token.includes('/') && RELATIVE_PATH.test(token)))) {
        if (!existsUnder(base, token)) problems.push(`${document.name}: \`${token}\` is not under ${base}`);
      } else if (FILE_NAME.test(token)) {
        if (!existsSync(join(ROOT, token))) problems.push(`${document.name}: \`${token}\` is not a top-level file`);
      }
    }
    for (const link of line.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = link[1].replace(/#.*$/, '');
      if (!target || /^[a-z]+:/i.test(target)) continue;
      const path = join(ROOT, dirname(document.name.replace(/ \(.*\)$/, '')), target);
      if (!existsSync(path)) problems.push(`${document.name}: link (${link[1]}) leads nowhere`);
    }
  }
  return problems;
}

/** Every `Class`, `Class.method` or `@Decorator` a document names that the code does not declare. */
function undeclaredNames(document: Document): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const token of backticked(prose(document.text))) {
    const name = PASCAL_NAME.exec(token);
    if (!name || !/[a-z]/.test(name[1]) || seen.has(token)) continue;
    seen.add(token);
    const [, type, method] = name;
    if (!method) {
      if (!sources.some((source) => anyDeclaration(type).test(source.text))) {
        problems.push(`${document.name}: \`${token}\` is declared nowhere in the code`);
      }
      continue;
    }
    const files = sources.filter((source) => classDeclaration(type).test(source.text));
    if (files.length === 0) problems.push(`${document.name}: \`${token}\`: no class ${type}`);
    else if (!files.some((file) => methodDefinition(method).test(file.text))) {
      problems.push(
        `${document.name}: \`${token}\`: ${files.map((file) => file.path).join(', ')} defines no ${method}`,
      );
    }
  }
  return problems;
}

/** "`name` (`path`": the name (a method's class) must be declared in that very file; the method is checked above. */
function misplacedNames(document: Document): string[] {
  const problems: string[] = [];
  for (const [, token, rawPath] of prose(document.text).matchAll(/`([^`\n]+)`\s*\(\s*`([^`\n]+)`/g)) {
    const path = withoutLocation(rawPath);
    if (!REPOSITORY_PATH.test(path) || !path.endsWith('.ts') || !existsSync(join(ROOT, path))) continue;
    const text = readFileSync(join(ROOT, path), 'utf8');
    const pascal = PASCAL_NAME.exec(token);
    const camel = CAMEL_NAME.exec(token);
    const declared =
      pascal && /[a-z]/.test(pascal[1])
        ? (pascal[2] ? classDeclaration(pascal[1]) : anyDeclaration(pascal[1])).test(text)
        : !camel || anyDeclaration(camel[1]).test(text);
    if (!declared) problems.push(`${document.name}: \`${token}\` is not declared in ${path}`);
  }
  return problems;
}

/** The folders of `parent` (apps, libs, tools) that a document never names as `parent/<folder>`. */
function unnamedFolders(document: Document, parent: string): string[] {
  const named = new Set(backticked(prose(document.text)).map((token) => withoutLocation(token).replace(/\/$/, '')));
  return readdirSync(join(ROOT, parent), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !named.has(`${parent}/${entry.name}`))
    .sort((first, second) => first.name.localeCompare(second.name))
    .map((entry) => `${document.name} does not name \`${parent}/${entry.name}\``);
}

describe('the maintainers’ documents name what exists', () => {
  it('reads the architecture and the README layout, and finds paths and names in them', () => {
    expect(documents.map((document) => document.name)).toEqual(['docs/architecture.md', 'README.md (Layout)']);
    for (const document of documents) {
      expect(
        backticked(document.text).filter((token) => REPOSITORY_PATH.test(withoutLocation(token))).length,
      ).toBeGreaterThan(0);
    }
    expect(backticked(documents[0].text).filter((token) => PASCAL_NAME.test(token)).length).toBeGreaterThan(10);
  });

  it.each(documents.map((document) => [document.name, document] as const))(
    'every path %s names exists',
    (_name, document) => {
      expect(missingPaths(document)).toEqual([]);
    },
  );

  it.each(documents.map((document) => [document.name, document] as const))(
    'every class and method %s names is declared, where it says',
    (_name, document) => {
      expect([...undeclaredNames(document), ...misplacedNames(document)]).toEqual([]);
    },
  );

  it('the architecture names every service, library and tool; the README layout every library', () => {
    const [architecture, layout] = documents;
    expect(['apps', 'libs', 'tools'].flatMap((parent) => unnamedFolders(architecture, parent))).toEqual([]);
    expect(unnamedFolders(layout, 'libs')).toEqual([]);
  });

  it('catches a renamed file, class and method', () => {
    const stale: Document = {
      name: 'docs/architecture.md',
      text: [
        '| `apps/measures` | tasks | `tasks/task-scribe.ts` |',
        '`apps/list-ingestion/src/entries/entries.service.ts` `EntriesService.publish` `TaskWriter.scribble`',
        '`planTasks` (`apps/measures/src/matching/match-measures.ts`) and [gone](gone.md)',
      ].join('\n'),
    };
    expect(missingPaths(stale)).toEqual([
      'docs/architecture.md: `tasks/task-scribe.ts` is not under apps/measures/src',
      'docs/architecture.md: `apps/list-ingestion/src/entries/entries.service.ts` does not exist',
      'docs/architecture.md: link (gone.md) leads nowhere',
    ]);
    expect(undeclaredNames(stale)).toEqual([
      'docs/architecture.md: `EntriesService.publish`: no class EntriesService',
      'docs/architecture.md: `TaskWriter.scribble`: apps/measures/src/tasks/task-writer.ts defines no scribble',
    ]);
    expect(misplacedNames(stale)).toEqual([
      'docs/architecture.md: `planTasks` is not declared in apps/measures/src/matching/match-measures.ts',
    ]);
    expect(unnamedFolders(stale, 'apps')).toEqual([
      'docs/architecture.md does not name `apps/feedback`',
      'docs/architecture.md does not name `apps/list-ingestion`',
      'docs/architecture.md does not name `apps/standalone`',
    ]);
  });
});
