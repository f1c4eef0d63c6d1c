import { fileURLToPath } from 'node:url';

/** Bundled official files live in data/ at the package root (same depth from src/ and dist/). */
export function bundledDataPath(relative: string): string {
  // fileURLToPath, not .pathname: published file names may hold spaces ("KHSM Encounters (USBP) fy25m11.xlsx").
  return fileURLToPath(new URL(`../../data/${relative}`, import.meta.url));
}
