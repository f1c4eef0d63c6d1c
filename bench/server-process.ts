// `observa serve` in a process of its own, as deployed, for the benches that load a server over HTTP (bench:full,
// load --hostile), and the static baseline beside it: node runs the built CLI with the flags its shebang declares (the 1 MB young generation), plus any
// of the caller's (LOAD_SERVER_NODE_ARGS="--cpu-prof …": NODE_OPTIONS refuses --cpu-prof).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const BIN = new URL('../bin/observa.js', import.meta.url).pathname;

/** The node flags of the CLI's shebang (`#!/usr/bin/env -S node --flag …`): one definition of how the server runs. */
function shebangFlags(): string[] {
  const first = readFileSync(BIN, 'utf8').split('\n', 1)[0] ?? '';
  const words = first.split(/\s+/);
  return words.slice(words.indexOf('node') + 1).filter((w) => w !== '');
}

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** SIGTERM, then waits for the exit (the server closes its store). */
  stop(): Promise<void>;
}

/** Serves `store` on a free port of 127.0.0.1; resolves with its URL once it says it is serving. */
export function startServerProcess(store: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const extra = (process.env['LOAD_SERVER_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== '');
  return inOwnProcess([...shebangFlags(), ...extra, BIN, '--store', store, 'serve', '--port', '0'], env);
}

/** The static-file baseline (sirv over `dir`, `bench/static-server.js`), run as the server is: a process of its own. */
export function startStaticServer(dir: string): Promise<ServerProcess> {
  return inOwnProcess([new URL('./static-server.js', import.meta.url).pathname, dir]);
}

/** `node args` with `env`, once it prints "… on http://…" (the address it serves). */
function inOwnProcess(args: readonly string[], env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '', ...env } });
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[server] ${d.toString()}`));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1] as string, stop: async () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM'); await exited; } });
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code} before serving`)));
  });
}
