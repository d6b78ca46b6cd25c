export * from './service-configuration';
export * from './network-policy-options';
export * from './ingress-configuration';
export * from './namespace';
