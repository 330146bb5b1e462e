import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importsFolder, uploadFolderId } from './upload-folder';

describe('uploadFolderId', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jrp-folder-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('makes the folder and its id once; the folder then reads back the same id, and another folder has its own', () => {
    const folder = importsFolder(dir);
    expect(folder).toBe(join(dir, 'imports'));
    const id = uploadFolderId(folder);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(uploadFolderId(folder)).toBe(id);
    expect(readdirSync(folder)).toEqual(['.folder-id']); // no draft left behind
    expect(uploadFolderId(join(dir, 'other'))).not.toBe(id);
  });
});
