export * from './zones';
export * from './private-endpoints';
export * from './resolve-name';
