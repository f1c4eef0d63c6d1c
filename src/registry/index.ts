// The case registry's pure core: access policy, envelope encryption, audit chain and public aggregates.
export { ACTIONS, decide, redactPerson } from './policy.js';
export type { Action, Decision, Principal, RecordContext, Visibility } from './policy.js';
export {
  CryptoError,
  MASTER_KEY_ENV,
  MIN_PASSWORD_LENGTH,
  RECEIPT_ALPHABET,
  decryptField,
  encryptField,
  fieldAad,
  hashPassword,
  hashToken,
  loadMasterKey,
  newDataKey,
  newReceiptCode,
  newToken,
  normaliseReceiptCode,
  unwrapKey,
  verifyPassword,
  wrapKey,
} from './crypto.js';
export { AuditError, GENESIS_HASH, assertNoPersonalData, canonicalJson, chainEntry, headOf, verifyChain } from './audit.js';
export type { AuditDetail, AuditEntry, AuditFields, AuditHead, ChainVerdict } from './audit.js';
export { SUPPRESSION_THRESHOLD, funnel, isSmallCount, suppress, suppressCount, suppressTable } from './aggregate.js';
export type { CountCell, FunnelCase, FunnelDimension, FunnelRow, PublishedCell, PublishedCount, SuppressedTable } from './aggregate.js';
export { REGISTRY_DDL, REGISTRY_TABLES, ensureRegistrySchema } from './schema.js';
export {
  CaseAccess,
  FUNNEL_GROUP_BY,
  ForbiddenError,
  LOGIN_LOCK_MINUTES,
  LOGIN_MAX_FAILURES,
  NewUser,
  OPERATOR_PRINCIPAL,
  SESSION_HOURS,
  addPerson,
  appendCaseVersion,
  appendEvent,
  assignCase,
  caseHistory,
  createCase,
  createOrganisation,
  createUser,
  erasePerson,
  exportRedacted,
  importCases,
  importCasesText,
  CASE_CSV_COLUMNS,
  funnelAggregates,
  getCase,
  intakeStatus,
  listCases,
  login,
  parseCaseWrite,
  principalFromToken,
  readPerson,
  revokeSession,
  searchCases,
  submitIntake,
  verifyAudit,
} from './repository.js';
export type {
  CaseDetail,
  CaseHistory,
  CaseSummary,
  CaseView,
  EventView,
  FunnelAggregates,
  IntakeReceipt,
  IntakeStatus,
  LoginResult,
  Organisation,
  PersonView,
  RegistryBase,
  RegistryContext,
  User,
} from './repository.js';
export { ENTERED, FUNNEL_SERIES, REGISTRY_SOURCE, publishFunnel, type FunnelPublication } from './indicators.js';
