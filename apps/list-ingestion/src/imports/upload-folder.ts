import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where uploads wait for their import job: `JRP_DATA_DIR/imports`. */
export function importsFolder(dataDir: string): string {
  return join(dataDir, 'imports');
}

/**
 * The id of an upload folder, kept in the folder (`.folder-id`) and made on first use: replicas that
 * share the folder (one volume) read the same id, replicas with folders of their own have different
 * ones. An import job records its folder's id, so that only a replica that can see its file runs it,
 * or fails it when the file is gone. Safe when replicas start together: the id is written to a file
 * of its own, then linked into place (a link never replaces an existing file).
 */
export function uploadFolderId(folder: string): string {
  mkdirSync(folder, { recursive: true });
  const file = join(folder, '.folder-id');
  const draft = join(folder, `.folder-id.${randomUUID()}`);
  writeFileSync(draft, randomUUID());
  try {
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(draft, { force: true });
  }
  return readFileSync(file, 'utf8').trim();
}
