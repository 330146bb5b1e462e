import { mebibytes, quotaRefusal } from './import-quota';

const MiB = 1024 * 1024;

describe('quotaRefusal', () => {
  it.each([
    ['nothing pending, a small file', 0, 1 * MiB, 10 * MiB, null],
    ['up to the quota exactly', 6 * MiB, 4 * MiB, 10 * MiB, null],
    ['one byte past it, with imports pending', 6 * MiB, 4 * MiB + 1, 10 * MiB, 429],
    ['pending imports alone at the quota', 10 * MiB, 1, 10 * MiB, 429],
    ['the file alone past the quota, nothing pending', 0, 10 * MiB + 1, 10 * MiB, 413],
    ['the file alone past the quota, imports pending', 5 * MiB, 11 * MiB, 10 * MiB, 413],
  ] as const)('%s', (_name, pending, file, quota, status) => {
    expect(quotaRefusal(pending, file, quota)?.status ?? null).toBe(status);
  });

  it('says in Chinese and English what the quota is and what is taken', () => {
    expect(quotaRefusal(0, 3 * MiB, 2 * MiB)?.message).toBe(
      "文件（3.0 MB）超过本单位的导入配额（2.0 MB），请拆分后上传 (the file is larger than the organisation's import quota)",
    );
    expect(quotaRefusal(1.5 * MiB, 1 * MiB, 2 * MiB)?.message).toBe(
      '本单位排队中和导入中的文件已占用 1.5 MB，加上此文件（1.0 MB）超过导入配额（2.0 MB），请待已有导入完成后再上传 ' +
        "(the organisation's queued and running imports would exceed its quota; upload again once they finish)",
    );
  });
});

describe('mebibytes', () => {
  it.each([
    [0, '0.0 MB'],
    [1024 * 1024, '1.0 MB'],
    [1024 ** 3, '1024.0 MB'],
    [52_429, '0.1 MB'],
  ])('%i bytes → %s', (bytes, text) => {
    expect(mebibytes(bytes)).toBe(text);
  });
});
