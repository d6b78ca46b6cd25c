export * from './workload-options';
export * from './workload-props';
export * from './workload-manifest';
export * from './deployment-manifest';
export * from './stateful-manifest';
export * from './scheduled-backup';
