export * from './rescan';
export * from './todo-chatbot';
export * from './rcc-remote';
export * from './todo-image-options';
