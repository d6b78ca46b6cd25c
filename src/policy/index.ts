export * from './policy-types';
export * from './policy-report';
export * from './restricted-profile';
export * from './manifest-policy';
export * from './policy-check';
export * from './waivers';
