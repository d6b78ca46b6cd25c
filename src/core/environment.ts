/** The environment a deployment manifest targets (seed 000 Deployment Manifest `environment`). */
export enum Environment {
  /** Local development: images pulled IfNotPresent, `latest` tags allowed. */
  DEVELOPMENT = 'development',
  /** Pre-production. */
  STAGING = 'staging',
  /** Production: images pulled Always, pinned tags required. */
  PRODUCTION = 'production',
}
