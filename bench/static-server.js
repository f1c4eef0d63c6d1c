// `node bench/static-server.js DIR`: sirv serving DIR on a free port of 127.0.0.1, in a process of its own (bench:full's
// baseline for HTTP, run as Observa's server is); says "serving DIR on URL" and serves until killed.
import { createServer } from 'node:http';
import sirv from 'sirv';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node bench/static-server.js DIR');
const files = sirv(dir, { dev: false, etag: true });
const server = createServer((req, res) => files(req, res, () => { res.statusCode = 404; res.end(); }));
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`serving ${dir} on http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
