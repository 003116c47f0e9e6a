/**
 * Observed traffic (issue 13), pure:
 *   parseLogFile(fileName, text) → ParsedLog        (any understood shape; InputError otherwise)
 *   analyzeTraffic(input, logs, { since }) → TrafficResult (`egress-atlas/traffic@1`)
 *   createTrafficAggregator + parseLogFileInto + finishTraffic: the same, streamed file by file
 *   (records folded into per-source counters as they are parsed; memory independent of the input size)
 * The CLI reads the files; the app and a live `pull --logs` can hand over ParsedLogs the same way.
 */
export * from './types';
export { createLogReadSession, parseLogFile, parseLogFileInto, UNDERSTOOD_FORMATS } from './parse';
export type { LogReadSession } from './parse';
export { analyzeTraffic, createTrafficAggregator, DEFAULT_DENIED_THRESHOLD, finishTraffic, modelViewOf, ruleLabel } from './analyze';
export type { TrafficAggregator, TrafficOptions } from './analyze';
export { buildAttributionIndex } from './attribute';
export type { Attribution, AttributionIndex } from './attribute';
export { parseFirewallMessage } from './firewall';
export { bytesText } from './format';
export { compareWithPolicy, judgeObserved } from './policy';
export type { PolicyComparison, PolicyObservation, PolicySubject } from './policy';
