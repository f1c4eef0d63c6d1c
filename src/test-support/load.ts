import autocannon from 'autocannon';

/** A mixed set of public requests, as a burst of readers would send them (pages, API JSON/CSV, data files). */
export const MIXED_PATHS: readonly string[] = [
  '/api/v1/indicators/mx.homicide.victims/data?geo=00&period=2015..2024',
  '/api/v1/indicators/mx.homicide.rate/data?geo=level:state&period=2024&lang=en',
  '/api/v1/indicators/mx.homicide.rate/data.csv?geo=00,09,25&period=2019..2024',
  '/api/v1/indicators/mx.disappeared.persons/data?geo=children:14&period=2024',
  '/api/v1/indicators/us.overdose.deaths/data?geo=US&freq=month&period=2021-01..2021-12',
  '/api/v1/indicators',
  '/api/v1/framework',
  '/data/es/mx.homicide.rate/year.json',
  '/data/en/mx.homicide.victims/month.json',
  '/es/',
  '/en/indicators/mx.homicide.rate/',
  '/es/states/25/',
];

export interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly timeouts: number;
  readonly p50: number;
  readonly p99: number;
  readonly rps: number;
}

/** People the readers of `asPeople` are (addresses claimed in turn through the trusted proxy). */
const PEOPLE = 4_096;

/** The address a reader claims through a trusted proxy (TEST-NET-2, 198.51.100.0/24, and on). */
export const loadClientAddress = (connection: number) => `198.51.${100 + (connection >> 8)}.${connection & 255}`;

/**
 * `distinct`: each connection walks the paths from its own offset, so concurrent requests differ (autocannon otherwise
 * sends the same sequence on every connection, and identical concurrent requests share one computation).
 * `asPeople`: the requests come from many people behind the deployment's reverse proxy: each request sends
 * `X-Forwarded-For` with the next of `PEOPLE` addresses (the server must trust the load's address as a proxy,
 * OBSERVA_TRUSTED_PROXY), so the server's per-client shares (src/api/fair-work.ts) see thousands of readers each asking
 * a page's worth of requests now and then — not twenty clients each sending hundreds of requests a second, which is
 * what an abuser does and what the shares are there to slow.
 */
export async function runLoad(base: string, paths: readonly string[], connections: number, seconds: number, distinct = false, asPeople = false): Promise<LoadResult> {
  let clients = 0;
  let person = 0;
  const requests = paths.map((path) => ({ method: 'GET' as const, path }));
  const result = await autocannon({
    url: base,
    connections,
    duration: seconds,
    // autocannon builds every request of the list up front, once per connection, unless a request sets itself up: 10,000
    // distinct paths × 50 connections were half a million request buffers built on the server's own thread (6 s of CPU
    // in a 10 s run, the uncached figure's main cost). A list the clients replace is one request here, and theirs set
    // themselves up.
    requests: distinct || asPeople ? requests.slice(0, 1) : requests,
    ...(distinct || asPeople
      ? {
          setupClient: (client: autocannon.Client) => {
            const n = clients++;
            const offset = distinct ? Math.floor(((n % connections) * paths.length) / connections) : 0;
            const asPerson = asPeople
              ? { setupRequest: (r: autocannon.Request) => ({ ...r, headers: { ...r.headers, 'x-forwarded-for': loadClientAddress(person++ % PEOPLE) } }) }
              : { setupRequest: (r: autocannon.Request) => r };
            client.setRequests([...requests.slice(offset), ...requests.slice(0, offset)].map((r) => ({ ...r, ...asPerson })));
          },
        }
      : {}),
  });
  return {
    requests: result.requests.total,
    errors: result.errors,
    non2xx: result.non2xx,
    timeouts: result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: result.requests.average,
  };
}
