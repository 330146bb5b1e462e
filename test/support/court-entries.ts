import { COURT, courtEntry } from '../scenarios/loop.scenario';
import { StandaloneSuite } from './standalone';

/**
 * Publishes court-debtor entries in one batch as the court, numbered from `firstSerial` on (each suite
 * its own range, so their subjects differ), and answers their ids: `publish(count)`.
 */
export function courtEntryPublisher(suite: StandaloneSuite, firstSerial: number): (count: number) => Promise<string[]> {
  let serial = firstSerial;
  return async (count) => {
    const court = await suite.api.as(COURT);
    const res = await court.post('/api/v1/lists/entries/batch', {
      entries: Array.from({ length: count }, () => courtEntry(serial++)),
    });
    expect(res.status).toBe(200);
    return res.body.results.map((r: { id: string }) => r.id);
  };
}
