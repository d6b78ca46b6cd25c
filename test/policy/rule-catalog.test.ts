/**
 * The one rule catalog (src/policy/private/rule-catalog.ts): each rule's id, level, description and
 * check are written together once, and every list of rules reads the catalog: PolicyCheck.rules(),
 * `deploykit check --list-rules`, the SARIF rule table and docs/policy-rules.md.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { rulesDoc, RULES_DOC_FILE } from '../../projenrc/policy-rules-doc';
import { ManifestPolicy, PolicyCheck, RestrictedProfile } from '../../src';
import { CATALOG } from '../../src/policy/private/rule-catalog';
import { RuleFamily } from '../../src/policy/private/rule-kit';

const ROOT = path.resolve(__dirname, '..', '..');
const POLICY_SOURCES = path.join(ROOT, 'src', 'policy');

/** Every TypeScript file under a folder. */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory()
    ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

const deploykit = (args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin', 'deploykit'), ...args], { cwd: ROOT, encoding: 'utf8' });

describe('the rule catalog', () => {
  const ids = CATALOG.map((r) => r.id);

  test('every rule id is in the catalog once, and is defined once in the sources, beside its level, description and check', () => {
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(69);
    const text = sources(POLICY_SOURCES).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    for (const id of ids) {
      // A rule is an entry `id: '<id>'` (or the first argument of a helper that makes one), never a second list of ids.
      const definitions = text.match(new RegExp(`(\\bid: |resourceRule\\()'${id}'`, 'g')) ?? [];
      expect([id, definitions.length]).toEqual([id, 1]);
    }
    for (const rule of CATALOG) {
      expect(rule.description.length).toBeGreaterThan(10);
      const checks = [rule.pod, rule.object, rule.set, rule.waiver].filter((c) => typeof c === 'function');
      expect([rule.id, checks.length > 0]).toEqual([rule.id, true]);
    }
  });

  test('the public lists are the catalog: PolicyCheck.rules() all of it, RestrictedProfile and ManifestPolicy their families', () => {
    expect(PolicyCheck.rules().map((r) => r.id)).toEqual(ids);
    expect(RestrictedProfile.rules().map((r) => r.id)).toEqual(CATALOG.filter((r) => r.family === RuleFamily.POD_SECURITY).map((r) => r.id));
    expect(ManifestPolicy.rules().map((r) => r.id)).toEqual(CATALOG.filter((r) => r.family === RuleFamily.MANIFEST).map((r) => r.id));
    expect(PolicyCheck.rules().find((r) => r.id === 'runAsNonRoot')).toEqual(
      { id: 'runAsNonRoot', level: 'error', podSecurityLevel: 'restricted', description: 'runAsNonRoot is true for the pod or every container, and never false' });
  });

  test('deploykit check --list-rules prints exactly the catalog, in order, with levels and descriptions', () => {
    const run = deploykit(['check', '--list-rules']);
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toEqual(CATALOG.map((r) => `${r.id}\t${r.level}${r.podSecurityLevel ? ` (${r.podSecurityLevel})` : ''}\t${r.description}`));
  });

  test('the SARIF rule table is exactly the catalog', () => {
    const run = deploykit(['check', '--format', 'sarif', 'test/policy/fixtures/compliant']);
    expect(run.status).toBe(0);
    const rules = JSON.parse(run.stdout).runs[0].tool.driver.rules;
    expect(rules.map((r: any) => [r.id, r.defaultConfiguration.level, r.shortDescription.text])).toEqual(
      CATALOG.map((r) => [r.id, r.level, r.description]));
  });

  test(`${RULES_DOC_FILE} lists exactly the catalog (npx projen gen:rules-doc), and the README points at it`, () => {
    const committed = fs.readFileSync(path.join(ROOT, RULES_DOC_FILE), 'utf8');
    if (committed !== rulesDoc()) throw new Error(`${RULES_DOC_FILE} is stale: run \`npx projen gen:rules-doc\` and commit it`);
    const listed = [...committed.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);
    expect(listed).toEqual(ids);
    expect(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain(`(${RULES_DOC_FILE})`);
  });
});
