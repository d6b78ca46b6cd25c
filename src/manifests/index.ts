/*
 * The one reader of synthesized objects. Helm, compose, policy and the cluster checks read objects
 * only through this room; it imports nothing but `core`.
 */
export * from './objects';
export * from './selectors';
export * from './pod-templates';
export * from './references';
export * from './quantities';
export * from './manifest-set';
export * from './rendered-objects';
export * from './network-policies';
export * from './flows';
