/**
 * Internal to `deploykit check`: the SARIF 2.1.0 log (for code-scanning tools). Every rule of the
 * check is a reportingDescriptor; waived findings are results with an in-source suppression carrying
 * the waiver's reason; unreadable inputs are tool execution notifications.
 */
import { CheckOutcome, PlacedFinding } from './run';
import { PolicyCheck } from '../../policy-check';
import { PolicyLevel } from '../../policy-types';

const INFORMATION_URI = 'https://www.npmjs.com/package/cdk8s-deploykit';

/** A file name as a relative URI reference (forward slashes, each segment escaped). */
function uriOf(file: string): string {
  if (file === '-') return 'stdin';
  return file.split(/[\\/]/).map((segment) => encodeURIComponent(segment)).join('/');
}

/** The SARIF log of an outcome. */
export function formatSarif(outcome: CheckOutcome, version: string): string {
  const rules = PolicyCheck.rules();
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const result = (f: PlacedFinding) => ({
    ruleId: f.rule,
    ruleIndex: ruleIndex.get(f.rule),
    level: f.level === PolicyLevel.WARNING ? 'warning' : 'error',
    message: { text: `${f.kind} ${f.namespace ? `${f.namespace}/` : ''}${f.name}: ${f.path}: ${f.message}` },
    locations: [{
      physicalLocation: {
        artifactLocation: { uri: uriOf(f.file) },
        ...(f.line === undefined ? {} : { region: { startLine: f.line } }),
      },
      logicalLocations: [{ fullyQualifiedName: `${f.kind}/${f.namespace ? `${f.namespace}/` : ''}${f.name}/${f.path}`, kind: 'member' }],
    }],
    ...(f.waiverReason === undefined ? {} : { suppressions: [{ kind: 'inSource', justification: f.waiverReason }] }),
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'deploykit',
          informationUri: INFORMATION_URI,
          version,
          rules: rules.map((r) => ({
            id: r.id,
            shortDescription: { text: r.description },
            defaultConfiguration: { level: r.level === PolicyLevel.WARNING ? 'warning' : 'error' },
            ...(r.podSecurityLevel ? { properties: { podSecurityLevel: r.podSecurityLevel } } : {}),
          })),
        },
      },
      invocations: [{
        executionSuccessful: outcome.unreadable.length === 0,
        toolExecutionNotifications: outcome.unreadable.map((u) => ({
          level: 'error',
          message: { text: `unreadable input: ${u.message}` },
          locations: [{
            physicalLocation: { artifactLocation: { uri: uriOf(u.file) }, ...(u.line === undefined ? {} : { region: { startLine: u.line } }) },
          }],
        })),
      }],
      results: [...outcome.findings, ...outcome.waived].sort((a, b) => a.objectIndex - b.objectIndex).map(result),
    }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
