import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { indicatorDetail, listReleases, queryIndicator, toCsv } from '../analytics/index.js';
import { createApp, intakeContactsFromEnv, registryOptionsFromEnv, startServer } from '../api/index.js';
import { bakeSite } from '../site/index.js';
import { loadCatalog } from '../catalog/index.js';
import { CONFIDENCE_LABELS, Dimension, InputError, KIND_LABELS, Lang, QueryFreq, RELATION_LABELS, RequestError, type FrameworkNode } from '../domain/index.js';
import {
  COMPLETION_LABELS, GAP_LABELS, PROGRESS_LABELS, STAGE_LABELS,
} from '../domain/index.js';
import { computeScorecard, listAssistance, reportedFigures } from '../monitoring/index.js';
import { importAssistance } from '../ingest/index.js';
import { ADAPTERS, LAYOUT_ADAPTERS, adapterFor, BOUNDARY_LAYERS, BUNDLED_BOUNDARIES, BUNDLED_FILES, importBoundaries, importFile, loadBundled, type BoundarySummary, type BundledSummary, type ImportSummary } from '../ingest/index.js';
import {
  DuckDbStore, PostgresStore, describeRepair, isPostgresUrl, isRepaired, migrateServer, openStore as openAnyStore, publishToPostgres, type Store,
} from '../store/index.js';
import { indicatorScoreTable, resultTable, textTable } from './format.js';
import { fileProgress } from './progress.js';
import { registerEvidenceCommands } from './evidence-commands.js';
import { registerRegistryCommands } from './registry-commands.js';
import { publishFunnel } from '../registry/index.js';

const DEFAULT_STORE = './observa.duckdb';

interface GlobalOptions {
  store: string;
}

function choice<T extends string>(values: readonly T[]) {
  return (value: string): T => {
    if (!(values as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${values.join(', ')}`);
    return value as T;
  };
}

/** Opens a store and says so when it had to mend what an interrupted process left behind. */
async function openStore(location: string): Promise<Store> {
  const store = await openAnyStore(location, { onNotice: (message) => console.error(`observa: ${message}`) });
  if (store instanceof DuckDbStore && store.recovery && isRepaired(store.recovery)) console.error(`observa: ${describeRepair(store.recovery)}`);
  return store;
}

/**
 * Opens the store for a command. A command that reads (or changes what is already there, `read`) refuses a store file
 * that does not exist instead of creating an empty one and answering with nothing (exit 2, with what to do).
 */
async function withStore<T>(program: Command, work: (store: Store) => Promise<T>, access: 'read' | 'write' = 'write'): Promise<T> {
  const { store: location } = program.opts<GlobalOptions>();
  if (access === 'read' && !isPostgresUrl(location) && !existsSync(location)) {
    throw new RequestError('bad_request', `no store at ${resolve(location)}: nothing has been imported there. Run \`observa load-bundled\` (or \`npm start\`) in this folder first, or name a store with --store <file>`, {
      store: resolve(location),
    });
  }
  const store = await openStore(location);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

function printSummary(s: ImportSummary): void {
  const status = { new: `committed as release ${s.releaseId}`, unchanged: `already imported as release ${s.releaseId}: nothing changed`, 'dry-run': 'dry run: nothing written' }[s.status];
  const r = s.revision;
  console.log(`${s.file} (${s.source}): ${status}`);
  console.log(`  sha256 ${s.sha256}  ${s.encoding}  ${s.rows} rows → ${s.observations} observations  ${s.periodFrom ?? '—'} … ${s.periodTo ?? '—'}`);
  for (const c of s.reconciliation) console.log(`  reconciled: ${c.name}: ${c.compared} compared, ${c.mismatches} mismatches`);
  if (s.status !== 'unchanged') {
    console.log(`  against the current data: ${r.added} new, ${r.changed} changed, ${r.unchanged} unchanged, ${r.removed} no longer present; net ${r.netChange >= 0 ? '+' : ''}${r.netChange}`);
    for (const c of r.largestChanges) console.log(`    ${c.series} ${c.geo} ${c.year}: ${c.before} → ${c.after} (${c.after - c.before >= 0 ? '+' : ''}${c.after - c.before})`);
  }
}

function printBoundary(b: BoundarySummary): void {
  const status = { new: `committed as release ${b.releaseId}`, unchanged: `already imported as release ${b.releaseId}`, 'dry-run': 'dry run: nothing written' }[b.status];
  console.log(`${b.file} (map layer ${b.layer}): ${status}`);
  console.log(`  sha256 ${b.sha256}  ${b.features} features${b.missing.length > 0 ? `; no shape for ${b.missing.length} places (${b.missing.slice(0, 8).join(', ')}${b.missing.length > 8 ? ', …' : ''})` : ''}`);
}

function printBundled(s: BundledSummary): void {
  s.tables.forEach(printSummary);
  s.boundaries.forEach(printBoundary);
}

function frameworkTree(nodes: readonly FrameworkNode[], lang: Lang): string {
  const lines: string[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const n of nodes.filter((x) => x.parent === parent)) {
      const merida = `Mérida ${n.merida.pillars.join('+') || '—'}: ${RELATION_LABELS[n.merida.relation][lang]}`;
      lines.push(`${'  '.repeat(depth)}${n.id.padEnd(8 - Math.min(depth * 2, 6))} ${n.title[lang]}  [${KIND_LABELS[n.kind][lang]}; ${CONFIDENCE_LABELS[n.confidence][lang]}; ${merida}]`);
      walk(n.id, depth + 1);
    }
  };
  walk(null, 0);
  return lines.join('\n');
}

/** Imports read files with DuckDB, so they run on the embedded store; the server store receives them by `publish`. */
function embeddedOnly(store: Store): void {
  if (store.dialect !== 'duckdb') {
    throw new RequestError('bad_request', 'imports run in the embedded DuckDB store, which reads the published files; import with --store <file.duckdb>, then `observa publish --to <postgres url>`');
  }
}

function yearArg(text: string, option: string): number {
  if (!/^\d{4}$/.test(text)) throw new RequestError('bad_request', `${option} expects a year such as 2024, not "${text}"`);
  return Number(text);
}

export function buildProgram(): Command {
  const program = new Command('observa')
    .description('Observa: official statistics on the U.S.–Mexico Bicentennial Framework, in an embedded store')
    .addOption(new Option('--store <path>', 'DuckDB store file, or the postgres:// URL of a server store').env('OBSERVA_STORE').default(DEFAULT_STORE))
    .showHelpAfterError()
    // A wrong command line is a caller's mistake: exit 2 as documented (commander's own default is 1).
    .exitOverride((error) => {
      process.exit(error.exitCode === 0 ? 0 : 2);
    });

  program
    .command('load-bundled')
    .description('import every official file bundled in data/ (files already imported are skipped)')
    .action(() =>
      withStore(program, async (store) => {
        embeddedOnly(store);
        const files = [...BUNDLED_FILES, ...BUNDLED_BOUNDARIES];
        const progress = fileProgress(files.length);
        let current = '';
        const summaries = await loadBundled(store, {
          onFile: (i, _n, f) => { current = f; progress.update(i, f); },
          onStage: (stage) => progress.update(files.findIndex((f) => f.path === current), `${current} · ${stage}`),
        });
        progress.stop();
        printBundled(summaries);
      }),
    );

  program
    .command('ingest')
    .description('import official files through the adapter of their source')
    .argument('<source>', `one of: ${[...Object.keys(ADAPTERS), ...Object.keys(LAYOUT_ADAPTERS), ...Object.keys(BOUNDARY_LAYERS).map((l) => `boundaries:${l}`)].join(', ')}`)
    .argument('<files...>', 'files as published (CSV, optionally .gz, or an .xlsx workbook)')
    .option('--dry-run', 'validate, reconcile and compare, print the summary, write nothing')
    .addOption(new Option('--format <format>', 'summary format').choices(['text', 'json']).default('text'))
    .action((source: string, files: string[], opts: { dryRun?: boolean; format: string }) =>
      withStore(program, async (store) => {
        embeddedOnly(store);
        if (source.startsWith('boundaries:')) {
          const layer = BOUNDARY_LAYERS[source.slice('boundaries:'.length) as keyof typeof BOUNDARY_LAYERS];
          if (!layer) throw new RequestError('bad_request', `unknown map layer "${source}"; known: ${Object.keys(BOUNDARY_LAYERS).map((l) => `boundaries:${l}`).join(', ')}`);
          for (const file of files) printBoundary(await importBoundaries(store, layer, resolve(file), { dryRun: opts.dryRun ?? false }));
          return;
        }
        const adapter = adapterFor(source);
        const summaries: ImportSummary[] = [];
        for (const file of files) summaries.push(await importFile(store, adapter, resolve(file), { dryRun: opts.dryRun ?? false }));
        if (opts.format === 'json') console.log(JSON.stringify(summaries, null, 2));
        else summaries.forEach(printSummary);
      }),
    );

  program
    .command('query')
    .description('values of an indicator by geography and period')
    .argument('<indicator>', 'indicator code, e.g. mx.homicide.rate')
    .requiredOption('--geo <codes>', 'comma-separated codes (00, 09, 14039, US, US-SWB, US-SWB-USBP-TCA) or level:state, level:region, children:14')
    .option('--period <from..to>', 'e.g. 2015..2024, 2019-01..2020-12, 2020, FY2019..FY2026')
    .addOption(new Option('--freq <freq>', 'month, year or fy (U.S. fiscal year, October–September; --period 2019..2026 then means FY2019..FY2026)').argParser(choice(QueryFreq.options)).default('year'))
    .addOption(new Option('--by <dimension>', 'break down by a dimension').argParser(choice(Dimension.options)))
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
    .addOption(new Option('--lang <lang>', 'language of names').argParser(choice(Lang.options)).default('en'))
    .option('--as-of <timestamp>', 'values as known at this instant (ISO 8601)')
    .addOption(new Option('--measure <measure>', 'count, or rate (per 100,000 of the population the catalog names; counts of people)').choices(['count', 'rate']).default('count'))
    .option('--annualise', 'monthly rates × 365.25 / days in the month (with --freq month)')
    .option('--ytd', 'same months of every year: each year summed over the months the latest year has (e.g. January–June); with --measure rate, that sum over the year\'s population')
    .action((indicator: string, opts: { geo: string; period?: string; freq: QueryFreq; by?: Dimension; format: string; lang: Lang; asOf?: string; measure: 'count' | 'rate'; annualise?: boolean; ytd?: boolean }) =>
      withStore(program, async (store) => {
        const [from, to] = opts.period === undefined ? [null, null] : opts.period.includes('..') ? opts.period.split('..') : [opts.period, opts.period];
        const result = await queryIndicator(store, {
          indicator, geo: opts.geo.split(','), from: from || null, to: to || null, freq: opts.freq, by: opts.by ?? null, lang: opts.lang, asOf: opts.asOf ?? null,
          measure: opts.measure, annualise: opts.annualise === true, ...(opts.ytd ? { ytd: true } : {}),
        });
        if (opts.format === 'json') console.log(JSON.stringify(result, null, 2));
        else if (opts.format === 'csv') process.stdout.write(toCsv(result));
        else console.log(resultTable(result, opts.lang));
      }, 'read'),
    );

  program
    .command('indicators')
    .description('the indicator catalog')
    .addOption(new Option('--format <format>').choices(['table', 'json']).default('table'))
    .addOption(new Option('--lang <lang>').argParser(choice(Lang.options)).default('en'))
    .option('--code <code>', 'one indicator in full, with its baseline and latest value')
    .action(async (opts: { format: string; lang: Lang; code?: string }) => {
      const code = opts.code;
      if (code) {
        await withStore(program, async (store) => console.log(JSON.stringify(await indicatorDetail(store, code, opts.lang), null, 2)), 'read');
        return;
      }
      // The catalog ships with the code: listing it needs no store.
      const list = loadCatalog().indicators;
      if (opts.format === 'json') console.log(JSON.stringify(list, null, 2));
      else console.log(textTable(['code', 'name', 'unit', 'levels', 'freq'], list.map((i) => [i.code, i.name[opts.lang], i.unit[opts.lang], i.levels.join(','), i.frequencies.join(',')]), 'en-US'));
    });

  program
    .command('framework')
    .description('the Bicentennial Framework as data: goals, areas, objectives, actions')
    .addOption(new Option('--format <format>').choices(['tree', 'json']).default('tree'))
    .addOption(new Option('--lang <lang>').argParser(choice(Lang.options)).default('en'))
    .action((opts: { format: string; lang: Lang }) => {
      const fw = loadCatalog().framework;
      if (opts.format === 'json') {
        console.log(JSON.stringify(fw, null, 2));
        return;
      }
      console.log(`${fw.name[opts.lang]} (${opts.lang === 'es' ? 'versión del catálogo' : 'catalog version'} ${fw.version})`);
      console.log(fw.coverageNote[opts.lang]);
      console.log('');
      console.log(frameworkTree(fw.nodes, opts.lang));
    });

  program
    .command('releases')
    .description('every imported release: file, checksum, rows, time')
    .addOption(new Option('--format <format>').choices(['table', 'json']).default('table'))
    .action((opts: { format: string }) =>
      withStore(program, async (store) => {
        const rows = await listReleases(store);
        if (opts.format === 'json') console.log(JSON.stringify(rows, null, 2));
        else console.log(textTable(['id', 'source', 'file', 'sha256', 'rows', 'observations', 'current', 'imported'],
          rows.map((r) => [r.id, r.source_id, r.file_name, `${r.sha256.slice(0, 12)}…`, r.row_count, r.observation_count, r.current_observations, r.imported_at]), 'en-US'));
      }, 'read'),
    );

  program
    .command('bake')
    .description('write the whole public site (pages, data files, map layers) as static files')
    .requiredOption('--out <dir>', 'output folder')
    .option('--no-compress', 'do not write .br and .gz beside each text file')
    .action((opts: { out: string; compress: boolean }) =>
      withStore(program, async (store) => {
        const contacts = intakeContactsFromEnv();
        const app = createApp(store, { contacts });
        const started = Date.now();
        let bar: ReturnType<typeof fileProgress> | undefined;
        const summary = await bakeSite(store, (request) => app.fetch(request), resolve(opts.out), (done, total) => {
          bar ??= fileProgress(total);
          bar.update(done - 1, `${done}/${total}`);
        }, contacts.alternatives, opts.compress);
        bar?.stop();
        console.log(`baked ${summary.pages} pages, ${summary.files} files, ${(summary.bytes / 1e6).toFixed(1)} MB into ${resolve(opts.out)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      }, 'read'),
    );

  program
    .command('publish')
    .description('copy the statistics of the embedded store (--store) to a PostgreSQL server store, in one transaction')
    .requiredOption('--to <url>', 'postgres://user@host:5432/db[?schema=name]')
    .action((opts: { to: string }) =>
      withStore(program, async (source) => {
        if (!(source instanceof DuckDbStore)) throw new RequestError('bad_request', '--store must be the embedded DuckDB file that holds the imports');
        if (!isPostgresUrl(opts.to)) throw new RequestError('bad_request', `--to expects a postgres:// URL, not "${opts.to}"`);
        const target = await PostgresStore.open(opts.to, { migrate: migrateServer });
        try {
          const bar = fileProgress(11);
          const summary = await publishToPostgres(source, target, (name, i) => bar.update(i, name));
          bar.stop();
          console.log(`published to ${summary.target} in ${summary.seconds.toFixed(1)} s: ${summary.tables.map((t) => `${t.name} ${t.rows}`).join(', ')}`);
        } finally {
          await target.close();
        }
      }, 'read'),
    );

  program
    .command('scorecard')
    .description('for every Framework node: linked indicators, baseline, target, fresh data, progress class, evidence, risks; and the monitoring gaps')
    .addOption(new Option('--format <format>').choices(['table', 'json']).default('table'))
    .addOption(new Option('--lang <lang>').argParser(choice(Lang.options)).default('en'))
    .option('--as-of <date>', 'judge freshness at this date (YYYY-MM-DD); default today')
    .option('--through <year>', 'only data and evidence up to the end of this year')
    .action((opts: { format: string; lang: Lang; asOf?: string; through?: string }) =>
      withStore(program, async (store) => {
        const asOf = opts.asOf === undefined ? undefined : new Date(`${opts.asOf}T00:00:00Z`);
        if (asOf && Number.isNaN(asOf.getTime())) throw new RequestError('bad_request', `--as-of expects a date as YYYY-MM-DD, not "${opts.asOf}"`);
        const through = opts.through === undefined ? undefined : yearArg(opts.through, '--through');
        const card = await computeScorecard(store, { lang: opts.lang, ...(asOf ? { asOf } : {}), ...(through === undefined ? {} : { through }) });
        if (opts.format === 'json') {
          console.log(JSON.stringify(card, null, 2));
          return;
        }
        const L = opts.lang;
        console.log(textTable(['node', 'kind', 'title', 'indicators', 'progress', 'evidence', 'risks', 'gaps'], card.nodes.map((n) => [
          n.id, KIND_LABELS[n.kind][L], n.title.length > 48 ? `${n.title.slice(0, 47)}…` : n.title, n.measuredBy.length,
          Object.entries(n.progress).filter(([, c]) => c > 0).map(([k, c]) => `${PROGRESS_LABELS[k as keyof typeof PROGRESS_LABELS][L]} ${c}`).join(', ') || '—',
          n.evidence ? `${COMPLETION_LABELS[n.evidence.status][L]} (${n.evidence.date})` : n.actions ? `${n.actions.none} ${L === 'es' ? 'sin evidencia' : 'without evidence'}` : '—',
          n.risks.length, n.gaps.map((g) => GAP_LABELS[g][L]).join('; ') || '—',
        ]), 'en-US'));
        console.log('');
        console.log(indicatorScoreTable(card.indicators, L));
        console.log(`\n${card.gaps.length} of ${card.summary.nodes} nodes have monitoring gaps (as of ${card.asOf}). Method: ${card.method.progress}`);
      }, 'read'),
    );

  registerEvidenceCommands(program, (work, access) => withStore(program, work, access));

  const assistance = program.command('assistance').description('U.S. assistance lines (account, fiscal year, stage)');
  assistance
    .command('import <file>')
    .description('import a ForeignAssistance.gov CSV export (Mexico\'s rows; all or nothing)')
    .option('--dry-run', 'check the file and report, write nothing')
    .action((file: string, opts: { dryRun?: boolean }) =>
      withStore(program, async (store) => {
        embeddedOnly(store);
        const s = await importAssistance(store, file, { dryRun: opts.dryRun === true });
        const status = { new: `committed as release ${s.releaseId}`, unchanged: `already imported as release ${s.releaseId}`, 'dry-run': 'dry run: nothing written' }[s.status];
        console.log(`${s.file} (ForeignAssistance.gov): ${status}\n  sha256 ${s.sha256}  ${s.rows} rows, ${s.mexicoRows} for Mexico → ${s.lines} lines; fiscal years ${s.fiscalYears.join(', ') || '—'}`);
      }),
    );
  assistance
    .command('list')
    .addOption(new Option('--format <format>').choices(['table', 'json']).default('table'))
    .addOption(new Option('--lang <lang>').argParser(choice(Lang.options)).default('en'))
    .action((opts: { format: string; lang: Lang }) =>
      withStore(program, async (store) => {
        const lines = await listAssistance(store);
        if (opts.format === 'json') console.log(JSON.stringify(lines, null, 2));
        else console.log(textTable(['id', 'FY', 'account', 'stage', 'USD', 'total?', 'confidence', 'source'], lines.map((l) => [
          l.id, l.fyFrom === l.fyTo ? l.fyFrom : `${l.fyFrom}–${l.fyTo}`, l.account, STAGE_LABELS[l.stage][opts.lang], l.amountUsd.toLocaleString('en-US'),
          l.isTotal ? 'total' : '', l.confidence, l.source.title.slice(0, 40),
        ]), 'en-US'));
      }, 'read'),
    );

  program
    .command('reported')
    .description('figures reported by others beside what Observa computes, with the reason they differ')
    .addOption(new Option('--lang <lang>').argParser(choice(Lang.options)).default('en'))
    .action((opts: { lang: Lang }) =>
      withStore(program, async (store) => {
        console.log(JSON.stringify(await reportedFigures(store, opts.lang), null, 2));
      }, 'read'),
    );

  program
    .command('report')
    .description('the monitoring report for a year: report.html (self-contained) and report.pdf (printed by Chromium)')
    .requiredOption('--period <year>', 'the year reported on')
    .addOption(new Option('--lang <lang>').argParser(choice(Lang.options)).default('es'))
    .requiredOption('--out <dir>', 'output folder')
    .option('--no-pdf', 'write only the HTML')
    .action((opts: { period: string; lang: Lang; out: string; pdf: boolean }) =>
      withStore(program, async (store) => {
        const year = yearArg(opts.period, '--period');
        // Loaded here only: the report's chart and PDF libraries (Plot, jsdom, Playwright) take seconds to import, and
        // every other command starts without them.
        const { writeReport } = await import('../report/index.js');
        const written = await writeReport(store, { year, lang: opts.lang, outDir: resolve(opts.out), pdf: opts.pdf });
        for (const f of written.files) console.log(`wrote ${f.path} (${(f.bytes / 1024).toFixed(0)} KB)`);
      }, 'read'),
    );

  registerRegistryCommands(program, (work) => withStore(program, work));
  program
    .command('publish-funnel')
    .description('write the case registry\'s public funnel (counts 1–4 suppressed) as a release, for the cases.* indicators')
    .action(() =>
      withStore(program, async (store) => {
        const registry = registryOptionsFromEnv();
        if ('disabled' in registry) throw new RequestError('bad_request', registry.disabled);
        const result = await publishFunnel({ ...registry, store });
        console.log(`funnel ${result.status === 'new' ? `published as release ${result.releaseId}` : `unchanged (release ${result.releaseId})`}: ${result.cells} cells, ${result.suppressed} suppressed`);
      }),
    );

  const serveAction = (loadFirst: boolean) => async (opts: { port: string; host: string }) => {
    const { store: location } = program.opts<GlobalOptions>();
    const isNew = !isPostgresUrl(location) && !existsSync(location);
    // `serve` only reads: serving an empty store would answer every request with nothing. `start` loads one.
    if (isNew && !loadFirst) {
      throw new RequestError('bad_request', `no store at ${resolve(location)}: run \`observa start\` (which loads the bundled data) or \`observa load-bundled\` first, or name a store with --store <file>`);
    }
    const store = await openStore(location);
    if (loadFirst && isNew && !isPostgresUrl(location)) {
      console.error(`No store at ${location}: loading the bundled official data…`);
      const progress = fileProgress(BUNDLED_FILES.length + BUNDLED_BOUNDARIES.length);
      const summary = await loadBundled(store, { onFile: (i, _n, f) => progress.update(i, f) });
      progress.stop();
      printBundled(summary);
    }
    const registry = registryOptionsFromEnv();
    if ('disabled' in registry) console.error(`observa: the case registry is off: ${registry.disabled}`);
    // The cases.* indicators follow the registry: its public funnel is republished (a no-op when unchanged) at start.
    if (!('disabled' in registry)) await publishFunnel({ ...registry, store });
    const server = await startServer(store, Number(opts.port), opts.host, 'disabled' in registry ? {} : { registry });
    console.log(`Observa is serving ${location} on ${server.url}  (API: ${server.url}/api/v1)`);
    const stop = async () => {
      await server.close();
      await store.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
  };
  const portOption = () => new Option('--port <port>', 'TCP port').env('PORT').default('8080');
  const hostOption = () => new Option('--host <host>', 'address to listen on').default('127.0.0.1');
  program.command('serve').description('serve the HTTP API over the store').addOption(portOption()).addOption(hostOption()).action(serveAction(false));
  program
    .command('start')
    .description('load the bundled data if the store does not exist yet, then serve (what `npm start` runs)')
    .addOption(portOption())
    .addOption(hostOption())
    .action(serveAction(true));
  return program;
}

/** Caller mistakes and bad files end with a message and a non-zero status; bugs keep their stack trace. */
export async function main(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (error) {
    if (error instanceof InputError) {
      console.error(`observa: rejected; the store is unchanged:\n${error.message}`);
      process.exitCode = 2;
    } else if (error instanceof RequestError) {
      console.error(`observa: ${error.message}`);
      process.exitCode = error.code === 'store_busy' ? 3 : 2;
    } else if (/ENOSPC|No space left on device/i.test(String((error as { code?: string }).code ?? '') + String((error as Error).message ?? ''))) {
      console.error('observa: no space left on the device; nothing was committed. Free some space (the store and its .tmp folder) and run it again.');
      process.exitCode = 1;
    } else {
      throw error;
    }
  }
}
