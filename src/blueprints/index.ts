export * from './rescan';
export * from './todo-chatbot';
export * from './todo-chatbot-props';
export * from './rcc-remote';
export * from './todo-image-options';
export * from './toolhive-options';
export * from './toolhive-registry';
