import { PERSONAL_FIELDS } from '../domain/index.js';
import type { PersonalField, UserRole } from '../domain/index.js';

/*
 * Who may do what with a case: one pure function, deny by default. Every route and every store query asks it;
 * nothing else decides. There is no delete and no edit-in-place action: corrections append a new version.
 */

export type Principal =
  | { readonly kind: 'anonymous' }
  | {
      readonly kind: 'user';
      readonly userId: string;
      readonly role: UserRole;
      readonly organisationId: string;
      /** An admin's emergency access to personal fields; the caller must write the reason to the audit log. */
      readonly breakGlass?: { readonly reason: string };
    };

/**
 * `private`: only the owning organisation sees the case (its sharing list is kept but dormant).
 * `shared`: the organisations in `sharedWithOrganisations` see it too.
 * `public-aggregate`: as `shared`, and the case may be counted in the public aggregates.
 */
export type Visibility = 'private' | 'shared' | 'public-aggregate';

export interface RecordContext {
  readonly owningOrganisationId: string;
  readonly sharedWithOrganisations: readonly string[];
  readonly assignedUserIds: readonly string[];
  readonly visibility: Visibility;
}

export const ACTIONS = [
  'case.list',
  'case.read',
  'case.create',
  /** Appends a new version; nothing is edited in place. */
  'case.update',
  'case.history',
  'person.read-personal',
  'person.read-basic',
  'event.append',
  'case.export-redacted',
  'case.search',
  'aggregate.read',
  'audit.verify',
  'user.manage',
  'case.assign',
] as const;
export type Action = (typeof ACTIONS)[number];

export interface Decision {
  readonly allow: boolean;
  readonly reason: string;
  /** Set when the grant rests on break-glass: the caller must write an audit entry with the reason before reading. */
  readonly breakGlassLogged?: boolean;
}

/** How the principal's organisation stands to the record. */
type Relation = 'owning' | 'shared' | 'none';

/** Actions that need no record: they are not about one case. */
const ORGANISATION_ACTIONS: Partial<Record<UserRole, readonly Action[]>> = {
  admin: ['user.manage', 'audit.verify'],
};

/** Per role, the case actions it may take and the relations under which it may take them. */
const CASE_GRANTS: Record<UserRole, Partial<Record<Action, readonly Relation[]>>> = {
  public: {},
  analyst: {
    'case.list': ['owning', 'shared'],
    'case.search': ['owning', 'shared'],
    'case.export-redacted': ['owning', 'shared'],
  },
  documenter: {
    'case.create': ['owning'],
    'case.list': ['owning', 'shared'],
    'case.search': ['owning', 'shared'],
    'case.read': ['owning', 'shared'],
    'person.read-basic': ['owning', 'shared'],
    'case.update': ['owning', 'shared'],
    'case.history': ['owning', 'shared'],
    'event.append': ['owning', 'shared'],
  },
  reviewer: {
    'case.list': ['owning', 'shared'],
    'case.search': ['owning', 'shared'],
    'case.read': ['owning', 'shared'],
    'person.read-basic': ['owning', 'shared'],
    'case.history': ['owning', 'shared'],
    'event.append': ['owning', 'shared'],
  },
  admin: {
    'case.list': ['owning'],
    'case.search': ['owning'],
    'case.read': ['owning'],
    'person.read-basic': ['owning'],
    'case.assign': ['owning'],
  },
};

const allow = (reason: string): Decision => ({ allow: true, reason });
const deny = (reason: string): Decision => ({ allow: false, reason });

function relationOf(organisationId: string, record: RecordContext): Relation {
  // An empty id must never match an empty id.
  if (organisationId === '') return 'none';
  if (record.owningOrganisationId === organisationId) return 'owning';
  if (record.visibility !== 'private' && record.sharedWithOrganisations.includes(organisationId)) return 'shared';
  return 'none';
}

/** Decide whether `principal` may take `action` (on `record` when the action is about one case). Deny by default. */
export function decide(principal: Principal, action: Action, record?: RecordContext): Decision {
  // Everyone may read the published aggregates; a case counts in them only if its visibility says so.
  if (action === 'aggregate.read') {
    if (record && record.visibility !== 'public-aggregate') return deny(`the case is ${record.visibility}: not counted in public aggregates`);
    return allow('public aggregates are open to everyone');
  }
  if (principal.kind !== 'user') return deny('anonymous visitors may only read public aggregates');
  const role = principal.role;

  if (ORGANISATION_ACTIONS[role]?.includes(action)) return allow(`${role} may ${action}`);

  if (action === 'person.read-personal') return decidePersonal(principal, record);

  const relations = CASE_GRANTS[role]?.[action];
  if (!relations) return deny(`${role} may not ${action}`);
  if (!record) return deny(`${action} is decided per case: no case given`);
  const relation = relationOf(principal.organisationId, record);
  if (relation === 'none') return deny('the case is neither owned by nor shared with the user’s organisation');
  if (!relations.includes(relation)) return deny(`${role} may ${action} only cases their organisation owns`);
  return allow(`${role} may ${action} cases their organisation ${relation === 'owning' ? 'owns' : 'shares'}`);
}

function decidePersonal(principal: Extract<Principal, { kind: 'user' }>, record: RecordContext | undefined): Decision {
  if (!record) return deny('personal fields are decided per case: no case given');
  // Personal data never leaves the owning organisation, whatever the sharing or the role.
  if (relationOf(principal.organisationId, record) !== 'owning') return deny('personal fields are readable only inside the owning organisation');
  if (principal.role === 'documenter') {
    return record.assignedUserIds.includes(principal.userId)
      ? allow('documenter assigned to the case in the owning organisation')
      : deny('only documenters assigned to the case may read personal fields');
  }
  if (principal.role === 'admin') {
    const reason = principal.breakGlass?.reason.trim() ?? '';
    return reason === ''
      ? deny('admins read personal fields only with break-glass and a stated reason')
      : { allow: true, reason: `break-glass: ${reason}`, breakGlassLogged: true };
  }
  return deny(`${principal.role} may not read personal fields`);
}

type Redacted<P> = Omit<P, PersonalField> & { [K in PersonalField]: string | null };

/** The person with every personal field null unless the reader may see them (absent fields become null either way, so a redacted record does not reveal which fields exist). */
export function redactPerson<P extends Partial<Record<PersonalField, string | null | undefined>>>(person: P, canReadPersonal: boolean): Redacted<P> {
  const copy: Record<string, unknown> = { ...person };
  for (const field of PERSONAL_FIELDS) copy[field] = canReadPersonal ? (person[field] ?? null) : null;
  return copy as Redacted<P>;
}
