/*
 * Writes docs/policy-rules.md from the rule catalog (`src/policy/private/rule-catalog.ts`), so the
 * docs list exactly the rules `deploykit check --list-rules` prints. Run by `npx projen gen:rules-doc`;
 * test/policy/rule-catalog.test.ts fails when the committed file is stale.
 */
import * as fs from 'fs';
import * as path from 'path';
import { PolicyCheck } from '../src/policy/policy-check';

/** Where the generated list lives, relative to the repository root. */
export const RULES_DOC_FILE = 'docs/policy-rules.md';

/** A table cell: pipes and angle brackets escaped (Markdown would read `<profile>` as a tag), no line breaks. */
const cell = (s: string) => s.replace(/[|<>]/g, (c) => `\\${c}`).replace(/\n/g, ' ');

/** The text of docs/policy-rules.md. */
export function rulesDoc(): string {
  const rows = PolicyCheck.rules().map((r) =>
    `| \`${r.id}\` | ${r.level}${r.podSecurityLevel ? ` (${r.podSecurityLevel})` : ''} | ${cell(r.description)} |`);
  return [
    '<!-- Generated from the rule catalog by `npx projen gen:rules-doc`; do not edit. -->',
    '# The rules of `deploykit check`',
    '',
    'Every rule `PolicyCheck`, `deploykit check` and the cdk8s validation plugin run, in the order',
    '`deploykit check --list-rules` prints them (and an object\'s findings come in): the schema rule,',
    'the Pod Security Standards controls (an error at the level in brackets and above), the',
    '`ManifestPolicy` rules, and the rules a waiver must follow. An error is what the API server',
    'refuses, what breaks at run time or exposes a secret; a warning is best practice. Waive a finding',
    'on its object with the annotation `deploykit.dev/waive: "<rule-id>: <reason>"`.',
    '',
    '| Rule | Level | A compliant manifest |',
    '|------|-------|----------------------|',
    ...rows,
    '',
  ].join('\n');
}

if (require.main === module) {
  fs.writeFileSync(path.join(__dirname, '..', RULES_DOC_FILE), rulesDoc());
}
