import { checkArgsOrThrow } from '../core/validation';
import { ContainerImage } from '../pod/container-image';
import { ResourceLimits } from '../pod/resource-limits';

/** How catalog ZIP files reach the pods (a cluster cannot read the files on the synth machine). */
export enum CatalogSourceType {
  /** An OCI image that carries the ZIP files; an init container copies them out of it. */
  IMAGE = 'image',
  /** An https folder serving the ZIP files; an init container downloads them with curl. */
  HTTPS = 'https',
}

/**
 * Where the pods fetch sample catalogs (seed 000 Sample Catalog: 50-200 MB ZIP files, which never go
 * into a ConfigMap). Either way each ZIP is found by its file name (the last part of the catalog's
 * `zipFilePath`), and the import verifies its size and SHA-256 again before importing it.
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { CatalogSource, ContainerImage } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'rcc', { namespace: 'rcc' });
 *
 * // an image built from the catalog folder:
 * //   FROM busybox:1.36.1
 * //   COPY catalogs/*.zip /catalogs/
 * const fromImage = CatalogSource.fromImage(new ContainerImage(chart, 'catalog-image', {
 *   registry: 'ghcr.io', repository: 'acme/rcc-catalogs', tag: '2024.6.0',
 * }));
 * // or a web server holding https://files.example.com/catalogs/python311.zip:
 * const fromUrl = CatalogSource.fromUrl('https://files.example.com/catalogs',
 *   new ContainerImage(chart, 'curl', { repository: 'curlimages/curl', tag: '8.11.1' }));
 */
export class CatalogSource {
  /**
   * An OCI image that carries the catalog ZIP files in `directory`, each under its file name. The
   * image needs `cp` (any image built `FROM busybox` has it); it runs with the workload's security
   * profile (non-root, read-only root file system).
   * @param image the image; pin it (a semantic version tag or a digest) outside development
   * @param directory absolute folder of the ZIP files inside the image (default "/catalogs")
   */
  public static fromImage(image: ContainerImage, directory?: string): CatalogSource {
    checkArgsOrThrow('CatalogSource', 'static fromImage', [image, directory]);
    return new CatalogSource(CatalogSourceType.IMAGE, image, directory ?? '/catalogs', undefined);
  }

  /**
   * An https folder serving each catalog ZIP at `<baseUrl>/<file name>`, downloaded by `curl`
   * (`-fsSL --proto =https --retry 3`).
   * @param baseUrl the folder URL, https only, such as "https://files.example.com/catalogs"
   * @param downloader an image with `curl`, such as curlimages/curl:8.11.1; pin it outside development
   */
  public static fromUrl(baseUrl: string, downloader: ContainerImage): CatalogSource {
    checkArgsOrThrow('CatalogSource', 'static fromUrl', [baseUrl, downloader]);
    return new CatalogSource(CatalogSourceType.HTTPS, downloader, undefined, baseUrl);
  }

  /** How the files are delivered. */
  public readonly type: CatalogSourceType;
  /** The image the fetching init container runs: the catalog image, or the curl image. */
  public readonly image: ContainerImage;
  /** The folder of the ZIP files inside the image (IMAGE only). */
  public readonly directory?: string;
  /** The https folder of the ZIP files (HTTPS only). */
  public readonly baseUrl?: string;

  private constructor(type: CatalogSourceType, image: ContainerImage, directory: string | undefined, baseUrl: string | undefined) {
    this.type = type;
    this.image = image;
    this.directory = directory;
    this.baseUrl = baseUrl;
  }
}

/** The container that verifies the fetched catalogs and imports them into the holotree. */
export interface CatalogImporter {
  /**
   * The image: it needs `sh`, `wc`, `sha256sum` and the import command (the RCC Remote server image
   * has them all, as any image with coreutils and rcc).
   * @default - the workload's own image
   */
  readonly image?: ContainerImage;
  /**
   * The import command; each verified ZIP file is appended as its last argument.
   * @default ["rcc", "holotree", "import"]
   */
  readonly command?: string[];
  /**
   * Requests and limits of both catalog init containers.
   * @default - the workload container's
   */
  readonly resourceLimits?: ResourceLimits;
}
