export * from './certificate-types';
export * from './certificate-bundle';
