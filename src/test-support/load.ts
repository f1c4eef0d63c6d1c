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

/**
 * `distinct`: each connection walks the paths from its own offset, so concurrent requests differ (autocannon otherwise
 * sends the same sequence on every connection, and identical concurrent requests share one computation).
 */
export async function runLoad(base: string, paths: readonly string[], connections: number, seconds: number, distinct = false): Promise<LoadResult> {
  let clients = 0;
  const requests = paths.map((path) => ({ method: 'GET' as const, path }));
  const result = await autocannon({
    url: base,
    connections,
    duration: seconds,
    requests,
    ...(distinct
      ? {
          setupClient: (client: autocannon.Client) => {
            const offset = Math.floor(((clients++ % connections) * paths.length) / connections);
            client.setRequests([...requests.slice(offset), ...requests.slice(0, offset)]);
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
