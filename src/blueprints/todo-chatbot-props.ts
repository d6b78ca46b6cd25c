import { TodoImageOptions } from './todo-image-options';
import { MinikubeClusterProps } from '../clusters/minikube-cluster';
import { Environment } from '../core/environment';
import { RateLimiting } from '../networking/ingress-configuration';
import { CertificateProvider } from '../tls/certificate-types';
import { ScalingConfig } from '../workloads/workload-options';

/** Props of the TodoChatbot blueprint (seeds 001 and 002). */
export interface TodoChatbotProps {
  /**
   * Target environment: "latest" tags are refused outside development; pull policy and labels follow it.
   * @default Environment.PRODUCTION
   */
  readonly environment?: Environment;
  /**
   * Run `PolicyCheck` (schema, Pod Security Standards restricted, `ManifestPolicy`) on the chart in
   * `app.synth()`: an error fails the synth, a warning is printed.
   * @default true
   */
  readonly policyCheck?: boolean;
  /**
   * Namespace.
   * @default "todo"
   */
  readonly namespace?: string;
  /**
   * The frontend image (port 3000).
   * @default - todo-frontend:1.0.0
   */
  readonly frontendImage?: TodoImageOptions;
  /**
   * The backend image (port 8000).
   * @default - todo-backend:1.0.0
   */
  readonly backendImage?: TodoImageOptions;
  /**
   * The PostgreSQL image. The default is Bitnami's non-root image (uid 1001, data in
   * /bitnami/postgresql), whose tags are semantic versions; pick your own mirror of it as you see fit.
   * Another image may need another user and data path.
   * @default - bitnamilegacy/postgresql:16.4.0
   */
  readonly databaseImage?: TodoImageOptions;
  /**
   * Frontend autoscaling.
   * @default - 2 to 4 replicas at 70% CPU
   */
  readonly frontendScaling?: ScalingConfig;
  /**
   * Backend autoscaling.
   * @default - 2 to 4 replicas at 70% CPU
   */
  readonly backendScaling?: ScalingConfig;
  /**
   * The frontend path probed for startup, readiness and liveness.
   * @default "/"
   */
  readonly frontendHealthPath?: string;
  /**
   * The backend path probed for startup, readiness and liveness.
   * @default "/health"
   */
  readonly backendHealthPath?: string;
  /**
   * LOG_LEVEL of the backend.
   * @default "info"
   */
  readonly logLevel?: string;
  /**
   * Database name (lower-case PostgreSQL identifier).
   * @default "todo"
   */
  readonly databaseName?: string;
  /**
   * Database user (lower-case PostgreSQL identifier).
   * @default "todo"
   */
  readonly databaseUser?: string;
  /**
   * Database password, stored as POSTGRES_PASSWORD in the Secret `todo-postgres-credentials`.
   * @default - the Secret is managed outside the chart (existingSecret) and must hold POSTGRES_PASSWORD
   */
  readonly databasePassword?: string;
  /**
   * JWT signing secret, stored as JWT_SECRET in the Secret `todo-backend-secrets`.
   * @default - the Secret is managed outside the chart (existingSecret) and must hold JWT_SECRET
   */
  readonly jwtSecret?: string;
  /**
   * The key of the AI provider's API key in the Secret `todo-ai-provider`, which is always managed
   * outside the chart (existingSecret).
   * @default "OPENAI_API_KEY"
   */
  readonly aiApiKeyName?: string;
  /**
   * Size of the database volume, at least 1Gi.
   * @default "5Gi"
   */
  readonly databaseStorageSize?: string;
  /**
   * StorageClass of the database volume.
   * @default - the cluster's default (minikube's "standard")
   */
  readonly databaseStorageClass?: string;
  /**
   * Host name of the Ingress.
   * @default "todo.local"
   */
  readonly hostname?: string;
  /**
   * The `kubernetes.io/tls` Secret with the certificate for the host name, made elsewhere.
   * @default - the Secret `todo-tls`: made here with `tlsCertificate`, else outside the chart
   * (`kubectl create secret tls todo-tls ...`); none with `plainHttp`
   */
  readonly tlsSecretName?: string;
  /**
   * Serve the Ingress over plain HTTP, without TLS (for example `todo.local` on minikube without
   * certificates). `PolicyCheck` then warns (`ingress-tls`) unless you waive it on `ingress.apiObject`.
   * @default false
   */
  readonly plainHttp?: boolean;
  /**
   * Make the Ingress's certificate here: a `todo-tls` CertificateBundle for the host name, signed by
   * its own CA, generated at synth or (CERT_MANAGER) issued by cert-manager in the cluster.
   * Ignored when `tlsSecretName` is set.
   * @default - none
   */
  readonly tlsCertificate?: CertificateProvider;
  /**
   * Per-client rate limits of the Ingress.
   * @default - 10 requests per second, burst multiplier 5, 20 connections
   */
  readonly rateLimiting?: RateLimiting;
  /**
   * Namespace of the ingress controller, the only one admitted to the frontend and backend from outside.
   * @default "ingress-nginx" (`minikube addons enable ingress`)
   */
  readonly ingressControllerNamespace?: string;
  /**
   * A minikube cluster that must fit the whole system at its maximum scale.
   * @default - no fit check
   */
  readonly cluster?: MinikubeClusterProps;
}
