export * from './restricted-profile';
