/**
 * A gap is something Egress Atlas could not see or could not model. Gaps are never dropped: the
 * snapshot, the CLI, the UI and the evidence PDF all show them, so a result is never silently
 * incomplete.
 */
export type GapCode =
  | 'unsupported-resource-type'   // an ARM type the model does not understand (ignored, counted)
  | 'access-denied'               // 401/403 on a subscription, resource group or type
  | 'throttled'                   // 429 that exhausted its retries
  | 'timeout'                     // a request or long-running operation that did not finish
  | 'request-failed'              // any other failed read
  | 'effective-routes-unavailable'// e.g. NicMustBeAttachedToRunningVmToGetEffectiveRoutes
  | 'metrics-unavailable'
  | 'missing-reference'           // a resource references one that is not in the model
  | 'skipped-input'               // a file or resource of the input that could not be read (not JSON, malformed) and was left out
  | 'not-modelled';               // e.g. IPv6 egress, service-tag UDR prefixes

export interface Gap {
  readonly code: GapCode;
  /** What could not be read or modelled: a resource ID, subscription ID, file or resource type. */
  readonly scope: string;
  /** Why, in a sentence a user understands. */
  readonly message: string;
  /** How many items this gap covers (e.g. 12 resources of an unsupported type). */
  readonly count?: number;
}
