/**
 * Rules of the compose synth (internal).
 */
import { Rule } from '../../core/findings';

/**
 * A compose project name: lowercase letters, digits, "-" and "_", starting with a letter or digit
 * (the Compose Specification's rule), at most 63 characters so that it stays a DNS label.
 */
export const composeProjectName: Rule<string> = (value) =>
  /^[a-z0-9][a-z0-9_-]*$/.test(value) && value.length <= 63
    ? undefined
    : 'a compose project name: lowercase letters, digits, "-" and "_", starting with a letter or digit, at most 63 characters (such as "rescan")';

/** An environment variable name: the source of a compose secret read from the environment. */
export function isEnvVarName(key: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key);
}
