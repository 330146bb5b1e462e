// Maps the tsconfig path aliases (@jrp/...) for jest.
const { compilerOptions } = require('../tsconfig.json');

function pathsToModuleNameMapper() {
  const mapper = {};
  for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
    const escaped = alias.replace(/[/.]/g, (c) => `\\${c}`);
    if (alias.endsWith('/*')) {
      mapper[`^${escaped.slice(0, -1)}(.*)$`] = `<rootDir>/${target.slice(0, -1)}$1`;
    } else {
      mapper[`^${escaped}$`] = `<rootDir>/${target}`;
      mapper[`^${escaped}/(.*)$`] = `<rootDir>/${target}/$1`;
    }
  }
  return mapper;
}

module.exports = { pathsToModuleNameMapper };
