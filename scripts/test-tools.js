#!/usr/bin/env node
// What `npm test` needs besides Node packages, provided before it runs (npm's pretest): nginx (the
// distributed and correlation suites), Chromium with a CJK font (the dashboard suite), Java 17+ and Maven
// (the Kafka broker of tools/kafka-local, unless KAFKA_BROKERS is given). As root on Debian, what is
// missing is installed with apt-get; otherwise the run stops at once with the command to run.
// `node scripts/test-tools.js kafka` checks only what the Kafka broker needs (npm run test:faults).
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');

/** Each tool: how to tell it is there, and the Debian package that provides it. */
const TOOLS = [
  { name: 'nginx', package: 'nginx', for: 'the reverse-proxy suites', kafka: false },
  { name: 'chromium', package: 'chromium', for: 'the dashboard suite', kafka: false },
  { name: 'a CJK font', package: 'fonts-wqy-zenhei', for: "the dashboard suite's Chinese labels", kafka: false },
  { name: 'java', package: 'openjdk-17-jre-headless', for: 'the Kafka broker', kafka: true },
  { name: 'mvn', package: 'maven', for: "the Kafka broker's jars", kafka: true },
];

/**
 * What to do, from what is present: nothing; install the missing packages (root with apt-get); or stop
 * with the command that installs them. Pure: the caller looks at the machine.
 * @param {import('./test-tools').TestToolsState} state
 * @returns {import('./test-tools').TestToolsPlan}
 */
function planTestTools(state) {
  const needed = TOOLS.filter((tool) => (state.onlyKafka ? tool.kafka : true) && !(tool.kafka && state.externalKafka));
  const missing = needed.filter((tool) => !state.present[tool.name]);
  const packages = missing.map((tool) => tool.package);
  if (missing.length === 0) return { action: 'none', missing: [], packages: [] };
  const names = missing.map((tool) => `${tool.name} (${tool.for})`);
  if (state.isRoot && state.hasApt) return { action: 'install', missing: names, packages };
  const command = `${state.isRoot ? '' : 'sudo '}apt-get install -y ${packages.join(' ')}`;
  return { action: 'stop', missing: names, packages, command };
}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** What this machine has, looked up where the tests look for it. */
function lookAround() {
  const fonts = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
  return {
    nginx: onPath('nginx') || existsSync('/usr/sbin/nginx'),
    chromium: existsSync(process.env.JRP_CHROMIUM || '/usr/bin/chromium'),
    'a CJK font': fonts.status === 0 && fonts.stdout.trim() !== '',
    java: onPath('java'),
    mvn: onPath('mvn'),
  };
}

function main() {
  const plan = planTestTools({
    present: lookAround(),
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
    hasApt: onPath('apt-get'),
    onlyKafka: process.argv[2] === 'kafka',
    externalKafka: Boolean(process.env.KAFKA_BROKERS),
  });
  if (plan.action === 'none') return;
  if (plan.action === 'stop') {
    console.error(`the tests need ${plan.missing.join(', ')}: run \`${plan.command}\` (Debian/Ubuntu) and try again`);
    process.exit(1);
  }
  console.log(`the tests need ${plan.missing.join(', ')}: installing ${plan.packages.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', '--no-install-recommends', ...plan.packages],
  ]) {
    console.log(`apt-get ${args.join(' ')}`);
    const result = spawnSync('apt-get', args, { env, stdio: 'inherit' });
    if (result.status !== 0) {
      const retry = `apt-get install -y ${plan.packages.join(' ')}`;
      console.error(`apt-get ${args[0]} failed (exit code ${result.status}): run \`${retry}\` and try again`);
      process.exit(1);
    }
  }
}

module.exports = { planTestTools, TOOLS };
if (require.main === module) main();
