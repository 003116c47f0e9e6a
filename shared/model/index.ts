export * from './gaps';
export * from './ids';
export * from './ip';
export * from './snapshot';
export * from './topology';
export * from './errors';
export * from './tags';
export * from './arm-values';
