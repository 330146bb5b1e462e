import { UsageError } from '../command-line';
import { parseAdminArgs, TOOL_USAGE } from './admin-args';
import { displayWidth, formatTable } from './table';

describe('the admin tool command line', () => {
  it('reads a command, its options (spaced or with =) and --json anywhere', () => {
    expect(parseAdminArgs(['--json', 'tokens', 'issue', '--organization', 'AH-TAX', '--label=征管 系统'])).toEqual({
      kind: 'tokens issue',
      json: true,
      options: { '--organization': 'AH-TAX', '--label': '征管 系统' },
      args: [],
    });
    expect(parseAdminArgs(['tokens', 'revoke', '5f0c…'])).toEqual({
      kind: 'tokens revoke',
      json: false,
      options: {},
      args: ['5f0c…'],
    });
    expect(parseAdminArgs(['organizations', 'create', '--roles', ''])).toMatchObject({ options: { '--roles': '' } });
  });

  it('answers --help with the tool’s or the command’s usage', () => {
    expect(parseAdminArgs(['--help'])).toEqual({ kind: 'help', usage: TOOL_USAGE });
    expect(parseAdminArgs(['help'])).toEqual({ kind: 'help', usage: TOOL_USAGE });
    const usage = parseAdminArgs(['demo-tokens', '-h']);
    expect(usage.kind).toBe('help');
    expect('usage' in usage && usage.usage).toMatch(/^usage: npm run admin -- demo-tokens/);
  });

  it.each([
    [[], 'no command (see --help)'],
    [['organisations', 'list'], 'unknown command organisations (see --help)'],
    [['tokens'], 'tokens needs a command (issue, list, revoke)'],
    [['tokens', 'delete'], 'unknown command tokens delete (tokens: issue, list, revoke)'],
    [['tokens', 'list', '--label', 'x'], 'unknown option --label for tokens list (see tokens list --help)'],
    [['tokens', 'list', '--organization'], '--organization needs a value'],
    [['tokens', 'list', '--organization', '--json'], '--organization needs a value'],
    [['tokens', 'list', '--organization', 'A', '--organization', 'B'], '--organization is given twice'],
    [['tokens', 'list', 'AH-TAX'], 'unexpected argument AH-TAX for tokens list'],
    [['tokens', 'revoke'], 'tokens revoke needs the token id'],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parseAdminArgs(argv)).toThrow(new UsageError(message));
  });
});

describe('the admin tool tables', () => {
  it('counts a Chinese character as two columns', () => {
    expect(displayWidth('AH-TAX')).toBe(6);
    expect(displayWidth('省税务局')).toBe(8);
  });

  it('aligns columns under their titles, Chinese names included', () => {
    expect(
      formatTable(
        ['CODE', 'NAME', 'ROLES'],
        [
          ['AH-TAX', '省税务局', 'implementer'],
          ['AH-C340100', '合肥市', ''],
        ],
      ),
    ).toBe(['CODE        NAME      ROLES', 'AH-TAX      省税务局  implementer', 'AH-C340100  合肥市'].join('\n'));
  });
});
