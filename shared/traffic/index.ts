/**
 * Observed traffic (issue 13), pure:
 *   parseLogFile(fileName, text) → ParsedLog        (any understood shape; InputError otherwise)
 *   analyzeTraffic(input, logs, { since }) → TrafficResult (`egress-atlas/traffic@1`)
 * The CLI reads the files; the app and a live `pull --logs` can hand over ParsedLogs the same way.
 */
export * from './types';
export { parseLogFile, UNDERSTOOD_FORMATS } from './parse';
export { analyzeTraffic, DEFAULT_DENIED_THRESHOLD, modelViewOf, ruleLabel } from './analyze';
export type { TrafficOptions } from './analyze';
export { buildAttributionIndex } from './attribute';
export type { Attribution, AttributionIndex } from './attribute';
export { parseFirewallMessage } from './firewall';
export { bytesText } from './format';
export { compareWithPolicy, judgeObserved } from './policy';
export type { PolicyComparison, PolicyObservation, PolicySubject } from './policy';
