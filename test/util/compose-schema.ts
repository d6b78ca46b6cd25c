/**
 * Validates a docker-compose document against the Compose Specification JSON schema
 * (`test/schemas/compose-spec.json`, vendored: see test/schemas/README.md) with ajv, as `docker compose
 * config` does before it runs anything.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import * as YAML from 'yaml';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const DRAFT_07 = require('ajv/dist/refs/json-schema-draft-07.json');

const SCHEMA_FILE = path.resolve(__dirname, '..', 'schemas', 'compose-spec.json');

let validate: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!validate) {
    // draft-07 with `$id` at the root only: strict mode would refuse the schema's own keywords. The
    // schema names its meta-schema by the https URL, which Ajv knows by the http one: register both.
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addMetaSchema({ ...DRAFT_07, $id: 'https://json-schema.org/draft-07/schema' });
    validate = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')));
  }
  return validate;
}

/** The schema problems of a compose document (parsed YAML, read as YAML 1.1 like docker compose's reader). */
export function composeSchemaProblems(doc: unknown): string[] {
  const check = validator();
  if (check(doc)) return [];
  return (check.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
}

/** Parses compose YAML text as YAML 1.1 (as docker compose reads it: `no` is false) and validates it. */
export function composeTextProblems(text: string): string[] {
  return composeSchemaProblems(YAML.parse(text, { version: '1.1' }));
}
