export * from './compose-file';
