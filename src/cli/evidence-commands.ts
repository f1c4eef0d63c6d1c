import { Option, type Command } from 'commander';
import {
  COMPLETION_LABELS, CompletionStatus, EVIDENCE_KIND_LABELS, EvidenceKind, Lang, REVIEW_STATE_LABELS, RequestError, ReviewState, TokenRole,
  type EvidenceEntry,
} from '../domain/index.js';
import { addEvidence, createToken, listEvidence, listPending, listTokens, reviewEvidence, revokeToken, verifyToken, type TokenHolder } from '../monitoring/index.js';
import type { Store } from '../store/index.js';
import { textTable } from './format.js';

/*
 * The evidence ledger and its tokens from the command line. Writing and reviewing need a token (`--token` or
 * OBSERVA_TOKEN), as over the API: the ledger records who submitted and who reviewed, and refuses a self-approval.
 */

export const TOKEN_ENV = 'OBSERVA_TOKEN';

/** `read`: the command needs an existing store and never creates one (it says so and exits 2). */
type WithStore = <T>(work: (store: Store) => Promise<T>, access?: 'read' | 'write') => Promise<T>;

const tokenOption = () => new Option('--token <token>', 'your token (from `observa token create`)').env(TOKEN_ENV).makeOptionMandatory();

async function holderOf(store: Store, token: string): Promise<TokenHolder> {
  const holder = await verifyToken(store, token.trim());
  if (!holder) throw new RequestError('unauthorized', 'the token is unknown or has been revoked (see `observa token list`)');
  return holder;
}

const ledgerTable = (entries: readonly EvidenceEntry[], lang: Lang) =>
  textTable(['id', 'node', 'date', 'status', 'kind', 'publisher', 'review', 'submitted by', 'reviewer', 'reason', 'source'], entries.map((e) => [
    e.id, e.node, e.date, COMPLETION_LABELS[e.status][lang], EVIDENCE_KIND_LABELS[e.kind][lang], e.publisher, REVIEW_STATE_LABELS[e.review.state][lang],
    e.submittedBy, e.review.reviewer ?? '—', e.review.reason ?? '', e.source,
  ]), 'en-US');

export function registerEvidenceCommands(program: Command, withStore: WithStore): void {
  const evidence = program.command('evidence').description('the append-only evidence ledger about the Framework\'s nodes, reviewed before it is published');
  evidence
    .command('add')
    .description('submit an entry; it is pending until a second person with the reviewer role approves it (nothing is edited or deleted)')
    .option('--node <id>', 'a goal, area, objective or action id, e.g. 2, 2.1, 2.1.a or 1.3.b.1')
    .option('--action <id>', 'the same as --node (kept for older scripts)')
    .addOption(new Option('--status <status>', 'completion status (OGP IRM scale)').choices(CompletionStatus.options).makeOptionMandatory())
    .addOption(new Option('--kind <kind>', 'who says so').choices(EvidenceKind.options).makeOptionMandatory())
    .requiredOption('--date <date>', 'the date the evidence refers to (YYYY-MM-DD)')
    .requiredOption('--publisher <name>', 'who published the source')
    .requiredOption('--title <title>', 'the source\'s own title')
    .requiredOption('--source <url>', 'https address of the source')
    .requiredOption('--author <name>', 'who wrote this entry')
    .option('--note-es <text>', 'note in Spanish')
    .option('--note-en <text>', 'note in English')
    .option('--disputes <id>', 'ledger id of an entry this one disputes')
    .addOption(tokenOption())
    .action((opts: Record<string, string | undefined>) =>
      withStore(async (store) => {
        const node = opts['node'] ?? opts['action'];
        if (node === undefined) throw new RequestError('bad_request', 'name the node the entry is about: --node <id>');
        const disputes = opts['disputes'] === undefined ? undefined : Number(opts['disputes']);
        const entry = await addEvidence(store, {
          node, status: opts['status'], kind: opts['kind'], date: opts['date'], publisher: opts['publisher'], title: opts['title'], source: opts['source'],
          author: opts['author'], ...(disputes === undefined ? {} : { disputes }),
          note: { ...(opts['noteEs'] ? { es: opts['noteEs'] } : {}), ...(opts['noteEn'] ? { en: opts['noteEn'] } : {}) },
        }, await holderOf(store, opts['token'] ?? ''), 'command line');
        console.error(`entry ${entry.id} recorded, pending review by a second person (observa evidence review ${entry.id} --approve | --reject --reason …)`);
        console.log(JSON.stringify(entry, null, 2));
      }),
    );
  evidence
    .command('list')
    .description('the published (approved) entries, oldest first; --all for the whole ledger with review states')
    .option('--node <id>', 'one node and every node below it')
    .option('--action <id>', 'the same as --node')
    .addOption(new Option('--kind <kind>').choices(EvidenceKind.options))
    .addOption(new Option('--state <state>', 'only entries in this review state (implies --all)').choices(ReviewState.options))
    .option('--all', 'every entry of the ledger: pending, rejected and withdrawn too')
    .addOption(new Option('--format <format>').choices(['table', 'json']).default('table'))
    .addOption(new Option('--lang <lang>').choices(Lang.options).default('en'))
    .action((opts: { node?: string; action?: string; kind?: EvidenceKind; state?: ReviewState; all?: boolean; format: string; lang: Lang }) =>
      withStore(async (store) => {
        const node = opts.node ?? opts.action;
        const entries = await listEvidence(store, {
          ...(node === undefined ? {} : { node }), ...(opts.kind ? { kind: opts.kind } : {}), ...(opts.state ? { state: opts.state } : {}),
          visibility: opts.all || opts.state ? 'ledger' : 'public',
        });
        console.log(opts.format === 'json' ? JSON.stringify(entries, null, 2) : ledgerTable(entries, opts.lang));
      }, 'read'),
    );
  evidence
    .command('pending')
    .description('entries waiting for a reviewer, oldest first')
    .addOption(new Option('--format <format>').choices(['table', 'json']).default('table'))
    .addOption(new Option('--lang <lang>').choices(Lang.options).default('en'))
    .action((opts: { format: string; lang: Lang }) =>
      withStore(async (store) => {
        const entries = await listPending(store);
        console.log(opts.format === 'json' ? JSON.stringify(entries, null, 2) : entries.length === 0 ? 'no entries are waiting for review' : ledgerTable(entries, opts.lang));
      }, 'read'),
    );
  evidence
    .command('review <id>')
    .description('approve or reject a pending entry (reviewer role; not your own); the decision is final and kept in the ledger')
    .option('--approve', 'publish it')
    .option('--reject', 'keep it out of every public view (needs --reason)')
    .option('--reason <text>', 'why (required to reject)')
    .addOption(tokenOption())
    .action((id: string, opts: { approve?: boolean; reject?: boolean; reason?: string; token: string }) =>
      withStore(async (store) => {
        if (opts.approve === opts.reject) throw new RequestError('bad_request', 'say --approve or --reject (one of them)');
        if (!/^\d+$/.test(id)) throw new RequestError('bad_request', `an evidence id is a positive whole number, not "${id}"`);
        const entry = await reviewEvidence(store, Number(id), {
          decision: opts.approve ? 'approve' : 'reject', ...(opts.reason === undefined ? {} : { reason: opts.reason }),
        }, await holderOf(store, opts.token), 'command line');
        console.error(`entry ${entry.id} ${entry.review.state} by ${entry.review.reviewer ?? '?'}`);
        console.log(JSON.stringify(entry, null, 2));
      }),
    );

  const token = program.command('token').description('tokens for the evidence routes and commands (editor, reviewer, admin)');
  token
    .command('create')
    .description('create a token; it is printed once and only its SHA-256 is stored')
    .requiredOption('--name <name>', 'who or what will use it (a reviewer cannot review entries submitted under the same name)')
    .addOption(new Option('--role <role>', 'editor: submits; reviewer: approves or rejects others\' entries (and submits); admin: both').choices(TokenRole.options).default('admin'))
    .action((opts: { name: string; role: TokenRole }) =>
      withStore(async (store) => {
        const created = await createToken(store, opts.name, opts.role);
        console.error(`${created.role} token ${created.id} for "${created.name}" (keep it secret; it is not shown again):`);
        console.log(created.token);
      }),
    );
  token.command('list').description('tokens (names, roles and dates, never the tokens)').action(() =>
    withStore(async (store) => {
      console.log(textTable(['id', 'name', 'role', 'created', 'revoked'], (await listTokens(store)).map((t) => [t.id, t.name, t.role, t.created_at, t.revoked_at ?? '—']), 'en-US'));
    }, 'read'),
  );
  token.command('revoke <id>').description('revoke a token').action((id: string) =>
    withStore(async (store) => {
      if (!(await revokeToken(store, Number(id)))) throw new RequestError('not_found', `no active token ${id}`);
      console.log(`token ${id} revoked`);
    }, 'read'),
  );
}
