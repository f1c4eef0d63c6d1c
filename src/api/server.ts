import { serve, type ServerType } from '@hono/node-server';
import type { Store } from '../store/index.js';
import { createApp } from './app.js';

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

export function startServer(store: Store, port: number, hostname = '127.0.0.1'): Promise<RunningServer> {
  const app = createApp(store);
  return new Promise((resolve, reject) => {
    let server: ServerType | undefined = undefined;
    server = serve({ fetch: app.fetch, port, hostname }, (info) => {
      resolve({
        url: `http://${hostname === '0.0.0.0' ? 'localhost' : hostname}:${info.port}`,
        close: () => new Promise<void>((done) => (server ? server.close(() => done()) : done())),
      });
    });
    server.on('error', reject);
  });
}
