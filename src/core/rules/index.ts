export * from '../findings';
export * from './names';
export * from './numbers';
export * from './quantity';
export * from './versions';
export * from './image-reference';
export * from './urls';
export * from './schedule';
