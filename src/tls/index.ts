export * from './certificate-types';
export * from './certificate-bundle-props';
export * from './certificate-bundle';
