/** Bundled official files live in data/ at the package root (same depth from src/ and dist/). */
export function bundledDataPath(relative: string): string {
  return new URL(`../../data/${relative}`, import.meta.url).pathname;
}
