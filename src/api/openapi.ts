import { z } from 'zod';
import { AssistanceLine, BothSidesView, EvidenceDecision, EvidenceEntry, EvidenceInput, EvidenceKind, ReviewState, Framework, Indicator, QueryResult, Risk } from '../domain/index.js';
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
      '/api/v1/scorecard': {
        get: {
          summary: 'Scorecard: for every Framework node, linked indicators, baseline, target, fresh data, progress class, evidence, risks and gaps',
          parameters: [lang, { name: 'as_of', in: 'query', required: false, schema: { type: 'string', format: 'date' } }, { name: 'through', in: 'query', required: false, schema: { type: 'string', pattern: '^\\d{4}$' } }],
          responses: { '200': { description: 'Scorecard' }, ...errors },
        },
      },
      '/api/v1/scorecard/gaps': { get: { summary: 'Monitoring-gap report: nodes without measures, baselines, targets, recent data, risk entries or evidence (JSON or CSV)', parameters: [lang], responses: { '200': { description: 'Gaps' } } } },
      '/api/v1/evidence': {
        get: {
          summary: 'The published evidence (approved entries only: catalog entries and entries a second person reviewed), oldest first, about any Framework node',
          parameters: [{ name: 'node', in: 'query', required: false, schema: { type: 'string' }, description: 'a node and every node below it' }, { name: 'action', in: 'query', required: false, schema: { type: 'string' }, description: 'the same as node' },
            { name: 'kind', in: 'query', required: false, schema: { type: 'string', enum: [...EvidenceKind.options] } }, { name: 'from', in: 'query', required: false, schema: { type: 'string', format: 'date' } }, { name: 'to', in: 'query', required: false, schema: { type: 'string', format: 'date' } }],
          responses: { '200': { description: 'Entries', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/EvidenceEntry' } } } } } },
        },
        post: {
          summary: 'Submit an evidence entry (any token: Authorization: Bearer …). It is pending, and not public, until a second person with the reviewer role approves it. Entries are never edited or deleted; PUT, PATCH and DELETE answer 405.',
          security: [{ bearer: [] }],
          requestBody: { required: true, content: json('EvidenceInput') },
          responses: { '201': { description: 'Stored entry (review.state pending)', content: json('EvidenceEntry') }, '401': { description: 'No valid token', content: json('Error') }, '422': { description: 'Invalid entry', content: json('Error') } },
        },
      },
      '/api/v1/evidence/ledger': {
        get: {
          summary: 'The whole ledger with review states (pending, approved, rejected with its reason, withdrawn); any token; never cached',
          security: [{ bearer: [] }],
          parameters: [{ name: 'state', in: 'query', required: false, schema: { type: 'string', enum: [...ReviewState.options] } }, { name: 'node', in: 'query', required: false, schema: { type: 'string' } }],
          responses: { '200': { description: 'Entries', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/EvidenceEntry' } } } } }, '401': { description: 'No valid token', content: json('Error') } },
        },
      },
      '/api/v1/evidence/pending': {
        get: { summary: 'Entries waiting for a reviewer, oldest first; any token', security: [{ bearer: [] }], responses: { '200': { description: 'Entries', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/EvidenceEntry' } } } } }, '401': { description: 'No valid token', content: json('Error') } } },
      },
      '/api/v1/evidence/sources': { get: { summary: 'Every source address the published evidence, figures and targets use, with the entries citing it', parameters: [lang], responses: { '200': { description: 'Sources' } } } },
      '/api/v1/evidence/{id}': { get: { summary: 'One published evidence entry (404 for pending, rejected or withdrawn ones)', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }], responses: { '200': { description: 'Entry', content: json('EvidenceEntry') }, ...errors } } },
      '/api/v1/evidence/{id}/review': {
        post: {
          summary: 'Approve or reject a pending entry (token with role reviewer or admin, not the submitter\'s: a self-approval answers 403). One final decision per entry, kept in the ledger with reviewer, time and reason.',
          security: [{ bearer: [] }],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
          requestBody: { required: true, content: json('EvidenceDecision') },
          responses: {
            '200': { description: 'The entry with its decision', content: json('EvidenceEntry') }, '401': { description: 'No valid token', content: json('Error') },
            '403': { description: 'Not a reviewer, or the submitter', content: json('Error') }, '404': { description: 'No such entry', content: json('Error') },
            '409': { description: 'Already decided, or a catalog entry', content: json('Error') }, '422': { description: 'Invalid decision (a rejection needs a reason)', content: json('Error') },
          },
        },
      },
      '/api/v1/risks': { get: { summary: 'Risk register per joint objective', responses: { '200': { description: 'Risks', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Risk' } } } } } } } },
      '/api/v1/assistance': { get: { summary: 'U.S. assistance lines by account, fiscal year and stage (also /assistance.csv)', responses: { '200': { description: 'Lines and sums by year' } } } },
      '/api/v1/reported': { get: { summary: 'Figures reported by others beside what Observa computes, with the reasons they differ', parameters: [lang], responses: { '200': { description: 'Comparisons' } } } },
      '/api/v1/both-sides': {
        get: {
          summary: 'Both sides of the border: pairs of series (fentanyl seized at the southwest border vs U.S. synthetic-opioid deaths; Border Patrol encounters vs migrants dead and missing) each indexed to its base period = 100, with method, caveats, sources and partial periods marked (also /both-sides.csv)',
          parameters: [lang],
          responses: { '200': { description: 'Pairs; pairs whose indicators this build lacks are listed under skipped', content: { ...json('BothSidesView'), 'text/csv': { schema: { type: 'string' } } } } },
        },
      },
      '/api/v1/events': { get: { summary: 'Policy events timeline (context, not attribution)', responses: { '200': { description: 'Events' } } } },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        QueryResult: schema(QueryResult), Framework: schema(Framework), Indicator: schema(Indicator), Error: schema(ErrorBody),
        EvidenceInput: schema(EvidenceInput), EvidenceDecision: schema(EvidenceDecision), BothSidesView: schema(BothSidesView), EvidenceEntry: schema(EvidenceEntry), Risk: schema(Risk), AssistanceLine: schema(AssistanceLine),
      },
    },
  };
  return cached;
}
