import { planTestTools, TOOLS } from './test-tools';

const all = (present: boolean) => Object.fromEntries(TOOLS.map((tool) => [tool.name, present]));

describe('what npm test provides before it runs', () => {
  it('does nothing when every tool is there', () => {
    const plan = planTestTools({ present: all(true), isRoot: true, hasApt: true });
    expect(plan).toEqual({ action: 'none', missing: [], packages: [] });
  });

  it('installs what is missing as root with apt-get, and only that', () => {
    const present = { ...all(true), nginx: false, chromium: false, 'a CJK font': false };
    const plan = planTestTools({ present, isRoot: true, hasApt: true });
    expect(plan.action).toBe('install');
    expect(plan.packages).toEqual(['nginx', 'chromium', 'fonts-wqy-zenhei']);
    expect(plan.missing[0]).toBe('nginx (the reverse-proxy suites)');
  });

  it('stops with the exact command when not root', () => {
    expect(planTestTools({ present: all(false), isRoot: false, hasApt: true })).toMatchObject({
      action: 'stop',
      command: 'sudo apt-get install -y nginx chromium fonts-wqy-zenhei openjdk-17-jre-headless maven',
    });
  });

  it('stops with the command when root without apt-get', () => {
    expect(planTestTools({ present: { ...all(true), mvn: false }, isRoot: true, hasApt: false })).toMatchObject({
      action: 'stop',
      command: 'apt-get install -y maven',
    });
  });

  it('needs no Java or Maven when the tests are given a Kafka broker', () => {
    const present = { ...all(true), java: false, mvn: false };
    expect(planTestTools({ present, isRoot: false, hasApt: true, externalKafka: true }).action).toBe('none');
    const plan = planTestTools({ present, isRoot: false, hasApt: true });
    expect(plan.packages).toEqual(['openjdk-17-jre-headless', 'maven']);
  });

  it("checks only the Kafka broker's tools for the fault suite", () => {
    const present = { ...all(false), java: true };
    const plan = planTestTools({ present, isRoot: true, hasApt: true, onlyKafka: true });
    expect(plan).toMatchObject({ action: 'install', packages: ['maven'] });
  });
});
