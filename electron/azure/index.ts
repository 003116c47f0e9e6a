/** The only module that talks to Azure (`@azure/*` stays inside electron/azure). */
export { pullSnapshot, pullEstate, DEFAULT_BUDGETS, type PullOptions, type PullOutcome, type PullBudgets } from './pull';
export { createCredential, staticTokenCredential, AUTH_METHODS, type AuthMethod, type CredentialOptions } from './credential';
export { CLOUDS, parseCloudName, parseArmEndpoint, resolveCloudTarget, isLoopbackHost, ArmEndpointError, type CloudTarget } from './clouds';
export { systemClock, scaledClock, PullCancelledError, type Clock } from './clock';
export { PullStats, ReadOnlyViolationError, isReadOnlyRequest } from './policies';
