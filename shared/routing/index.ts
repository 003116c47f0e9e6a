export * from './route';
export * from './system-routes';
export * from './lpm';
export * from './subnet-routes';
export * from './peering';
export * from './private-endpoint-routes';
