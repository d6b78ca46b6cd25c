export * from './monitoring-metrics';
