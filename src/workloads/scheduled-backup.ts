import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { waiveEnvironmentImageDefaults } from './own-waivers';
import { AccessMode, PersistentStorage } from '../config/persistent-storage';
import { Environment } from '../core/environment';
import { Findings } from '../core/findings';
import { labelProblems, objectLabels, checkObjectLabels, ObjectLabelProps, selectorLabelsFor } from '../core/labels';
import { buildPodTemplate } from './private/pod-template';
import { dns1123Label } from '../core/rules/names';
import { integerBetween } from '../core/rules/numbers';
import { CRON_FORM, cronSchedule, timeZoneName } from '../core/rules/schedule';
import { checkProps } from '../core/validation';
import { ContainerImage } from '../pod/container-image';
import { ResourceLimits } from '../pod/resource-limits';
import { SecurityProfile } from '../pod/security-profile';

/** Props of a ScheduledBackup (seed 003 future enhancement "Backup CronJob"). */
export interface ScheduledBackupProps extends ObjectLabelProps {
  /** Name of the CronJob (DNS-1123 label of at most 52 characters), such as "rescan-backup". */
  readonly name: string;
  /**
   * Namespace; the source and target claims must live in it too.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * When the backup runs: a 5-field cron expression "minute hour day-of-month month day-of-week"
   * (each field `*`, a number, a range `a-b`, either of those followed by a step `/n`, or a comma list),
   * or one of @hourly, @daily (@midnight), @weekly, @monthly, @yearly (@annually).
   */
  readonly schedule: string;
  /**
   * IANA time zone of the schedule, such as "Etc/UTC" or "Europe/Berlin".
   * @default - the time zone of the kube-controller-manager (usually UTC)
   */
  readonly timeZone?: string;
  /**
   * Target environment: decides the image pull policy and whether "latest" is allowed.
   * @default Environment.PRODUCTION
   */
  readonly environment?: Environment;
  /** The image that runs the backup command (pinned semantic version tag outside development). */
  readonly image: ContainerImage;
  /** The backup command, such as `["sh", "-c", "sqlite3 ... \".backup '/backup/db.bak'\""]`. */
  readonly command: string[];
  /** The claim holding the data; mounted read-only at its `mountPath`. */
  readonly source: PersistentStorage;
  /** The claim the backups are written to; mounted read-write at its `mountPath`. */
  readonly target: PersistentStorage;
  /**
   * Labels of the pods that already mount `source`, such as a Deployment's selector labels.
   *
   * A ReadWriteOnce volume is attached to one node at a time: a backup pod on any other node
   * would wait for the attachment forever. When `source` is single-writer and these labels are
   * given, the backup pods get a required podAffinity to the pods carrying them (topology
   * `kubernetes.io/hostname`), so they are scheduled onto the node that holds the volume.
   * @default - no affinity (the backup pod may land on any node)
   */
  readonly affinityToPodLabels?: { [key: string]: string };
  /**
   * Security profile.
   * @default - a SecurityProfile with its defaults (restricted profile)
   */
  readonly securityProfile?: SecurityProfile;
  /**
   * Requests and limits.
   * @default - ResourceLimits.DEFAULT_REQUESTS and DEFAULT_LIMITS
   */
  readonly resourceLimits?: ResourceLimits;
  /**
   * Finished successful jobs kept, 0-10.
   * @default 3
   */
  readonly successfulJobsHistoryLimit?: number;
  /**
   * Finished failed jobs kept, 0-10.
   * @default 1
   */
  readonly failedJobsHistoryLimit?: number;
  /**
   * Retries of a failed backup pod before the job is marked failed, 0-10.
   * @default 2
   */
  readonly backoffLimit?: number;
  /**
   * Seconds a job may run (retries included) before it is stopped, 1-86400.
   * @default 600
   */
  readonly activeDeadlineSeconds?: number;
  /**
   * Seconds after its scheduled time a missed run may still start, 10-86400; later runs are skipped.
   * @default 300
   */
  readonly startingDeadlineSeconds?: number;
}

/** The longest CronJob name: the controller appends an 11-character suffix to name its jobs. */
const MAX_CRONJOB_NAME = 52;

/**
 * A backup that runs on a schedule as a CronJob (batch/v1): one container runs `command` with the
 * `source` claim mounted read-only and the `target` claim mounted read-write (seed 003 future
 * enhancement "Backup CronJob").
 *
 * Runs never overlap (`concurrencyPolicy: Forbid`), failed pods restart in place
 * (`restartPolicy: OnFailure`) at most `backoffLimit` times, and a job is stopped after
 * `activeDeadlineSeconds`. The pod passes the restricted Pod Security profile through the same
 * pod template as DeploymentManifest. Finished jobs are pruned by the history limits, so
 * `ttlSecondsAfterFinished` is left unset (a TTL would delete jobs the CronJob still counts).
 *
 * A ReadWriteOnce `source` is attached to a single node: `affinityToPodLabels` pins the backup pods
 * to the node of the pods that use it. While a backup runs, those pods in turn can only be
 * rescheduled onto that node. A ReadWriteOncePod source cannot be shared at all and is refused.
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { ContainerImage, PersistentStorage, ScheduledBackup } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'shop', { namespace: 'shop' });
 *
 * const data = new PersistentStorage(chart, 'data', { name: 'shop-data', size: '1Gi', mountPath: '/data' });
 * const backups = new PersistentStorage(chart, 'backups', { name: 'shop-backups', size: '5Gi', mountPath: '/backup' });
 * // A CronJob that runs the command every night at 03:00 with both claims mounted.
 * new ScheduledBackup(chart, 'backup', {
 *   name: 'shop-backup',
 *   schedule: '0 3 * * *',
 *   image: new ContainerImage(chart, 'backup-image', { repository: 'busybox', tag: '1.36.1' }),
 *   command: ['sh', '-c', 'cp -a /data/. /backup/'],
 *   source: data,
 *   target: backups,
 * });
 * app.synth();
 */
export class ScheduledBackup extends Construct {
  /** The CronJob name. */
  public readonly name: string;
  /** The schedule. */
  public readonly schedule: string;
  /** Labels of the CronJob, its jobs and their pods. */
  public readonly podLabels: { [key: string]: string };
  /** The CronJob object. */
  public readonly cronJob: k8s.KubeCronJob;
  /**
   * The NetworkPolicy of the backup pods: no ingress, no egress. The backup copies one volume to
   * another and opens no connection, so nothing needs to reach it, nor it anything.
   */
  public readonly networkPolicy: k8s.KubeNetworkPolicy;

  private readonly explicitNamespace?: string;

  constructor(scope: Construct, id: string, props: ScheduledBackupProps) {
    super(scope, id);
    const findings = Findings.attach(this);
    props = checkProps(findings, 'ScheduledBackupProps', props);
    this.name = props.name;
    this.schedule = props.schedule;
    this.explicitNamespace = props.namespace;
    const environment = props.environment ?? Environment.PRODUCTION;
    const { source, target, image } = props;
    const labels = objectLabels(props.name ?? '', props);
    this.podLabels = { ...labels };
    // The NetworkPolicy selects the pods by the labels that never change (name and instance), as a
    // workload's selector does: managed-by (which a Helm chart sets to Helm), part-of and the user's
    // labels describe the pods, they do not identify them.
    const appName = props.appName ?? props.name ?? '';
    const selectorLabels = selectorLabelsFor(appName, props.instance ?? appName);

    // --- rules -------------------------------------------------------------------------------
    if (props.name !== undefined && findings.check('name', props.name, dns1123Label) && props.name.length > MAX_CRONJOB_NAME) {
      findings.add('name', props.name, `a DNS-1123 label of at most ${MAX_CRONJOB_NAME} characters (the CronJob controller appends an 11-character suffix to its job names)`);
    }
    findings.check('namespace', props.namespace, dns1123Label);
    checkObjectLabels(findings, props, props.name);
    if (props.schedule === undefined) findings.add('schedule', undefined, CRON_FORM);
    findings.check('schedule', props.schedule, cronSchedule);
    findings.check('timeZone', props.timeZone, timeZoneName);
    const tagProblem = image?.tagProblem(environment);
    if (tagProblem) findings.add('image.tag', image.tag, tagProblem);
    if (!props.command || props.command.length === 0 || props.command[0].trim() === '') {
      findings.add('command', props.command, 'a non-empty command such as ["sh", "-c", "<backup command>"]');
    }
    findings.check('successfulJobsHistoryLimit', props.successfulJobsHistoryLimit, integerBetween(0, 10));
    findings.check('failedJobsHistoryLimit', props.failedJobsHistoryLimit, integerBetween(0, 10));
    findings.check('backoffLimit', props.backoffLimit, integerBetween(0, 10));
    findings.check('activeDeadlineSeconds', props.activeDeadlineSeconds, integerBetween(1, 86400));
    findings.check('startingDeadlineSeconds', props.startingDeadlineSeconds, integerBetween(10, 86400));

    if (source && target && source.claimName === target.claimName) {
      findings.add('target', target.claimName, `a claim other than the source "${source.claimName}" (a backup on the volume it protects is lost with it)`);
    }
    if (source?.accessMode === AccessMode.READ_WRITE_ONCE_POD) {
      findings.add('source.accessMode', source.accessMode,
        'ReadWriteOnce, ReadOnlyMany or ReadWriteMany (a ReadWriteOncePod claim is held by one pod, so a backup pod cannot mount it while the workload runs)');
    }
    if (target?.accessMode === AccessMode.READ_ONLY_MANY) {
      findings.add('target.accessMode', target.accessMode, 'a writable access mode: ReadWriteOnce, ReadWriteOncePod or ReadWriteMany');
    }
    const affinityLabels = props.affinityToPodLabels;
    if (affinityLabels !== undefined) {
      for (const [f, v, e] of labelProblems('affinityToPodLabels', affinityLabels)) findings.add(f, v, e);
      const entries = Object.entries(affinityLabels);
      if (entries.length === 0) {
        findings.add('affinityToPodLabels', affinityLabels, 'at least one label of the pods that mount the source claim, such as { app: "rescan" }');
      } else if (entries.every(([k, v]) => this.podLabels[k] === v)) {
        findings.add('affinityToPodLabels', affinityLabels,
          'labels the backup pods do not carry themselves (they would match their own pods instead of the workload\'s)');
      }
    }

    // --- pod template (shared with DeploymentManifest and StatefulManifest) -------------------
    const { template } = buildPodTemplate(this, findings, {
      name: this.name,
      environment,
      image,
      command: props.command,
      resourceLimits: props.resourceLimits,
      defaultProbes: false,
      securityProfile: props.securityProfile,
      madeVolumes: [
        ...(source ? [{ volume: { ...source.volume(), readOnly: true } }] : []),
        ...(target ? [{ volume: { ...target.volume(), readOnly: false } }] : []),
      ],
      selectorLabels,
      podLabels: this.podLabels,
      antiAffinity: false,
      automountServiceAccountToken: false,
    });

    // Only a single-writer source pins the pod: other access modes can be mounted on any node.
    const pinToNode = affinityLabels !== undefined && Object.keys(affinityLabels).length > 0
      && source !== undefined && PersistentStorage.isSingleWriter(source.accessMode);
    const podSpec: k8s.PodSpec = {
      ...template.spec!,
      securityContext: {
        ...template.spec!.securityContext,
        // Volume ownership is only changed when the volume root does not match, not on every run.
        fsGroupChangePolicy: 'OnRootMismatch',
      },
      affinity: pinToNode ? {
        podAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [{
            topologyKey: 'kubernetes.io/hostname',
            labelSelector: { matchLabels: { ...affinityLabels } },
          }],
        },
      } : undefined,
      restartPolicy: 'OnFailure',
    };

    this.cronJob = new k8s.KubeCronJob(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels },
      spec: {
        schedule: props.schedule,
        timeZone: props.timeZone,
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: props.startingDeadlineSeconds ?? 300,
        successfulJobsHistoryLimit: props.successfulJobsHistoryLimit ?? 3,
        failedJobsHistoryLimit: props.failedJobsHistoryLimit ?? 1,
        jobTemplate: {
          metadata: { labels },
          spec: {
            backoffLimit: props.backoffLimit ?? 2,
            activeDeadlineSeconds: props.activeDeadlineSeconds ?? 600,
            template: { metadata: template.metadata, spec: podSpec },
          },
        },
      },
    });
    this.networkPolicy = new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: { name: props.name, namespace: props.namespace, labels },
      spec: { podSelector: { matchLabels: { ...selectorLabels } }, policyTypes: ['Ingress', 'Egress'] },
    });
    waiveEnvironmentImageDefaults(this.cronJob, [image]);
  }

  /** The namespace the CronJob lands in (the chart's when none was given). */
  public get namespace(): string | undefined {
    return this.explicitNamespace ?? Chart.of(this).namespace;
  }
}
