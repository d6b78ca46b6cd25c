export * from './rescan';
export * from './todo-chatbot';
