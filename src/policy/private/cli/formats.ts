/**
 * Internal to `deploykit check`: the readable table (grouped by file and object) and the JSON report.
 * SARIF is in `sarif.ts`.
 */
import { CheckOutcome, PlacedFinding } from './run';
import { PodSecurityLevel } from '../../../core/pod-security';
import { DEFAULT_KUBERNETES_VERSION, knownKubernetesVersion } from '../schema/k8s-schema';

const at = (file: string, line?: number) => (line === undefined ? file : `${file}:${line}`);
const who = (f: { kind: string; name: string; namespace?: string }) => `${f.kind} ${f.namespace ? `${f.namespace}/` : ''}${f.name}`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The table: findings grouped by file and object, then the waivers, skipped and unreadable inputs, then a summary. */
export function formatTable(outcome: CheckOutcome): string {
  const lines: string[] = [];
  const rows = outcome.findings.map((f) => ({ f, tag: f.level ?? 'error' }));
  const width = Math.max(0, ...rows.map(({ f }) => f.rule.length));
  let lastFile: string | undefined;
  let lastObject: number | undefined;
  for (const { f, tag } of rows) {
    if (f.file !== lastFile) {
      if (lastFile !== undefined) lines.push('');
      lines.push(f.file);
      lastFile = f.file;
      lastObject = undefined;
    }
    if (f.objectIndex !== lastObject) {
      lines.push(`  ${who(f)}${f.objectLine === undefined ? '' : ` (line ${f.objectLine})`}`);
      lastObject = f.objectIndex;
    }
    const where = `${f.path}${f.line === undefined ? '' : ` (line ${f.line})`}`;
    lines.push(`    ${tag.padEnd(7)}  ${f.rule.padEnd(width)}  ${where}`);
    lines.push(`    ${''.padEnd(7)}  ${''.padEnd(width)}  ${f.message}`);
  }
  if (outcome.waivers.length) {
    lines.push('', `Waivers (${outcome.waivers.length}):`);
    for (const w of outcome.waivers) {
      lines.push(`  ${at(w.file, w.line)} ${who(w)}: ${w.rule}: ${w.reason || '(no reason: an error)'} [${w.waivedCount} waived]`);
    }
  }
  if (outcome.skipped.length) {
    lines.push('', `Skipped (${outcome.skipped.length}):`);
    for (const s of outcome.skipped) lines.push(`  ${at(s.file, s.line)}: ${s.reason}`);
  }
  if (outcome.unreadable.length) {
    lines.push('', `Unreadable (${outcome.unreadable.length}):`);
    for (const u of outcome.unreadable) lines.push(`  ${at(u.file, u.line)}: ${u.message}`);
  }
  if (lines.length) lines.push('');
  lines.push(summary(outcome));
  return `${lines.join('\n')}\n`;
}

/** One line: what was checked and what was found. */
export function summary(outcome: CheckOutcome): string {
  const level = outcome.options.level ?? PodSecurityLevel.RESTRICTED;
  const version = knownKubernetesVersion(outcome.options.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION);
  const against = version === DEFAULT_KUBERNETES_VERSION ? '' : `, Kubernetes ${version}`;
  return `deploykit check (${level}${against}): ${plural(outcome.objectCount, 'object')} in ${plural(outcome.files.length, 'file')}: `
    + `${plural(outcome.errorCount, 'error')}, ${plural(outcome.warningCount, 'warning')}, ${outcome.waived.length} waived, `
    + `${outcome.skipped.length} skipped, ${outcome.unreadable.length} unreadable`;
}

/** The JSON report. */
export function formatJson(outcome: CheckOutcome, version: string): string {
  const finding = (f: PlacedFinding) => ({
    file: f.file,
    line: f.line,
    kind: f.kind,
    name: f.name,
    namespace: f.namespace,
    rule: f.rule,
    level: f.level,
    podSecurityLevel: f.podSecurityLevel,
    path: f.path,
    message: f.message,
    related: f.related,
    waiverReason: f.waiverReason,
  });
  return `${JSON.stringify({
    tool: 'deploykit',
    version,
    level: outcome.options.level ?? PodSecurityLevel.RESTRICTED,
    kubernetesVersion: knownKubernetesVersion(outcome.options.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION),
    summary: {
      files: outcome.files.length,
      objects: outcome.objectCount,
      errors: outcome.errorCount,
      warnings: outcome.warningCount,
      waived: outcome.waived.length,
      skipped: outcome.skipped.length,
      unreadable: outcome.unreadable.length,
    },
    findings: outcome.findings.map(finding),
    waived: outcome.waived.map(finding),
    waivers: outcome.waivers.map((w) => ({
      file: w.file, line: w.line, kind: w.kind, name: w.name, namespace: w.namespace, rule: w.rule, reason: w.reason, waivedCount: w.waivedCount,
    })),
    skipped: outcome.skipped,
    unreadable: outcome.unreadable,
  }, null, 2)}\n`;
}
