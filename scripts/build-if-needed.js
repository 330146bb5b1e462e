#!/usr/bin/env node
// Builds dist/ (npm run build) when a source file, or a file served as it is (.html, .css, .js), is newer than the
// last build (npm start / npm test call this first).
const { execSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const stamp = join(root, 'dist', '.build-stamp');

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path));
    else if (/\.(ts|json|html|css|js)$/.test(entry.name)) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

const sources = Math.max(
  ...['apps', 'libs', 'tools', 'bench'].filter((d) => existsSync(join(root, d))).map((d) => newest(join(root, d))),
  ...['package.json', 'tsconfig.json', 'tsconfig.build.json'].map((f) => statSync(join(root, f)).mtimeMs),
);
if (existsSync(stamp) && statSync(stamp).mtimeMs >= sources) process.exit(0);
console.log('building jrp…');
// the package's own build: compiles, then copies the files served as they are (the dashboard's page)
execSync('npm run build', { cwd: root, stdio: 'inherit' });
writeFileSync(stamp, new Date().toISOString());
