export * from './entities/workload-volume';
