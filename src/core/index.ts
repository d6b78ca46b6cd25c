export * from './environment';
export * from './protocol';
export type { ObjectLabelProps } from './labels';
export { checkObjectLabels, objectLabels } from './labels';
export type { ConstructWarning } from './warnings';
export { Warnings } from './warnings';
