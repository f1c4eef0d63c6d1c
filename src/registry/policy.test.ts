import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PERSONAL_FIELDS, UserRole } from '../domain/index.js';
import { ACTIONS, decide, redactPerson } from './policy.js';
import type { Action, Principal, RecordContext, Visibility } from './policy.js';

/*
 * The expected policy, written as data from the brief and NOT derived from `decide`.
 * Rows not listed deny everything. Columns: how the user's organisation stands to the case.
 *   oa   owning organisation, user assigned to the case      o    owning organisation, not assigned
 *   sa   shared-with organisation, user assigned             s    shared-with organisation, not assigned
 *   psa  as sa, but the case is private (sharing dormant)    ps   as s, but the case is private
 *   x    another organisation                               none no case given
 * Cells: Y allow · - deny · B allow only with break-glass (and flag it) · P allow only if the case is public-aggregate
 */
const EXPECTED = `
role        action                 oa  o   sa  s   psa ps  x   none
anonymous   aggregate.read         P   P   P   P   P   P   P   Y
public      aggregate.read         P   P   P   P   P   P   P   Y
analyst     aggregate.read         P   P   P   P   P   P   P   Y
analyst     case.list              Y   Y   Y   Y   -   -   -   -
analyst     case.search            Y   Y   Y   Y   -   -   -   -
analyst     case.export-redacted   Y   Y   Y   Y   -   -   -   -
documenter  aggregate.read         P   P   P   P   P   P   P   Y
documenter  case.create            Y   Y   -   -   -   -   -   -
documenter  case.list              Y   Y   Y   Y   -   -   -   -
documenter  case.search            Y   Y   Y   Y   -   -   -   -
documenter  case.read              Y   Y   Y   Y   -   -   -   -
documenter  person.read-basic      Y   Y   Y   Y   -   -   -   -
documenter  person.read-personal   Y   -   -   -   -   -   -   -
documenter  case.update            Y   Y   Y   Y   -   -   -   -
documenter  case.history           Y   Y   Y   Y   -   -   -   -
documenter  event.append           Y   Y   Y   Y   -   -   -   -
reviewer    aggregate.read         P   P   P   P   P   P   P   Y
reviewer    case.list              Y   Y   Y   Y   -   -   -   -
reviewer    case.search            Y   Y   Y   Y   -   -   -   -
reviewer    case.read              Y   Y   Y   Y   -   -   -   -
reviewer    person.read-basic      Y   Y   Y   Y   -   -   -   -
reviewer    case.history           Y   Y   Y   Y   -   -   -   -
reviewer    event.append           Y   Y   Y   Y   -   -   -   -
admin       aggregate.read         P   P   P   P   P   P   P   Y
admin       user.manage            Y   Y   Y   Y   Y   Y   Y   Y
admin       audit.verify           Y   Y   Y   Y   Y   Y   Y   Y
admin       case.assign            Y   Y   -   -   -   -   -   -
admin       case.list              Y   Y   -   -   -   -   -   -
admin       case.search            Y   Y   -   -   -   -   -   -
admin       case.read              Y   Y   -   -   -   -   -   -
admin       person.read-basic      Y   Y   -   -   -   -   -   -
admin       person.read-personal   B   B   -   -   -   -   -   -
`;

const COLUMNS = ['oa', 'o', 'sa', 's', 'psa', 'ps', 'x', 'none'] as const;
type Column = (typeof COLUMNS)[number];
type Cell = 'Y' | '-' | 'B' | 'P';
type RoleOrAnonymous = UserRole | 'anonymous';

function parseExpected(table: string): Map<string, Record<Column, Cell>> {
  const rows = new Map<string, Record<Column, Cell>>();
  const lines = table.trim().split('\n').slice(1);
  for (const line of lines) {
    const [role, action, ...cells] = line.trim().split(/\s+/);
    expect(cells, line).toHaveLength(COLUMNS.length);
    rows.set(`${role} ${action}`, Object.fromEntries(COLUMNS.map((c, i) => [c, cells[i] as Cell])) as Record<Column, Cell>);
  }
  return rows;
}

const OWNER = 'org-owner';
const PARTNER = 'org-partner';
const STRANGER = 'org-stranger';
const ASSIGNED_OWNER_USER = 'u-owner-assigned';
const OWNER_USER = 'u-owner';
const ASSIGNED_PARTNER_USER = 'u-partner-assigned';
const PARTNER_USER = 'u-partner';
const STRANGER_USER = 'u-stranger';

const RELATIONS = {
  oa: { userId: ASSIGNED_OWNER_USER, organisationId: OWNER },
  o: { userId: OWNER_USER, organisationId: OWNER },
  sa: { userId: ASSIGNED_PARTNER_USER, organisationId: PARTNER },
  s: { userId: PARTNER_USER, organisationId: PARTNER },
  x: { userId: STRANGER_USER, organisationId: STRANGER },
} as const;
const VISIBILITIES: readonly Visibility[] = ['private', 'shared', 'public-aggregate'];
const ROLES: readonly RoleOrAnonymous[] = ['anonymous', ...UserRole.options];

function recordWith(visibility: Visibility): RecordContext {
  return {
    owningOrganisationId: OWNER,
    sharedWithOrganisations: [PARTNER],
    // A partner's user on the assignment list must still not reach personal fields.
    assignedUserIds: [ASSIGNED_OWNER_USER, ASSIGNED_PARTNER_USER],
    visibility,
  };
}

function principalFor(role: RoleOrAnonymous, who: { userId: string; organisationId: string }, breakGlass: boolean): Principal {
  if (role === 'anonymous') return { kind: 'anonymous' };
  return { kind: 'user', role, ...who, ...(breakGlass ? { breakGlass: { reason: 'court order 123/2024 to locate the family' } } : {}) };
}

function columnFor(relation: keyof typeof RELATIONS, visibility: Visibility): Column {
  if (visibility === 'private' && relation === 'sa') return 'psa';
  if (visibility === 'private' && relation === 's') return 'ps';
  return relation;
}

function expectedOutcome(cell: Cell, visibility: Visibility | null, breakGlass: boolean): { allow: boolean; breakGlassLogged: boolean } {
  switch (cell) {
    case 'Y':
      return { allow: true, breakGlassLogged: false };
    case '-':
      return { allow: false, breakGlassLogged: false };
    case 'B':
      return { allow: breakGlass, breakGlassLogged: breakGlass };
    case 'P':
      return { allow: visibility === 'public-aggregate', breakGlassLogged: false };
  }
}

describe('access policy: the full matrix', () => {
  const expected = parseExpected(EXPECTED);
  const DENY_ALL = Object.fromEntries(COLUMNS.map((c) => [c, '-'])) as Record<Column, Cell>;

  it('lists only known roles and actions in the expected table', () => {
    for (const key of expected.keys()) {
      const [role, action] = key.split(' ');
      expect(ROLES).toContain(role);
      expect(ACTIONS).toContain(action);
    }
  });

  it('matches the expected table for role × action × relation × visibility × break-glass', () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const role of ROLES) {
      for (const action of ACTIONS) {
        const row = expected.get(`${role} ${action}`) ?? DENY_ALL;
        for (const breakGlass of [false, true]) {
          const check = (label: string, cell: Cell, visibility: Visibility | null, principal: Principal, record?: RecordContext) => {
            const want = expectedOutcome(cell, visibility, breakGlass);
            const got = decide(principal, action, record);
            checked += 1;
            if (got.allow !== want.allow || (got.breakGlassLogged ?? false) !== want.breakGlassLogged || got.reason === '') {
              mismatches.push(`${role} ${action} ${label} breakGlass=${breakGlass}: want ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
            }
          };
          for (const visibility of VISIBILITIES) {
            for (const relation of Object.keys(RELATIONS) as (keyof typeof RELATIONS)[]) {
              const column = columnFor(relation, visibility);
              check(`${relation}/${visibility}`, row[column], visibility, principalFor(role, RELATIONS[relation], breakGlass), recordWith(visibility));
            }
          }
          check('no-record', row.none, null, principalFor(role, RELATIONS.o, breakGlass));
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(ROLES.length * ACTIONS.length * 2 * (VISIBILITIES.length * 5 + 1));
  });
});

describe('access policy: properties', () => {
  const orgs = ['org-a', 'org-b', 'org-c', ''];
  const users = ['u-1', 'u-2', 'u-3', ''];
  const principal = fc.oneof(
    fc.constant<Principal>({ kind: 'anonymous' }),
    fc.record({
      kind: fc.constant('user' as const),
      userId: fc.constantFrom(...users),
      role: fc.constantFrom(...UserRole.options),
      organisationId: fc.constantFrom(...orgs),
      breakGlass: fc.option(fc.record({ reason: fc.constantFrom('', '   ', 'court order', 'family request') }), { nil: undefined }),
    }),
  );
  const record = fc.record({
    owningOrganisationId: fc.constantFrom(...orgs),
    sharedWithOrganisations: fc.subarray(orgs),
    assignedUserIds: fc.subarray(users),
    visibility: fc.constantFrom<Visibility>('private', 'shared', 'public-aggregate'),
  });
  const action = fc.constantFrom(...ACTIONS);
  const runs = { numRuns: 5000 };

  it('never lets anyone outside the owning organisation read personal fields', () => {
    fc.assert(
      fc.property(principal, record, (p, r) => {
        const d = decide(p, 'person.read-personal', r);
        if (d.allow) {
          expect(p.kind).toBe('user');
          expect(p.kind === 'user' && p.organisationId !== '' && p.organisationId === r.owningOrganisationId).toBe(true);
        }
      }),
      runs,
    );
  });

  it('lets anonymous visitors and the public role do nothing but read aggregates', () => {
    fc.assert(
      fc.property(principal, action, fc.option(record, { nil: undefined }), (p, a, r) => {
        if (p.kind === 'anonymous' || p.role === 'public') {
          if (decide(p, a, r).allow) expect(a).toBe('aggregate.read');
        }
      }),
      runs,
    );
  });

  it('flags break-glass only for an admin reading personal fields with a stated reason', () => {
    fc.assert(
      fc.property(principal, action, record, (p, a, r) => {
        const d = decide(p, a, r);
        if (d.breakGlassLogged) {
          expect(d.allow).toBe(true);
          expect(a).toBe('person.read-personal');
          expect(p.kind === 'user' && p.role === 'admin' && (p.breakGlass?.reason.trim() ?? '') !== '').toBe(true);
        }
      }),
      runs,
    );
  });

  it('grants case actions only inside the owning or a sharing organisation', () => {
    const unscoped: readonly Action[] = ['aggregate.read', 'user.manage', 'audit.verify'];
    fc.assert(
      fc.property(principal, action, record, (p, a, r) => {
        if (unscoped.includes(a) || !decide(p, a, r).allow) return;
        expect(p.kind).toBe('user');
        if (p.kind !== 'user') return;
        const owning = p.organisationId === r.owningOrganisationId;
        const sharing = r.visibility !== 'private' && r.sharedWithOrganisations.includes(p.organisationId);
        expect(p.organisationId !== '' && (owning || sharing)).toBe(true);
      }),
      runs,
    );
  });

  it('denies what it does not know', () => {
    const r: RecordContext = { owningOrganisationId: 'o', sharedWithOrganisations: [], assignedUserIds: ['u'], visibility: 'shared' };
    const admin: Principal = { kind: 'user', userId: 'u', role: 'admin', organisationId: 'o', breakGlass: { reason: 'x' } };
    for (const a of ['case.delete', 'case.edit', 'person.update', '']) expect(decide(admin, a as Action, r).allow, a).toBe(false);
    const stranger = { kind: 'user', userId: 'u', role: 'superuser', organisationId: 'o' } as unknown as Principal;
    for (const a of ACTIONS.filter((x) => x !== 'aggregate.read')) expect(decide(stranger, a, r).allow, a).toBe(false);
  });
});

describe('redactPerson', () => {
  const person = { id: 7, role: 'victim', sex: 'female', name: 'N.N.', contact: '+52 55 5555 5555', testimony: 'what happened' };

  it('nulls every personal field, present or not, and keeps the rest', () => {
    const redacted = redactPerson(person, false);
    expect(redacted).toEqual({ id: 7, role: 'victim', sex: 'female', name: null, contact: null, address: null, dateOfBirth: null, testimony: null });
    for (const f of PERSONAL_FIELDS) expect(redacted[f]).toBeNull();
  });

  it('keeps personal fields for an authorised reader and does not touch the input', () => {
    expect(redactPerson(person, true)).toEqual({ ...person, address: null, dateOfBirth: null });
    expect(person.name).toBe('N.N.');
  });
});
