export { createToken, listTokens, revokeToken, verifyToken, type CreatedToken, type TokenInfo } from './tokens.js';
export { addEvidence, currentStatus, listEvidence, type EvidenceFilter } from './evidence.js';
export {
  SCORECARD_METHOD, ScorecardCache, assess, computeScorecard, freshness, periodYears, type Assessment, type IndicatorScore, type NodeScore, type Scorecard,
  type ScorecardOptions,
} from './scorecard.js';
export { reportedFigures, type ReportedComparison } from './reported.js';
export { listAssistance, pipelineByYear, type StoredAssistanceLine } from './assistance.js';
