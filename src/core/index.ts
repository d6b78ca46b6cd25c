export * from './environment';
export * from './protocol';
export * from './pod-security';
export type { ObjectLabelProps } from './labels';
export { checkObjectLabels, objectLabels } from './labels';
export type { ConstructWarning } from './construct-warnings';
export { Warnings } from './construct-warnings';
