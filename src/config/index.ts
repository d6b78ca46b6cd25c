export * from './config-map-configuration';
export * from './secret-configuration';
export * from './persistent-storage';
export * from './sample-catalog';
export * from './catalog-source';
