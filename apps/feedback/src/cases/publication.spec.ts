import { publicationRefusal } from './cases.service';

describe('publishing a case', () => {
  it.each([
    [{ status: 'draft', publishable: true }, null],
    [
      { status: 'draft', publishable: false },
      'its organisation did not allow the case to be published (报送单位未同意公示)',
    ],
    [{ status: 'published', publishable: true }, 'the case is published already (案例已公示)'],
  ] as const)('%j: %s', (c, refusal) => expect(publicationRefusal(c)).toBe(refusal));
});
