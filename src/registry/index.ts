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
  passwordVerifications,
  unwrapKey,
  verifyPassword,
  wrapKey,
} from './crypto.js';
export { AuditError, GENESIS_HASH, assertNoPersonalData, canonicalJson, chainEntry, headOf, verifyChain } from './audit.js';
export type { AuditDetail, AuditEntry, AuditFields, AuditHead, ChainVerdict } from './audit.js';
export { SUPPRESSION_THRESHOLD, funnel, isSmallCount, suppress, suppressCount, suppressTable } from './aggregate.js';
export type { CountCell, FunnelCase, FunnelDimension, FunnelRow, PublishedCell, PublishedCount, SuppressedTable } from './aggregate.js';
export { REGISTRY_DDL, REGISTRY_TABLES, ensureRegistrySchema } from './schema.js';
export { ForbiddenError, LOGIN_LOCK_MINUTES, LOGIN_MAX_FAILURES, OPERATOR_PRINCIPAL, SESSION_HOURS } from './context.js';
export type { RegistryBase, RegistryContext } from './context.js';
export { NewUser, createOrganisation, createUser } from './accounts.js';
export type { Organisation, User } from './accounts.js';
export { DEVICE_DAYS, LOGIN_ADDRESS_WINDOW_MS, LOGIN_ATTEMPTS_PER_ADDRESS, LOGIN_GATE, login, principalFromToken, revokeSession } from './auth.js';
export type { LoginOptions, LoginResult } from './auth.js';
export { Gate, GateFullError } from './gate.js';
export { hitLimit, refundLimit } from './limits.js';
export type { LimitHit } from './limits.js';
export { CaseAccess, appendCaseVersion, assignCase, createCase, parseCaseWrite } from './cases.js';
export type { CaseSummary, CaseView } from './cases.js';
export { addPerson, erasePerson, readPerson } from './persons.js';
export type { PersonView } from './persons.js';
export { appendEvent } from './events.js';
export type { EventView } from './events.js';
export { caseHistory, exportRedacted, getCase, listCases, searchCases } from './case-reading.js';
export type { CaseDetail, CaseHistory } from './case-reading.js';
export { FUNNEL_GROUP_BY, funnelAggregates } from './public-funnel.js';
export type { FunnelAggregates } from './public-funnel.js';
export { INTAKE_GLOBAL_PER_HOUR, INTAKE_PER_ADDRESS_PER_HOUR, INTAKE_SLOW_GATE, RateLimitedError, intakeStatus, receiveIntake, submitIntake } from './intake.js';
export type { IntakeLimits, IntakeReceipt, IntakeStatus } from './intake.js';
export { CASE_CSV_COLUMNS, importCases, importCasesText } from './case-import.js';
export type { CaseImportSummary } from './case-import.js';
export { verifyAudit } from './audit-log.js';
export { ENTERED, FUNNEL_SERIES, REGISTRY_SOURCE, publishFunnel, type FunnelPublication } from './indicators.js';
