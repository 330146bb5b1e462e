import { describeListening } from './announce';

describe('start log', () => {
  it('says a server bound without a host listens on every address, and where each page is', () => {
    const lines = describeListening({ address: '::', family: 'IPv6', port: 3000 }, { name: 'jrp', dashboard: true, detail: '(one process)' });
    expect(lines).toEqual([
      'jrp is listening on port 3000 on every address of this machine (one process)',
      'API http://localhost:3000/api/v1 · API docs http://localhost:3000/api/docs · dashboard http://localhost:3000/dashboard · ' +
        'health http://localhost:3000/health',
    ]);
  });

  it('names a single bound address as it is, and no dashboard where there is none', () => {
    expect(describeListening({ address: '127.0.0.1', family: 'IPv4', port: 3101 }, { name: 'measures', dashboard: false })).toEqual([
      'measures is listening on 127.0.0.1:3101 only',
      'API http://127.0.0.1:3101/api/v1 · API docs http://127.0.0.1:3101/api/docs · health http://127.0.0.1:3101/health',
    ]);
    expect(describeListening({ address: '::1', family: 'IPv6', port: 80 }, { name: 'feedback', dashboard: true })[1]).toContain(
      'dashboard http://[::1]:80/dashboard',
    );
  });
});
