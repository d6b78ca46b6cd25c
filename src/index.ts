// Every public name is importable from the package root, as before the rooms existed.
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

// The same names grouped by domain, for discovery: `import { helm, tls } from 'cdk8s-deploykit'`.
// jsii records each as a submodule whose types repeat the root ones; other jsii languages should use
// the root names, which are the types' canonical names (docs/DESIGN.md).
export * as core from './core';
export * as pod from './pod';
export * as workloads from './workloads';
export * as delivery from './delivery';
export * as config from './config';
export * as networking from './networking';
export * as tls from './tls';
export * as clusters from './clusters';
export * as monitoring from './monitoring';
export * as mcp from './mcp';
export * as helm from './helm';
export * as compose from './compose';
export * as policy from './policy';
export * as blueprints from './blueprints';
