export * from './target-cluster';
export * from './minikube-cluster';
