#!/usr/bin/env node
/*
 * Validates catalogue.seed.json (the provincial joint reward/punishment seed catalogue).
 * Plain Node, no dependencies. See docs/catalogue-seed.md for the rules checked here.
 *
 *   node apps/measures/src/catalogue/seed/check-seed.js [seed.json] [--reference <dir>]
 *
 * With --reference (or JRP_REFERENCE_DIR) pointing at shared/reference, the seed is also
 * cross-checked against national-memoranda.json and national-memoranda-measures.jsonl.
 * Exit code 0 when every check passes, 1 otherwise.
 */
'use strict';

const fs = require('fs');
const path = require('path');

const args = process.argv.slice(2);
let seedPath = path.join(__dirname, 'catalogue.seed.json');
let referenceDir = process.env.JRP_REFERENCE_DIR || null;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--reference') referenceDir = args[++i];
  else if (args[i] === '--help' || args[i] === '-h') {
    console.log('usage: check-seed.js [seed.json] [--reference <shared/reference dir>]');
    process.exit(0);
  } else seedPath = args[i];
}

const errors = [];
const fail = (where, msg) => errors.push(`${where}: ${msg}`);

const CODE_RE = /^[A-Z0-9][A-Z0-9-]{1,31}$/;
const MEMO_RE = /^M\d{2}$/;
const MEASURE_RE = /^(M\d{2})-\d{2}$/;
const HAN_RE = /\p{Script=Han}/u;
const ROLES = ['publisher', 'implementer', 'office'];
const LEVELS = ['province', 'city', 'county'];
const MAPPINGS = ['direct', 'inferred', 'outside-government', 'all-signatories'];
const KINDS = ['punishment', 'reward'];
const COLOURS = ['black', 'red'];
const SUBJECT_KINDS = ['legal', 'natural'];
const APPLIES_TO = ['subject', 'legal-representative', 'both'];
const FEEDBACK_DAYS = [5, 10, 20];
const BASIS_KINDS = ['law', 'administrative-regulation', 'local-regulation', 'central-policy', 'memorandum'];
const LEGAL_KINDS = ['law', 'administrative-regulation', 'local-regulation', 'central-policy'];
const CITIES = {
  340100: '合肥',
  340200: '芜湖',
  340300: '蚌埠',
  340400: '淮南',
  340500: '马鞍山',
  340600: '淮北',
  340700: '铜陵',
  340800: '安庆',
  341000: '黄山',
  341100: '滁州',
  341200: '阜阳',
  341300: '宿州',
  341500: '六安',
  341600: '亳州',
  341700: '池州',
  341800: '宣城',
};
const EXPECTED = { memoranda: 10, measures: 100, cities: 16, punishment: 81, reward: 19 };

const isStr = (v) => typeof v === 'string' && v.trim().length > 0;
const isBool = (v) => typeof v === 'boolean';
const isStrArray = (v) => Array.isArray(v) && v.every(isStr);
const dupes = (arr) => arr.filter((x, i) => arr.indexOf(x) !== i);

function exactKeys(where, obj, required, optional = []) {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return fail(where, 'not an object');
  for (const k of required) if (!(k in obj)) fail(where, `missing key "${k}"`);
  for (const k of Object.keys(obj)) {
    if (!required.includes(k) && !optional.includes(k)) fail(where, `unexpected key "${k}"`);
  }
}

function subsetOf(where, field, arr, allowed, { nonEmpty = true } = {}) {
  if (!Array.isArray(arr)) return fail(where, `${field} must be an array`);
  if (nonEmpty && arr.length === 0) fail(where, `${field} must not be empty`);
  for (const v of arr) if (!allowed.includes(v)) fail(where, `${field} has unknown value ${JSON.stringify(v)}`);
  for (const d of dupes(arr)) fail(where, `${field} repeats ${JSON.stringify(d)}`);
}

// ------------------------------------------------------------------ load
let seed;
try {
  seed = JSON.parse(fs.readFileSync(seedPath, 'utf8'));
} catch (e) {
  console.error(`cannot read ${seedPath}: ${e.message}`);
  process.exit(1);
}

exactKeys('seed', seed, ['source', 'organizations', 'memoranda', 'listTypes', 'measures']);
if (!isStr(seed.source)) fail('seed', 'source must be a non-empty string');
for (const k of ['organizations', 'memoranda', 'listTypes', 'measures']) {
  if (!Array.isArray(seed[k])) {
    console.error(`seed.${k} must be an array`);
    process.exit(1);
  }
}
const { organizations, memoranda, listTypes, measures } = seed;

// ------------------------------------------------------------------ organizations
const orgs = new Map();
const aliasOwner = new Map();
for (const [i, o] of organizations.entries()) {
  const where = `organizations[${i}]${o && o.code ? ` ${o.code}` : ''}`;
  exactKeys(where, o, ['code', 'name', 'shortName', 'level', 'region', 'aliases', 'roles', 'mapping'], ['note']);
  if (!isStr(o.code) || !CODE_RE.test(o.code)) fail(where, 'code does not match ^[A-Z0-9][A-Z0-9-]{1,31}$');
  else if (orgs.has(o.code)) fail(where, 'duplicate code');
  else orgs.set(o.code, o);
  if (!isStr(o.name) || !HAN_RE.test(o.name)) fail(where, 'name must be Chinese text');
  if (!isStr(o.shortName) || !HAN_RE.test(o.shortName)) fail(where, 'shortName must be Chinese text');
  if (!LEVELS.includes(o.level)) fail(where, `level must be one of ${LEVELS.join(', ')}`);
  if (!/^\d{6}$/.test(String(o.region)) || typeof o.region !== 'string') fail(where, 'region must be a 6-digit string');
  if (!isStrArray(o.aliases)) fail(where, 'aliases must be an array of strings');
  else {
    for (const d of dupes(o.aliases)) fail(where, `alias ${d} repeated`);
    for (const a of o.aliases) {
      if (a === o.name || a === o.shortName) fail(where, `alias ${a} repeats the name or shortName`);
      if (aliasOwner.has(a) && aliasOwner.get(a) !== o.code)
        fail(where, `alias ${a} also used by ${aliasOwner.get(a)}`);
      aliasOwner.set(a, o.code);
    }
  }
  subsetOf(where, 'roles', o.roles, ROLES);
  if (!MAPPINGS.includes(o.mapping)) fail(where, `mapping must be one of ${MAPPINGS.join(', ')}`);
  if ('note' in o && !isStr(o.note)) fail(where, 'note, when present, must be a non-empty string');

  if (isStr(o.code)) {
    if (!o.code.startsWith('AH-')) fail(where, 'Anhui organisation codes start with "AH-"');
    const cityMatch = /^AH-C(\d{6})$/.exec(o.code);
    if (o.level === 'city') {
      if (!cityMatch) fail(where, 'city codes look like AH-C340100');
      else if (o.region !== cityMatch[1]) fail(where, `region ${o.region} does not match the code`);
      if (!(o.region in CITIES)) fail(where, `region ${o.region} is not an Anhui prefecture-level city`);
      else if (!o.name.includes(CITIES[o.region])) fail(where, `name should name the city ${CITIES[o.region]}`);
      if (Array.isArray(o.roles) && !o.roles.includes('office'))
        fail(where, 'a city credit office needs role "office"');
    } else if (o.level === 'province') {
      if (cityMatch) fail(where, 'AH-C<division> codes are reserved for cities');
      if (o.region !== '340000') fail(where, 'provincial bodies have region 340000');
    }
  }
}
const cities = organizations.filter((o) => o.level === 'city');
if (cities.length !== EXPECTED.cities)
  fail('organizations', `expected ${EXPECTED.cities} cities, found ${cities.length}`);
for (const code of Object.keys(CITIES)) {
  if (!orgs.has(`AH-C${code}`)) fail('organizations', `city AH-C${code} (${CITIES[code]}) missing`);
}
const office = orgs.get('AH-CREDIT-OFFICE');
if (!office) fail('organizations', 'AH-CREDIT-OFFICE (省信用办) missing');
else if (!office.roles.includes('office') || office.level !== 'province')
  fail('AH-CREDIT-OFFICE', 'must be a provincial body with role "office"');

function orgRef(where, field, code) {
  if (!orgs.has(code)) {
    fail(where, `${field} ${JSON.stringify(code)} is not an organisation`);
    return null;
  }
  return orgs.get(code);
}

// ------------------------------------------------------------------ memoranda
const memos = new Map();
if (memoranda.length !== EXPECTED.memoranda)
  fail('memoranda', `expected ${EXPECTED.memoranda}, found ${memoranda.length}`);
for (const [i, m] of memoranda.entries()) {
  const where = `memoranda[${i}]${m && m.code ? ` ${m.code}` : ''}`;
  exactKeys(where, m, [
    'code',
    'name',
    'docNo',
    'docNoUncertain',
    'year',
    'kind',
    'status',
    'initiatingOrganization',
    'signatoryCount',
  ]);
  if (!isStr(m.code) || !MEMO_RE.test(m.code)) fail(where, 'code must look like M01');
  else if (memos.has(m.code)) fail(where, 'duplicate code');
  else memos.set(m.code, m);
  if (!isStr(m.name) || !HAN_RE.test(m.name) || !m.name.includes('备忘录'))
    fail(where, 'name must be the Chinese memorandum title');
  if (m.docNo !== null && !isStr(m.docNo)) fail(where, 'docNo must be a string or null');
  if (!isBool(m.docNoUncertain)) fail(where, 'docNoUncertain must be boolean');
  if (m.docNo === null && m.docNoUncertain !== true) fail(where, 'a missing docNo must be flagged docNoUncertain');
  if (!Number.isInteger(m.year) || m.year < 2013 || m.year > 2030) fail(where, 'year out of range');
  if (!KINDS.includes(m.kind)) fail(where, `kind must be one of ${KINDS.join(', ')}`);
  if (!['in-force', 'expired'].includes(m.status)) fail(where, 'status must be in-force or expired');
  if (m.signatoryCount !== null && !(Number.isInteger(m.signatoryCount) && m.signatoryCount > 0)) {
    fail(where, 'signatoryCount must be a positive integer or null');
  }
  const init = orgRef(where, 'initiatingOrganization', m.initiatingOrganization);
  if (init && !init.roles.includes('publisher'))
    fail(where, `initiating organisation ${init.code} lacks role "publisher"`);
}

// ------------------------------------------------------------------ list types
const lts = new Map();
const memoToListType = new Map();
for (const [i, l] of listTypes.entries()) {
  const where = `listTypes[${i}]${l && l.code ? ` ${l.code}` : ''}`;
  exactKeys(where, l, [
    'code',
    'name',
    'colour',
    'identifyingOrganization',
    'repairable',
    'defaultValidityDays',
    'subjectKinds',
    'memoranda',
    'procedure',
    'repairPath',
    'grades',
    'defaultGrade',
    'objectionHoldsMeasures',
    'basis',
    'removalConditions',
    'remedies',
    'withheldFacilitations',
  ]);
  if (!isStr(l.code) || !CODE_RE.test(l.code)) fail(where, 'code does not match ^[A-Z0-9][A-Z0-9-]{1,31}$');
  else if (lts.has(l.code)) fail(where, 'duplicate code');
  else lts.set(l.code, l);
  if (!isStr(l.name) || !HAN_RE.test(l.name) || !l.name.endsWith('名单'))
    fail(where, 'name must be a Chinese list name ending in 名单');
  if (!COLOURS.includes(l.colour)) fail(where, 'colour must be black or red');
  if (isStr(l.code) && COLOURS.includes(l.colour)) {
    const prefix = l.colour === 'black' ? 'BL-' : 'RL-';
    if (!l.code.startsWith(prefix)) fail(where, `${l.colour} list codes start with ${prefix}`);
  }
  const ident = orgRef(where, 'identifyingOrganization', l.identifyingOrganization);
  if (ident && !ident.roles.includes('publisher'))
    fail(where, `identifying organisation ${ident.code} lacks role "publisher"`);
  if (!isBool(l.repairable)) fail(where, 'repairable must be boolean');
  if (l.colour === 'red' && l.repairable !== false) fail(where, 'red lists are not repairable');
  // the rule set (libs/contracts/src/list-rules.contract.ts; docs/lists.md)
  if (!['direct', 'notice-first'].includes(l.procedure)) fail(where, 'procedure must be direct or notice-first');
  if (!['watch-list-2018', 'application-2025', 'none'].includes(l.repairPath))
    fail(where, 'repairPath must be watch-list-2018, application-2025 or none');
  if (l.repairable !== (l.repairPath !== 'none'))
    fail(where, 'repairable must be true exactly when repairPath is not none');
  if (l.code === 'BL-COURT-DEBTOR' && (l.procedure !== 'direct' || l.repairPath !== 'none'))
    fail(where, '失信被执行人 is listed directly and leaves by the court’s removal (direct / none)');
  const gradeNames = Array.isArray(l.grades) ? l.grades.map((g) => g && g.grade) : [];
  if (!Array.isArray(l.grades)) fail(where, 'grades must be an array');
  else
    for (const g of l.grades) {
      if (!['minor', 'general', 'serious'].includes(g.grade)) fail(where, `unknown grade ${JSON.stringify(g.grade)}`);
      if (!Number.isInteger(g.minimumMonths) || !Number.isInteger(g.maximumMonths) || g.minimumMonths > g.maximumMonths)
        fail(where, `grade ${g.grade}: whole months, minimum ≤ maximum`);
    }
  if (l.repairPath === 'application-2025' && gradeNames.length === 0) fail(where, 'application-2025 needs grades');
  if (l.colour === 'red' && gradeNames.length > 0) fail(where, 'red lists are not graded');
  if (gradeNames.length ? !gradeNames.includes(l.defaultGrade) : l.defaultGrade !== null)
    fail(where, 'defaultGrade must be one of the grades (null when none)');
  if (!isBool(l.objectionHoldsMeasures)) fail(where, 'objectionHoldsMeasures must be boolean');
  if (!l.basis || !isStr(l.basis.document) || !isStr(l.basis.article))
    fail(where, 'basis needs a document and an article');
  if (!isStr(l.removalConditions) || !isStr(l.remedies)) fail(where, 'removalConditions and remedies are texts');
  // 不适用的便利措施: what a counter refuses while an entry is in force (black lists; red lists none)
  if (!Array.isArray(l.withheldFacilitations)) fail(where, 'withheldFacilitations must be an array');
  else {
    if (l.colour === 'red' && l.withheldFacilitations.length > 0) fail(where, 'red lists withhold no facilitation');
    const facilitationCodes = new Set();
    for (const [j, f] of l.withheldFacilitations.entries()) {
      const at = `${where} withheldFacilitations[${j}]`;
      exactKeys(at, f, ['code', 'label', 'basis']);
      if (!f) continue;
      if (!isStr(f.code) || !/^[a-z][a-z0-9-]{1,40}$/.test(f.code))
        fail(at, 'code does not match ^[a-z][a-z0-9-]{1,40}$');
      else if (facilitationCodes.has(f.code)) fail(at, `duplicate code ${f.code}`);
      else facilitationCodes.add(f.code);
      if (!isStr(f.label) || !HAN_RE.test(f.label)) fail(at, 'label must be Chinese');
      if (!isStr(f.basis)) fail(at, 'basis must be a text');
    }
  }
  if (l.defaultValidityDays !== null && !(Number.isInteger(l.defaultValidityDays) && l.defaultValidityDays > 0)) {
    fail(where, 'defaultValidityDays must be a positive integer or null');
  }
  subsetOf(where, 'subjectKinds', l.subjectKinds, SUBJECT_KINDS);
  subsetOf(where, 'memoranda', l.memoranda, [...memos.keys()]);
  for (const mc of Array.isArray(l.memoranda) ? l.memoranda : []) {
    const m = memos.get(mc);
    if (!m) continue;
    if (memoToListType.has(mc)) fail(where, `memorandum ${mc} already belongs to ${memoToListType.get(mc)}`);
    memoToListType.set(mc, l.code);
    const expectedKind = l.colour === 'black' ? 'punishment' : 'reward';
    if (m.kind !== expectedKind) fail(where, `memorandum ${mc} is ${m.kind} but the list is ${l.colour}`);
    if (m.initiatingOrganization !== l.identifyingOrganization) {
      fail(
        where,
        `memorandum ${mc} is initiated by ${m.initiatingOrganization}, list identified by ${l.identifyingOrganization}`,
      );
    }
  }
}
for (const mc of memos.keys()) if (!memoToListType.has(mc)) fail(`memorandum ${mc}`, 'has no list type');
const sharedTax = [...lts.values()].find((l) => Array.isArray(l.memoranda) && l.memoranda.includes('M02'));
if (!sharedTax || !sharedTax.memoranda.includes('M03')) fail('listTypes', 'M02 and M03 must share one list type');

// ------------------------------------------------------------------ measures
const measureCodes = new Set();
const implemented = new Set();
const measuresPerMemo = new Map();
if (measures.length !== EXPECTED.measures) fail('measures', `expected ${EXPECTED.measures}, found ${measures.length}`);
for (const [i, x] of measures.entries()) {
  const where = `measures[${i}]${x && x.code ? ` ${x.code}` : ''}`;
  exactKeys(
    where,
    x,
    [
      'code',
      'text',
      'kind',
      'category',
      'memorandum',
      'listType',
      'implementingOrganizations',
      'mappingInferred',
      'legalBasis',
      'basis',
      'source',
      'basisPending',
      'basisPendingReason',
      'appliesTo',
      'subjectKinds',
      'feedbackDueWorkingDays',
      'needsFullIdNumber',
    ],
    // 期限: only a measure whose own text states its term has one (see docs/catalogue-seed.md)
    ['termMonths', 'termFrom'],
  );
  const cm = isStr(x.code) ? MEASURE_RE.exec(x.code) : null;
  if (!cm || !CODE_RE.test(x.code)) fail(where, 'code must look like M01-01');
  else if (measureCodes.has(x.code)) fail(where, 'duplicate code');
  else measureCodes.add(x.code);
  if (cm && cm[1] !== x.memorandum) fail(where, `code prefix ${cm[1]} differs from memorandum ${x.memorandum}`);
  if (!isStr(x.text) || !HAN_RE.test(x.text)) fail(where, 'text must be Chinese text');
  if (!KINDS.includes(x.kind)) fail(where, 'kind must be punishment or reward');
  if (!isStr(x.category)) fail(where, 'category must be a non-empty string');

  const memo = memos.get(x.memorandum);
  if (!memo) fail(where, `memorandum ${JSON.stringify(x.memorandum)} does not exist`);
  else {
    measuresPerMemo.set(memo.code, (measuresPerMemo.get(memo.code) || 0) + 1);
    if (memo.kind !== x.kind) fail(where, `kind ${x.kind} differs from memorandum ${memo.code} (${memo.kind})`);
  }
  const lt = lts.get(x.listType);
  if (!lt) fail(where, `listType ${JSON.stringify(x.listType)} does not exist`);
  else {
    if (!lt.memoranda.includes(x.memorandum))
      fail(where, `list type ${lt.code} does not cover memorandum ${x.memorandum}`);
    if (lt.colour === 'red' && x.kind !== 'reward') fail(where, `red list ${lt.code} carries a ${x.kind} measure`);
    if (lt.colour === 'black' && x.kind !== 'punishment')
      fail(where, `black list ${lt.code} carries a ${x.kind} measure`);
  }

  if (!isStrArray(x.implementingOrganizations) || x.implementingOrganizations.length === 0) {
    fail(where, 'implementingOrganizations must be a non-empty array of codes');
  } else {
    for (const d of dupes(x.implementingOrganizations)) fail(where, `implementing organisation ${d} repeated`);
    for (const code of x.implementingOrganizations) {
      const o = orgRef(where, 'implementingOrganization', code);
      if (!o) continue;
      implemented.add(code);
      if (!o.roles.includes('implementer')) fail(where, `${code} implements this measure but lacks role "implementer"`);
      if (o.level !== 'province')
        fail(where, `${code} is not provincial; the provincial catalogue maps to provincial bodies`);
      if (o.mapping !== 'direct' && x.mappingInferred !== true) {
        fail(where, `${code} is mapped "${o.mapping}", so mappingInferred must be true`);
      }
    }
  }
  if (!isBool(x.mappingInferred)) fail(where, 'mappingInferred must be boolean');
  if (!isStrArray(x.legalBasis)) fail(where, 'legalBasis must be an array of strings ([] when none)');
  checkBasis(where, x, memo);
  if (!APPLIES_TO.includes(x.appliesTo)) fail(where, `appliesTo must be one of ${APPLIES_TO.join(', ')}`);
  subsetOf(where, 'subjectKinds', x.subjectKinds, lt ? lt.subjectKinds : SUBJECT_KINDS);
  if (x.appliesTo !== 'subject' && Array.isArray(x.subjectKinds) && !x.subjectKinds.includes('legal')) {
    fail(where, `appliesTo "${x.appliesTo}" (legal representative / responsible people) needs subject kind "legal"`);
  }
  if (!FEEDBACK_DAYS.includes(x.feedbackDueWorkingDays)) {
    fail(where, `feedbackDueWorkingDays must be one of ${FEEDBACK_DAYS.join(', ')} (see docs/catalogue-seed.md)`);
  }
  if (x.termMonths !== undefined && x.termMonths !== null) {
    if (!Number.isInteger(x.termMonths) || x.termMonths < 1 || x.termMonths > 1200)
      fail(where, 'termMonths must be 1–1200 months, or null (until removal)');
    if (!['listing', 'decision'].includes(x.termFrom)) fail(where, 'termFrom must be listing or decision');
    // a term comes from the measure's text (…3 年, 三年, 36 个月), never from a guess
    if (!/([0-9一二三四五六七八九十]+)\s*(年|个月)/.test(x.text || ''))
      fail(where, 'a term (termMonths) needs a text that states it (N 年 / N 个月)');
  } else if (x.termFrom !== undefined && x.termFrom !== null) fail(where, 'termFrom without termMonths');
  if (!isBool(x.needsFullIdNumber)) fail(where, 'needsFullIdNumber must be boolean');
  if (x.needsFullIdNumber === true) {
    const reachesPeople =
      Array.isArray(x.subjectKinds) && (x.subjectKinds.includes('natural') || x.appliesTo !== 'subject');
    if (!reachesPeople) fail(where, 'needsFullIdNumber is true but the measure never reaches a natural person');
    if (x.kind !== 'punishment') fail(where, 'needsFullIdNumber is only used for interceptions (punishment)');
  }
}
const kindCount = (k) => measures.filter((x) => x && x.kind === k).length;
if (kindCount('punishment') !== EXPECTED.punishment)
  fail('measures', `expected ${EXPECTED.punishment} punishment measures, found ${kindCount('punishment')}`);
if (kindCount('reward') !== EXPECTED.reward)
  fail('measures', `expected ${EXPECTED.reward} reward measures, found ${kindCount('reward')}`);
for (const mc of memos.keys()) if (!measuresPerMemo.get(mc)) fail(`memorandum ${mc}`, 'has no measures');

// roles are earned, not decorative
const publishers = new Set(
  [...memos.values()]
    .map((m) => m.initiatingOrganization)
    .concat([...lts.values()].map((l) => l.identifyingOrganization)),
);
for (const o of orgs.values()) {
  if (!Array.isArray(o.roles)) continue;
  if (o.roles.includes('publisher') && !publishers.has(o.code))
    fail(o.code, 'has role "publisher" but identifies no list type');
  if (o.roles.includes('implementer') && !implemented.has(o.code))
    fail(o.code, 'has role "implementer" but implements no measure');
  if (o.level === 'province' && !o.roles.includes('office') && !publishers.has(o.code) && !implemented.has(o.code)) {
    fail(o.code, 'provincial organisation is referenced by nothing');
  }
  if (['outside-government', 'all-signatories', 'inferred'].includes(o.mapping) && !implemented.has(o.code)) {
    fail(o.code, `mapping "${o.mapping}" but implements no measure`);
  }
}

/**
 * A measure's structured basis (issue 19; docs/catalogue.md): items of a known kind naming a document;
 * an item of a legal kind cites what the memorandum cites (its document and article within one of the
 * `legalBasis` citations: never an invented article); the memorandum's own item; the source is the
 * memorandum in the national catalogue; a punishment with no legal item is basisPending with a reason.
 */
function checkBasis(where, x, memo) {
  if (!Array.isArray(x.basis)) return fail(where, 'basis must be an array of items');
  for (const [j, b] of x.basis.entries()) {
    const at = `${where} basis[${j}]`;
    exactKeys(at, b, ['kind', 'document', 'number', 'article']);
    if (!BASIS_KINDS.includes(b.kind)) fail(at, `kind must be one of ${BASIS_KINDS.join(', ')}`);
    if (!isStr(b.document)) fail(at, 'document must be a non-empty string');
    if (b.number !== null && !isStr(b.number)) fail(at, 'number must be a string or null');
    if (b.article !== null && !isStr(b.article)) fail(at, 'article must be a string or null');
    if (LEGAL_KINDS.includes(b.kind) && isStr(b.document) && isStrArray(x.legalBasis)) {
      const name = b.document.replace(/^中华人民共和国/, '');
      const cited = x.legalBasis.some((c) => c.includes(name) && (b.article === null || c.includes(b.article)));
      if (!cited)
        fail(
          at,
          `${b.document}${b.article ? ` ${b.article}` : ''} is not among the memorandum's citations (legalBasis)`,
        );
    }
  }
  if (memo && !x.basis.some((b) => b.kind === 'memorandum' && b.document === memo.name && b.number === memo.docNo))
    fail(where, `basis must name its memorandum ${memo.code} (kind memorandum, its name and docNo)`);
  const s = x.source;
  if (!s || typeof s !== 'object') fail(where, 'source must be an object');
  else {
    exactKeys(`${where} source`, s, ['memorandum', 'baseList', 'catalogue']);
    if (s.memorandum !== x.memorandum) fail(where, 'source.memorandum must be the measure’s memorandum');
    if (s.baseList !== null) fail(where, 'source.baseList: the seed predates the national base list (null)');
    if (s.catalogue !== 'national') fail(where, 'source.catalogue: the seed’s measures come from national memoranda');
  }
  if (!isBool(x.basisPending)) fail(where, 'basisPending must be boolean');
  if (x.basisPending !== isStr(x.basisPendingReason))
    fail(where, 'basisPendingReason must be a non-empty string exactly when basisPending');
  const legal = Array.isArray(x.basis) && x.basis.some((b) => LEGAL_KINDS.includes(b.kind));
  if (x.kind === 'punishment' && !legal && x.basisPending !== true)
    fail(where, 'a punishment without a legal basis item must be basisPending (国办发〔2020〕49号)');
  if (x.kind === 'reward' && x.basisPending !== false) fail(where, 'a reward needs no legal basis: not basisPending');
}

// ------------------------------------------------------------------ optional cross-check with the reference
let referenceChecked = false;
if (referenceDir) {
  const memoFile = path.join(referenceDir, 'national-memoranda.json');
  const measFile = path.join(referenceDir, 'national-memoranda-measures.jsonl');
  if (!fs.existsSync(memoFile) || !fs.existsSync(measFile)) {
    fail('reference', `no reference files in ${referenceDir}`);
  } else {
    referenceChecked = true;
    const refMemos = JSON.parse(fs.readFileSync(memoFile, 'utf8'));
    const refMeasures = fs
      .readFileSync(measFile, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l));
    for (const [code, r] of Object.entries(refMemos)) {
      const m = memos.get(code);
      if (!m) {
        fail('reference', `memorandum ${code} missing from the seed`);
        continue;
      }
      if (m.name !== r.memo_name) fail(`reference ${code}`, 'name differs from the reference');
      if (m.year !== r.year) fail(`reference ${code}`, 'year differs from the reference');
      if (m.signatoryCount !== r.signatory_count)
        fail(`reference ${code}`, 'signatoryCount differs from the reference');
      if (m.docNoUncertain !== Boolean(r.doc_no_uncertain))
        fail(`reference ${code}`, 'docNoUncertain differs from the reference');
      if (r.doc_no === null ? m.docNo !== null : !(m.docNo && r.doc_no.startsWith(m.docNo))) {
        fail(`reference ${code}`, `docNo ${m.docNo} does not match the reference ${r.doc_no}`);
      }
      const colour = r.list_type === '红名单' ? 'red' : 'black';
      const lt = lts.get(memoToListType.get(code));
      if (lt && lt.colour !== colour)
        fail(`reference ${code}`, `reference list type ${r.list_type}, seed list ${lt.code} is ${lt.colour}`);
      const refKinds = [...new Set(r.subject_types.map((s) => (s === '自然人' ? 'natural' : 'legal')))];
      if (lt && refKinds.some((k) => !lt.subjectKinds.includes(k)))
        fail(`reference ${code}`, 'list type subjectKinds miss a reference subject type');
    }
    const seedByCode = new Map(measures.map((x) => [x.code, x]));
    for (const r of refMeasures) {
      const x = seedByCode.get(r.id);
      if (!x) {
        fail('reference', `measure ${r.id} missing from the seed`);
        continue;
      }
      if (x.text !== r.measure_text) fail(`reference ${r.id}`, 'text differs from measure_text');
      if (x.kind !== (r.measure_type === '激励' ? 'reward' : 'punishment'))
        fail(`reference ${r.id}`, 'kind differs from measure_type');
      if (x.memorandum !== r.memo_key) fail(`reference ${r.id}`, 'memorandum differs from memo_key');
      if (r.category && x.category !== r.category) fail(`reference ${r.id}`, 'category differs from the reference');
      if (JSON.stringify(x.legalBasis) !== JSON.stringify(r.legal_basis || []))
        fail(`reference ${r.id}`, 'legalBasis differs from the reference');
      if (r.implementing_dept_inferred && x.mappingInferred !== true) {
        fail(`reference ${r.id}`, 'the reference only infers the department, so mappingInferred must be true');
      }
    }
    if (refMeasures.length !== measures.length)
      fail('reference', `reference has ${refMeasures.length} measures, seed ${measures.length}`);
  }
}

// ------------------------------------------------------------------ report
if (errors.length) {
  console.error(
    `catalogue seed check FAILED (${errors.length} problem${errors.length === 1 ? '' : 's'}) in ${seedPath}`,
  );
  for (const e of errors) console.error(`  - ${e}`);
  process.exit(1);
}
const provincial = organizations.filter((o) => o.level === 'province').length;
console.log(`catalogue seed OK: ${seedPath}`);
console.log(`  organisations ${organizations.length} (${provincial} provincial, ${cities.length} cities)`);
console.log(
  `  memoranda ${memoranda.length}, list types ${listTypes.length} ` +
    `(${listTypes.filter((l) => l.colour === 'black').length} black, ${listTypes.filter((l) => l.colour === 'red').length} red)`,
);
console.log(
  `  measures ${measures.length} (${kindCount('punishment')} punishment, ${kindCount('reward')} reward; ` +
    `${measures.filter((x) => x.mappingInferred).length} with inferred mapping, ` +
    `${measures.filter((x) => x.needsFullIdNumber).length} needing the full ID number)`,
);
console.log(
  referenceChecked
    ? `  cross-checked against ${referenceDir}`
    : '  reference cross-check skipped (pass --reference <shared/reference>)',
);
