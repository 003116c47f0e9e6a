export * from './route';
export * from './system-routes';
export * from './lpm';
export * from './subnet-routes';
export * from './peering';
