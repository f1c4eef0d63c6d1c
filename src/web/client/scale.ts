/**
 * Choropleth classification and colours. Pure (no DOM), so it runs in Node tests too.
 *
 * Breaks are thresholds: a value v falls in class i when breaks[i-1] <= v < breaks[i],
 * so `k` breaks make `k + 1` classes.
 */

/** Sequential palette, light → dark (viridis stops): colour-blind safe and monotonic in greyscale. */
export const SEQUENTIAL: readonly string[] = ['#fde725', '#7ad151', '#22a884', '#2a788e', '#414487', '#440154'];

/** Background of the "no data" hatching; the pattern strokes use a darker grey. */
export const NO_DATA_FILL = '#e6e6e6';

/** Suggested id (prefix) for the SVG `<pattern>` hatching no-data areas. */
export const NO_DATA_PATTERN_ID = 'observa-no-data';

/** The nicest number (fewest significant digits) t with a < t <= b. */
function niceBetween(a: number, b: number): number {
  const top = Math.max(Math.abs(a), Math.abs(b), Number.MIN_VALUE);
  for (let e = Math.ceil(Math.log10(top)) + 1; e > -16; e--) {
    for (const m of [10, 5, 2]) {
      const step = (m * 10 ** e) / 10;
      const digits = Math.max(0, 1 - e);
      const t = Number(((Math.floor(a / step) + 1) * step).toFixed(Math.min(digits, 100)));
      if (t > a && t <= b) return t;
    }
  }
  return b;
}

/**
 * Class breaks for a choropleth legend.
 *
 * Method: take the distinct finite values u (sorted), use k = min(classes, |u|) classes and place
 * break i at the i/k quantile of u (by rank), i.e. in the gap between two neighbouring distinct
 * values u[j-1] < u[j]. Each break is then replaced by the "nicest" number in (u[j-1], u[j]]
 * (fewest significant digits), which classifies the data exactly as the raw quantile would.
 * Gaps are strictly increasing, so breaks are strictly increasing and no class is empty;
 * with fewer distinct values than classes, there are fewer breaks.
 */
export function classBreaks(values: readonly number[], classes = 5): number[] {
  const u = [...new Set(values.filter(Number.isFinite))].sort((x, y) => x - y);
  const n = u.length;
  const k = Math.min(Math.max(1, Math.floor(classes)), n);
  const breaks: number[] = [];
  let prev = 0;
  for (let i = 1; i < k; i++) {
    const j = Math.min(Math.max(Math.round((i * n) / k), prev + 1), n - (k - i));
    breaks.push(niceBetween(u[j - 1] as number, u[j] as number));
    prev = j;
  }
  return breaks;
}

/** Index of the class holding `value` (0 … breaks.length); -1 for a non-finite value. */
export function classOf(value: number, breaks: readonly number[]): number {
  if (!Number.isFinite(value)) return -1;
  let i = 0;
  while (i < breaks.length && value >= (breaks[i] as number)) i++;
  return i;
}

/** `count` colours spread over SEQUENTIAL, light → dark. */
export function classColors(count: number): string[] {
  const last = SEQUENTIAL.length - 1;
  if (count <= 1) return count === 1 ? [SEQUENTIAL[Math.floor(last / 2)] as string] : [];
  return Array.from({ length: count }, (_, i) => SEQUENTIAL[Math.round((i * last) / (count - 1))] as string);
}
