/** Where an image of the Todo chatbot comes from (seed 001 Container Images: repository, name, tag). */
export interface TodoImageOptions {
  /**
   * Registry host, such as "ghcr.io".
   * @default - Docker Hub (or the node's own images, as with `minikube image load`)
   */
  readonly registry?: string;
  /**
   * Repository.
   * @default "todo-frontend", "todo-backend" or "bitnamilegacy/postgresql"
   */
  readonly repository?: string;
  /**
   * Tag: a semantic version, or "latest" in development only.
   * @default "1.0.0" for the apps, "16.4.0" for PostgreSQL
   */
  readonly tag?: string;
  /**
   * Digest ("sha256:...") pinning the image.
   * @default - none
   */
  readonly digest?: string;
}
