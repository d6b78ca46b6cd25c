/**
 * The cdk8s validation plugin (`validations:` in cdk8s.yaml): runs `deploykit check` over the
 * manifests `cdk8s synth` wrote and fails the synth (exit 2) on an error finding, printing the same
 * table. Not part of the jsii API (cdk8s-cli's types would have to be); the types below are the
 * parts of cdk8s-cli's `Validation` and `ValidationContext` (lib/plugins/validation.d.ts) it uses, so
 * the package needs no cdk8s-cli at run time. Loaded from `validation-plugin.js` at the package root.
 */
import * as fs from 'fs';
import * as path from 'path';
import { formatTable } from './cli/formats';
import { readInputs } from './cli/inputs';
import { checkRead, exitCode } from './cli/run';
import { PodSecurityLevel } from '../../core/pod-security';
import { PolicyCheck } from '../policy-check';
import { PolicyCheckOptions } from '../policy-report';

interface ValidationViolatingResource {
  readonly resourceName: string;
  readonly locations: readonly string[];
  readonly manifestPath: string;
}

interface ValidationViolation {
  readonly ruleName: string;
  readonly recommendation: string;
  readonly fix: string;
  readonly violatingResources: readonly ValidationViolatingResource[];
}

interface ValidationReportLike {
  addViolation(violation: ValidationViolation): void;
  submit(status: 'success' | 'failure', metadata?: { readonly [key: string]: string }): void;
}

/** What cdk8s-cli hands a plugin (`ValidationContext`). */
export interface PluginContext {
  readonly manifests: readonly string[];
  readonly report: ValidationReportLike;
  readonly logger: { log(message: string): void };
}

/** The `properties:` of the plugin in cdk8s.yaml: the same settings as `deploykit check --config`. */
export interface PluginProperties extends Omit<PolicyCheckOptions, 'level'> {
  /** restricted (default), baseline or privileged. */
  readonly level?: string;
}

/** `class: DeploykitValidation` in cdk8s.yaml. */
export class DeploykitValidation {
  private readonly options: PolicyCheckOptions;

  constructor(properties: PluginProperties = {}) {
    const level = properties.level ?? PodSecurityLevel.RESTRICTED;
    if (!(Object.values(PodSecurityLevel) as string[]).includes(level)) {
      throw new Error(`DeploykitValidation: level must be one of ${Object.values(PodSecurityLevel).join(', ')}; got "${level}"`);
    }
    this.options = { ...properties, level: level as PodSecurityLevel };
    PolicyCheck.run([], this.options); // refuses unknown rule ids now, not at the first synth
  }

  public async validate(context: PluginContext): Promise<void> {
    // cdk8s hands every .yaml file under the output folder: a Helm chart's templates are not manifests.
    const files = context.manifests.filter((file) => !insideHelmChart(file));
    const outcome = checkRead(readInputs(files), this.options);
    context.logger.log(formatTable(outcome));
    for (const f of outcome.findings) {
      context.report.addViolation({
        ruleName: `${f.rule} (${f.level})`,
        recommendation: f.message,
        fix: `fix ${f.path} of ${f.kind} ${f.name}, or waive it with the annotation deploykit.dev/waive: "${f.rule}: <reason>"`,
        violatingResources: [{ resourceName: f.name, locations: [f.line === undefined ? f.path : `${f.path} (line ${f.line})`], manifestPath: f.file }],
      });
    }
    for (const u of outcome.unreadable) {
      context.report.addViolation({
        ruleName: 'unreadable-input (error)',
        recommendation: u.message,
        fix: 'write valid YAML or JSON',
        violatingResources: [{ resourceName: path.basename(u.file), locations: u.line === undefined ? [] : [`line ${u.line}`], manifestPath: u.file }],
      });
    }
    context.report.submit(exitCode(outcome) === 0 ? 'success' : 'failure', {
      level: String(this.options.level),
      objects: String(outcome.objectCount),
      errors: String(outcome.errorCount),
      warnings: String(outcome.warningCount),
      waived: String(outcome.waived.length),
    });
  }
}

/** True when a folder holding `file` (up to the working directory) is a Helm chart (has a Chart.yaml). */
function insideHelmChart(file: string): boolean {
  const stop = path.resolve('.');
  for (let dir = path.dirname(path.resolve(file)); dir.startsWith(stop) && dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'Chart.yaml'))) return true;
    if (dir === stop) break;
  }
  return false;
}
