/**
 * Egress intent as code (`egress-atlas check`): parse a policy, check an estate against it, write
 * the result as JSON (`egress-atlas/check@1`), SARIF or JUnit. Pure: the CLI reads files, the app
 * can call the same functions on a policy it loaded.
 *
 *   parsePolicy(text, fileName) → Policy                 (throws PolicyError: file, line, field)
 *   readPolicy(text, fileName)  → ok | every issue       (never throws)
 *   checkPolicy(input, policy, { now, destination? }) → CheckResult
 *   toSarif(result, { policyUri, toolVersion }) / toJunit(result)
 */
export * from './types';
export { formatIssue, parsePolicy, parseUtcDay, parseZonedDateTime, PolicyError, readPolicy } from './parse';
export type { PolicyIssue, PolicyParse } from './parse';
export { buildSources, checkExitCode, checkPolicy, entryCovered, gapMayBeInScope, inScope, leavesEstateUnread, serviceTagIndexOf, transportOf, unreadGaps } from './evaluate';
export type { CheckOptions, SourceInfo } from './evaluate';
export { fingerprint, gapText, sourceLabel, toJunit, toSarif, unmatchedScopeText, xmlEscape, SARIF_SCHEMA_URI } from './report';
export type { SarifLog, SarifOptions } from './report';
