import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Environment } from '../core/environment';
import { ComposeProblem } from './private/compose-model';
import { composeProjectName } from './private/compose-rules';
import { composeProblems, synthesizeCompose } from './private/conversion';
import { renderCompose } from './private/render';
import { Findings, formatFinding } from '../core/findings';
import { ValidationError } from '../core/report';
import { ipAddress } from '../core/rules/network';
import { checkArgs, checkProps } from '../core/validation';

/** Props of a ComposeFile. */
export interface ComposeFileProps {
  /**
   * The chart to read: its synthesized objects (`chart.toJson()`) are converted, never its
   * constructs. Every Deployment of a DeploymentManifest with `type: ManifestType.DOCKER_COMPOSE`
   * becomes a service.
   */
  readonly chart: Chart;
  /**
   * Compose project name (the file's top-level `name`): lowercase letters, digits, "-" and "_",
   * starting with a letter or digit, such as "rescan".
   */
  readonly projectName: string;
  /**
   * Environment the file is for: named in the header and set as the label
   * `deploykit.io/environment` on every service.
   * @default - none
   */
  readonly environment?: Environment;
  /**
   * For local debugging: an IP address of the host (such as "127.0.0.1") on which the ports that are
   * only reachable inside the cluster (ClusterIP Services, workloads without a Service) are published
   * too, as "127.0.0.1:5432:5432". The ports the objects make reachable from outside the cluster
   * (NodePort and LoadBalancer Services, Service ports an Ingress routes to) are published on every
   * address of the host either way.
   * @default - internal ports are not published: they are `expose`d to the other services of the file only
   */
  readonly publishInternalPortsOn?: string;
}

/**
 * A docker-compose file (Compose Specification) made from the objects a chart synthesizes, for the
 * deployment manifests of type docker-compose (seed 000 Deployment Manifest `type`).
 *
 * Each such Deployment becomes a service of the same name with its image and pull policy, ports
 * (from the Service selecting its pods, else its container ports), environment (literal values and
 * ConfigMap data), its security context (`user`, `read_only`, `cap_drop`, `cap_add`,
 * `security_opt: no-new-privileges`), resource limits and reservations, `restart: unless-stopped`,
 * persistent volume claims as named volumes and emptyDir volumes as `tmpfs`.
 *
 * Ports are published on the host only where the objects make them reachable from outside the
 * cluster: the ports of NodePort and LoadBalancer Services, and the Service ports an Ingress routes
 * to (compose has no ingress controller, so the backend port itself is published; the header says
 * so). Every other port (a ClusterIP Service's, a workload's without a Service) is `expose`d: the
 * other services of the file reach it, the LAN does not. `publishInternalPortsOn` publishes those on
 * one address of the host (such as "127.0.0.1") for debugging.
 *
 * Secret values are never written into the file: every key of a Secret the service uses becomes a
 * compose secret read, when `docker compose` runs, from the environment variable of the key's name
 * (`environment: AZURE_OPENAI_API_KEY`), or from `./secrets/<secret>/<key>` when the key is no
 * variable name (such as `tls.crt`). The container sees it as a file under `/run/secrets/` (or at
 * the Secret's mount path). The header of the file lists the variables and files to provide.
 *
 * A Secret the chart holds (such as a CertificateBundle's TLS Secret) is mounted key by key as
 * read-only compose secrets: write the files with `bundle.writeFiles('<folder>/secrets')` beside a
 * file written to `<folder>`.
 *
 * Init containers become one-shot services (`restart: "no"`), each started after the one before, and
 * the long-running service waits for them (`depends_on` with `condition: service_completed_successfully`).
 * A pod volume that an annotation `bind.compose.deploykit.io/<volume>` names a local folder for (a
 * DeploymentManifest's catalog folder) is that folder, bind-mounted read-only, and an init container
 * annotated `skip.compose.deploykit.io/<name>` (the catalog fetch) has no service.
 *
 * The healthcheck: an HTTP or HTTPS liveness probe becomes a `healthcheck` when the Deployment names
 * the command its image has (`deploykit.io/compose-healthcheck-command`, set by the DeploymentManifest
 * prop `composeHealthcheckCommand`, such as ["curl", "-fsk"]): the command runs against
 * `<scheme>://127.0.0.1:<port><path>` at the probe's period, timeout and failure threshold, with the
 * startup probe's allowance as `start_period`. Without one, a probe that runs a command (exec) becomes
 * the healthcheck; HTTP, TCP and gRPC probes are left out, since they would need a tool inside the
 * image, and the header says so.
 *
 * Rules (each a synth finding): a valid project name, an IP address for `publishInternalPortsOn`, at
 * least one docker-compose Deployment in the chart, and at most one replica (no autoscaling) for each. Call `synthesizeFile()` or `writeTo()`
 * after the construct tree is complete.
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { ComposeFile, ContainerImage, DeploymentManifest, Environment, ManifestType } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'shop', { namespace: 'shop' });
 * new DeploymentManifest(chart, 'api', {
 *   type: ManifestType.DOCKER_COMPOSE,
 *   environment: Environment.DEVELOPMENT,
 *   image: new ContainerImage(chart, 'api-image', { repository: 'acme/api', tag: '1.4.2' }),
 *   ports: [{ containerPort: 8080 }],
 * });
 *
 * // dist/compose/docker-compose.yaml: the same non-root, read-only, capability-free service. The
 * // chart is for docker compose only, so the App is not synthesized: app.synth() would write its
 * // Deployment among the Kubernetes YAML files.
 * const compose = new ComposeFile(app, 'compose', { chart, projectName: 'shop', environment: Environment.DEVELOPMENT });
 * compose.writeTo('dist/compose');
 */
export class ComposeFile extends Construct {
  /** The file name `writeTo` writes. */
  public static readonly FILE_NAME = 'docker-compose.yaml';

  /** The compose project name. */
  public readonly projectName: string;
  /** The environment, when given. */
  public readonly environment?: Environment;
  /** The address internal ports are published on, when given. */
  public readonly publishInternalPortsOn?: string;

  private readonly chart: Chart;
  private readonly findings: Findings;

  constructor(scope: Construct, id: string, props: ComposeFileProps) {
    super(scope, id);
    this.findings = Findings.attach(this);
    props = checkProps(this.findings, 'ComposeFileProps', props);
    this.projectName = props.projectName;
    this.environment = props.environment;
    this.chart = props.chart;
    this.publishInternalPortsOn = props.publishInternalPortsOn;
    this.findings.check('publishInternalPortsOn', props.publishInternalPortsOn, ipAddress);
    if (props.projectName === undefined) this.findings.add('projectName', undefined, 'a compose project name such as "rescan"');
    this.findings.check('projectName', props.projectName, composeProjectName);
    if (props.chart === undefined) this.findings.add('chart', undefined, 'the cdk8s Chart to read');

    // The rules over the chart's objects are checked when the app validates, so they see the
    // whole tree; they read each object's JSON directly, since chart.toJson() would validate
    // the app (and so this construct) again.
    this.node.addValidation({
      validate: () => {
        if (this.chart === undefined) return [];
        let objects: unknown[];
        try {
          objects = objectsOf(this.chart);
        } catch {
          return []; // the chart's own synthesis reports why it cannot be serialized
        }
        return composeProblems(objects).map(formatProblem);
      },
    });
  }

  /**
   * The docker-compose file (YAML), as for a file in the working directory. Synthesizes the chart, so
   * it throws with every finding of the app when a rule is broken; secret values never appear in the text.
   */
  public synthesizeFile(): string {
    return this.render(undefined);
  }

  /**
   * Writes `<outdir>/docker-compose.yaml` (creating the folder) and returns its path. Local folders
   * (bind mounts) are written relative to `outdir`.
   * @param outdir the folder to write into
   */
  public writeTo(outdir: string): string {
    [outdir] = checkArgs(this.findings, 'ComposeFile', 'writeTo', [outdir]) as [string];
    if (outdir === undefined) throw this.report(this.findings.messages());
    const text = this.render(path.resolve(outdir));
    fs.mkdirSync(outdir, { recursive: true });
    const file = path.join(outdir, ComposeFile.FILE_NAME);
    fs.writeFileSync(file, text);
    return file;
  }

  /** The construct's problems as the report a synth prints. */
  private report(problems: readonly string[]): ValidationError {
    return new ValidationError(problems.map((message) => ({ path: this.node.path, message })));
  }

  private render(directory: string | undefined): string {
    if (this.chart === undefined) {
      throw this.report(this.findings.messages());
    }
    const objects = this.chart.toJson();
    const problems = [...this.findings.messages(), ...composeProblems(objects).map(formatProblem)];
    if (problems.length > 0) {
      throw this.report(problems);
    }
    return renderCompose(synthesizeCompose(objects, {
      projectName: this.projectName,
      source: `chart "${this.chart.node.id}"`,
      environment: this.environment,
      directory,
      publishInternalPortsOn: this.publishInternalPortsOn,
    }));
  }
}

/** The JSON of every object whose closest chart is `chart` (what chart.toJson() holds, without validating). */
function objectsOf(chart: Chart): unknown[] {
  return chart.node.findAll()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === chart)
    .map((o) => o.toJson());
}

function formatProblem(problem: ComposeProblem): string {
  const finding = new Findings();
  finding.add(problem.field, problem.value, problem.expected);
  return formatFinding(finding.all[0]);
}
