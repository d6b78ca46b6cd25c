// One name per public type: every room's types are exported from the package root, like cdk8s-plus,
// and nowhere else (a namespace re-export would make jsii record each type twice). API.md and
// the README group the types by room for discovery.
export * from './core';
export * from './pod';
export * from './workloads';
export * from './delivery';
export * from './config';
export * from './networking';
export * from './tls';
export * from './clusters';
export * from './monitoring';
export * from './mcp';
export * from './helm';
export * from './compose';
export * from './policy';
export * from './blueprints';
