import { describeListening } from './announce';

describe('start log', () => {
  it('says a server bound without a host listens on every address, and where each page is', () => {
    const options = { name: 'jrp', dashboard: true, detail: '(one process)' };
    const lines = describeListening({ address: '::', family: 'IPv6', port: 3000 }, options);
    expect(lines).toEqual([
      'jrp is listening on port 3000 on every address of this machine (one process)',
      'API http://localhost:3000/api/v1 · API docs http://localhost:3000/api/docs · ' +
        'dashboard http://localhost:3000/dashboard · health http://localhost:3000/health',
    ]);
  });

  it('names a single bound address as it is, and no dashboard where there is none', () => {
    const address = { address: '127.0.0.1', family: 'IPv4', port: 3101 };
    const loopback = describeListening(address, { name: 'measures', dashboard: false });
    expect(loopback).toEqual([
      'measures is listening on 127.0.0.1:3101 only',
      'API http://127.0.0.1:3101/api/v1 · API docs http://127.0.0.1:3101/api/docs · ' +
        'health http://127.0.0.1:3101/health',
    ]);
    const ipv6 = describeListening({ address: '::1', family: 'IPv6', port: 80 }, { name: 'feedback', dashboard: true });
    expect(ipv6[1]).toContain('dashboard http://[::1]:80/dashboard');
  });
});
