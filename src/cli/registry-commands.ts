import { randomBytes } from 'node:crypto';
import { Option, type Command } from 'commander';
import { z } from 'zod';
import { RequestError, UserRole } from '../domain/index.js';
import { ForbiddenError, OPERATOR_PRINCIPAL, createOrganisation, createUser, verifyAudit } from '../registry/index.js';
import type { Store } from '../store/index.js';

/*
 * Case-registry administration from the command line. Whoever runs these holds the store file, so they act as the
 * operator: they create organisations and users (every creation is audited) but cannot read any case.
 */

export const NEW_PASSWORD_ENV = 'OBSERVA_NEW_PASSWORD';

type WithStore = <T>(work: (store: Store) => Promise<T>) => Promise<T>;

/** Caller mistakes as RequestError, so that main prints a message and exits non-zero instead of a stack trace. */
async function asRequestErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof z.ZodError) throw new RequestError('bad_request', error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; '));
    if (error instanceof ForbiddenError) throw new RequestError('bad_request', error.message);
    throw error;
  }
}

export function registerRegistryCommands(program: Command, withStore: WithStore): void {
  const org = program.command('org').description('organisations of the case registry');
  org
    .command('create')
    .description('create an organisation; prints its id')
    .requiredOption('--name <name>', 'the organisation’s name')
    .action((opts: { name: string }) =>
      withStore((store) =>
        asRequestErrors(async () => {
          const created = await createOrganisation({ store }, OPERATOR_PRINCIPAL, opts.name);
          console.log(`organisation ${created.id} "${created.name}" created`);
        }),
      ),
    );

  const user = program.command('user').description('users of the case registry');
  user
    .command('create')
    .description(`create a user; the password comes from ${NEW_PASSWORD_ENV}, or is generated and printed once`)
    .requiredOption('--email <email>', 'sign-in email')
    .addOption(new Option('--role <role>', 'role').choices(UserRole.options).makeOptionMandatory())
    .requiredOption('--org <id>', 'organisation id (from `observa org create`)')
    .action((opts: { email: string; role: UserRole; org: string }) =>
      withStore((store) =>
        asRequestErrors(async () => {
          // Never a command-line flag: arguments end up in shell history and in `ps` for every local user to read.
          const given = process.env[NEW_PASSWORD_ENV];
          const password = given !== undefined && given !== '' ? given : randomBytes(18).toString('base64url');
          const created = await createUser({ store }, OPERATOR_PRINCIPAL, { email: opts.email, role: opts.role, organisationId: opts.org, password });
          console.log(`user ${created.id} <${created.email}> created: ${created.role} in ${created.organisationId}`);
          if (given === undefined || given === '') {
            console.error('generated password (shown once; pass it on over a safe channel):');
            console.log(password);
          }
        }),
      ),
    );

  const audit = program.command('audit').description('the registry’s hash-chained audit log');
  audit
    .command('verify')
    .description('check every entry of the audit chain against its hash, its predecessor and the stored head')
    .action(() =>
      withStore(async (store) => {
        const verdict = await verifyAudit(store);
        if (verdict.ok) {
          console.log(`audit chain intact: ${verdict.count} entries`);
          return;
        }
        const what = { edited: 'was edited', 'removed-or-reordered': 'follows a removed or reordered entry', 'bad-start': 'does not start the chain' }[verdict.problem];
        console.error(`audit chain BROKEN at seq ${verdict.seq}: the entry ${what} (${verdict.problem}); entries from seq ${verdict.seq} on cannot be trusted`);
        process.exitCode = 1;
      }),
    );
}
