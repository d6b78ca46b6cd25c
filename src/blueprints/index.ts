export * from './rescan';
export * from './todo-chatbot';
export * from './todo-image-options';
