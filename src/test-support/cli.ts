import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

/** The `observa` command as installed (bin/observa.js runs the built dist/). */
export const OBSERVA_BIN = new URL('../../bin/observa.js', import.meta.url).pathname;
const DIST = new URL('../../dist/cli/index.js', import.meta.url).pathname;

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** CLI tests run the built command: say how to build it instead of failing on a missing module. */
export function requireBuiltCli(): void {
  if (!existsSync(DIST)) throw new Error('dist/ is missing: run `npm run build` (npm test does it) before the CLI tests');
}

/** Runs the built CLI as a user would; resolves with the exit code instead of throwing. */
export async function runObserva(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)('node', [OBSERVA_BIN, ...args], { maxBuffer: 64 << 20, ...options });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
