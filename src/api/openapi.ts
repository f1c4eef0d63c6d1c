import { z } from 'zod';
import { Framework, Indicator, QueryResult } from '../domain/index.js';
import { ErrorBody } from './errors.js';
import { DataQuery } from './params.js';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { target: 'openapi-3.0', unrepresentable: 'any', io: 'output' });

function queryParameters(s: z.ZodObject) {
  const json = z.toJSONSchema(s, { target: 'openapi-3.0', unrepresentable: 'any', io: 'input' }) as {
    properties?: Record<string, { description?: string }>;
  };
  return Object.entries(json.properties ?? {}).map(([name, prop]) => ({
    name, in: 'query', required: false, schema: prop, ...(prop.description ? { description: prop.description } : {}),
  }));
}

const errors = {
  '400': { description: 'The request is malformed', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  '404': { description: 'Not found', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
};
const json = (ref: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } });
const lang = { name: 'lang', in: 'query', required: false, schema: { type: 'string', enum: ['es', 'en'], default: 'es' } };
const code = { name: 'code', in: 'path', required: true, schema: { type: 'string' }, example: 'mx.homicide.rate' };

let cached: unknown;

/** OpenAPI 3 document generated from the same zod schemas the routes parse with. */
export function openApiDocument(): unknown {
  cached ??= {
    openapi: '3.0.3',
    info: {
      title: 'Observa API',
      version: '1',
      description:
        'Official statistics on the U.S.–Mexico Bicentennial Framework. Every value carries its numerator, denominator, quality flags and release ids. ' +
        'Add .csv to a data URL (or send Accept: text/csv) for CSV. Responses carry an ETag that changes when a release lands.',
    },
    paths: {
      '/api/v1/indicators': { get: { summary: 'List indicators', parameters: [lang], responses: { '200': { description: 'Indicators' } } } },
      '/api/v1/indicators/{code}': {
        get: { summary: 'Indicator definition, sources, baseline, latest value, targets', parameters: [code, lang], responses: { '200': { description: 'Indicator' }, ...errors } },
      },
      '/api/v1/indicators/{code}/data': {
        get: {
          summary: 'Indicator values by geography and period (also /data.csv)',
          parameters: [code, ...queryParameters(DataQuery)],
          responses: { '200': { description: 'Values', content: { ...json('QueryResult'), 'text/csv': { schema: { type: 'string' } } } }, ...errors },
        },
      },
      '/api/v1/framework': { get: { summary: 'The Framework as data', responses: { '200': { description: 'Framework', content: json('Framework') } } } },
      '/api/v1/framework/{id}': {
        get: { summary: 'One Framework node, its children and linked indicators', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'Node' }, ...errors } },
      },
      '/api/v1/boundaries/{layer}': {
        get: { summary: 'Map layer: states or municipalities (GeoJSON), states-hex (TopoJSON)', parameters: [{ name: 'layer', in: 'path', required: true, schema: { type: 'string', enum: ['states', 'municipalities', 'states-hex'] } }], responses: { '200': { description: 'GeoJSON or TopoJSON' }, ...errors } },
      },
      '/api/v1/geo': { get: { summary: 'Geographies (nation, states, municipalities)', responses: { '200': { description: 'Geographies' } } } },
      '/api/v1/sources': { get: { summary: 'Sources and their releases', responses: { '200': { description: 'Sources' } } } },
      '/api/v1/releases': { get: { summary: 'Every imported release (file, sha256, rows, time)', responses: { '200': { description: 'Releases' } } } },
      '/api/v1/releases/{id}': {
        get: { summary: 'One release with its import and revision summary', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }], responses: { '200': { description: 'Release' }, ...errors } },
      },
    },
    components: {
      schemas: { QueryResult: schema(QueryResult), Framework: schema(Framework), Indicator: schema(Indicator), Error: schema(ErrorBody) },
    },
  };
  return cached;
}
