/**
 * A numeric setting from the environment: `fallback` when unset or empty; an error naming the variable when it is not a
 * number in range (a typo in a limit must stop the server at start, not silently lift the limit).
 */
export function envNumber(env: Record<string, string | undefined>, name: string, fallback: number, range: 'positive' | 'non-negative'): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || (range === 'positive' ? value <= 0 : value < 0)) throw new Error(`${name}: "${raw}" is not a ${range} number`);
  return value;
}
