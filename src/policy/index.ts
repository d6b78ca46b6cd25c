export * from './restricted-profile';
export * from './manifest-policy';
