/**
 * The scalars as kubectl and Helm read them: sigs.k8s.io/yaml parses with go-yaml v2, so YAML 1.1
 * booleans (`yes`, `no`, `on`, `off`, `y`, `n`) are booleans and Go's integer forms (`0644` and
 * `0o644` octal, `0x1F`, `0b101`, `1_000`) are numbers; `12:30` and dates stay strings (go-yaml has
 * no sexagesimal numbers, and a timestamp reaches the API server as its text). Reading as the
 * cluster will means `stdin: yes` is a boolean, and `value: yes` in an env entry is the boolean the
 * API server refuses.
 */
import { CORE_SCHEMA, Schema, Type } from 'js-yaml';
import { ScalarTag, Tags } from 'yaml';

const BOOLEAN = /^(?:y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON|n|N|no|No|NO|false|False|FALSE|off|Off|OFF)$/;
const TRUE = /^(?:y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const INTEGER = /^[-+]?(?:0b[01_]+|0o[0-7_]+|0x[0-9a-fA-F_]+|0[0-7_]+|[0-9][0-9_]*)$/;

function integerOf(text: string): number {
  const sign = text.startsWith('-') ? -1 : 1;
  const digits = text.replace(/^[-+]/, '').replace(/_/g, '');
  const [base, rest] = /^0b/.test(digits) ? [2, digits.slice(2)]
    : /^0o/.test(digits) ? [8, digits.slice(2)]
      : /^0x/.test(digits) ? [16, digits.slice(2)]
        : /^0[0-7]+$/.test(digits) ? [8, digits.slice(1)]
          : [10, digits];
  return sign * parseInt(rest, base);
}

/** js-yaml's core schema with go-yaml v2's booleans and integers (each replaces core's type of its tag). */
export const KUBECTL_JS_YAML_SCHEMA: Schema = CORE_SCHEMA.extend({
  implicit: [
    new Type('tag:yaml.org,2002:bool', {
      kind: 'scalar',
      resolve: (data: unknown) => typeof data === 'string' && BOOLEAN.test(data),
      construct: (data: string) => TRUE.test(data),
      predicate: (value: unknown) => typeof value === 'boolean',
      represent: { lowercase: (value: unknown) => (value ? 'true' : 'false') },
      defaultStyle: 'lowercase',
    }),
    new Type('tag:yaml.org,2002:int', {
      kind: 'scalar',
      resolve: (data: unknown) => typeof data === 'string' && INTEGER.test(data),
      construct: integerOf,
      predicate: (value: unknown) => typeof value === 'number' && Number.isInteger(value),
      represent: { decimal: (value: unknown) => String(value) },
      defaultStyle: 'decimal',
    }),
  ],
});

const GO_OCTAL: ScalarTag = {
  identify: (value) => Number.isInteger(value),
  default: true,
  tag: 'tag:yaml.org,2002:int',
  format: 'OCT',
  test: /^[-+]?0o[0-7_]+$/,
  resolve: integerOf,
};

/** The same for the `yaml` package (which keeps positions): its YAML 1.1 schema, without sexagesimal numbers or timestamps, with `0o` octal. */
export const KUBECTL_YAML_OPTIONS = {
  version: '1.1' as const,
  customTags: (tags: Tags): Tags => [GO_OCTAL, ...tags.filter((t) => typeof t !== 'string'
    && t.tag !== 'tag:yaml.org,2002:timestamp' && (t as ScalarTag).format !== 'TIME')],
};
