export * from './delivery-types';
export { SecretDelivery } from './secret-delivery';
export type { SecretDeliveryProps } from './secret-delivery';
