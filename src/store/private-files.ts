import { chmodSync, existsSync, mkdirSync } from 'node:fs';

/**
 * The store holds families' reports: its file, its write-ahead log and DuckDB's spill files must not be readable by
 * other users of the machine. DuckDB creates them itself (the `.wal` anew after every checkpoint), with the process
 * umask, so every call into DuckDB that can create one runs with a private umask; the spill folder is private too.
 */
let holders = 0;
let saved: number | null = null;

/** Runs `work` with group and other permissions masked for the files it creates (nested and concurrent calls share it). */
export async function withPrivateFiles<T>(work: () => Promise<T>): Promise<T> {
  if (holders++ === 0) {
    try {
      saved = process.umask(0o077 | process.umask());
    } catch {
      saved = null; // worker threads cannot change the umask; the files are made private when the store opens instead
    }
  }
  try {
    return await work();
  } finally {
    if (--holders === 0 && saved !== null) process.umask(saved);
  }
}

/** Makes an existing store (made before files were kept private) and its companions owner-only. */
export function privatiseStoreFiles(location: string): void {
  try {
    for (const path of [location, `${location}.wal`]) if (existsSync(path)) chmodSync(path, 0o600);
    const temp = `${location}.tmp`;
    if (existsSync(temp)) chmodSync(temp, 0o700);
    else mkdirSync(temp, { mode: 0o700 });
  } catch (error) {
    // Another user's store, or a folder that does not exist: opening it reports the real problem.
    if (!['EPERM', 'EACCES', 'ENOENT', 'EROFS'].includes((error as { code?: string }).code ?? '')) throw error;
  }
}
