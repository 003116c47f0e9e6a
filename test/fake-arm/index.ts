/**
 * The fake Azure for tests: the server lives in electron/azure/fake-arm (it also powers
 * `pull --demo-azure`); this folder adds the hand-made test estates and comparison helpers.
 */
export { startFakeArm, defaultFaults, type FakeArm, type FakeArmOptions, type FakeEstate, type FakeFaults, type FakeResource, type FakeStats } from '../../electron/azure/fake-arm/server';
export { parseGraphProjection, parseGraphQueryTypes } from '../../electron/azure/fake-arm/graph-query';
export * from './estates';
