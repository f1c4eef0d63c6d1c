import { serve, type ServerType } from '@hono/node-server';
import type { Store } from '../store/index.js';
import { createApp, type ApiOptions } from './app.js';

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

export function startServer(store: Store, port: number, hostname = '127.0.0.1', options: ApiOptions = {}): Promise<RunningServer> {
  const app = createApp(store, options);
  // Requests being answered when the server stops finish before close() resolves (and before the store closes).
  const answering = new Set<Promise<Response>>();
  // The node-server bindings (the socket, for the client's address) travel with the request.
  const fetch = (request: Request, env: unknown) => {
    const response = Promise.resolve(app.fetch(request, env));
    answering.add(response);
    const done = () => answering.delete(response);
    response.then(done, done);
    return response;
  };
  return new Promise((resolve, reject) => {
    let server: ServerType | undefined = undefined;
    server = serve({ fetch, port, hostname }, (info) => {
      resolve({
        url: `http://${hostname === '0.0.0.0' ? 'localhost' : hostname}:${info.port}`,
        close: async () => {
          await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
          await Promise.allSettled([...answering]);
        },
      });
    });
    server.on('error', reject);
  });
}
