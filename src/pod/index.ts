export * from './container-image';
export * from './health-endpoint';
export * from './resource-limits';
export * from './security-profile';
export * from './scheduling';
export * from './workload-volume';
