import { feedbackRate } from './completion-report';

describe('feedbackRate', () => {
  it('divides fed-back tasks by the tasks still due', () => expect(feedbackRate(10, 2, 4)).toBe(0.5));
  it('is null when nothing is due', () => expect(feedbackRate(3, 3, 0)).toBeNull());
  it('rounds to four places', () => expect(feedbackRate(3, 0, 1)).toBe(0.3333));
});
