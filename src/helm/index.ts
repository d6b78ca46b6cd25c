export * from './helm-chart';
export * from './value-parameter';
