import { Rule } from '../findings';

const MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names that stand for numbers (three letters, any case), from `min` on. */
  readonly names?: readonly string[];
}

const CRON_FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 0, max: 6, names: WEEKDAYS },
];

/** How a valid cron schedule looks, for error messages. */
export const CRON_FORM = 'a 5-field cron expression "minute hour day-of-month month day-of-week" such as "0 3 * * *" '
  + '(each field * or ?, a number, a range a-b, a step */n, a/n or a-b/n, or a comma list; months JAN-DEC and weekdays SUN-SAT by name too), or one of '
  + MACROS.join(', ') + ', @every <duration> such as "@every 1h30m"';

/**
 * What the schedule parser of Kubernetes' CronJobs (robfig/cron's standard parser, which the API
 * server's validation and the CronJob controller run) refuses in `spec`, or undefined: 5 fields of
 * `*`, `?`, numbers, names (JAN-DEC, SUN-SAT), ranges, steps and lists within each field's bounds, a
 * descriptor such as @daily, or @every and a Go duration. A TZ= or CRON_TZ= prefix is read as the
 * parser reads it (a zone, a space, the schedule); whether Kubernetes takes it is the caller's
 * question (`cronSchedule` refuses it, as Kubernetes does from 1.29 on), and its zone is not judged here.
 */
export function cronParseProblem(spec: string): string | undefined {
  if (spec === '') return CRON_FORM;
  let rest = spec;
  if (rest.startsWith('TZ=') || rest.startsWith('CRON_TZ=')) {
    const space = rest.indexOf(' ');
    if (space < 0) return `a time zone prefix followed by a space and the schedule; ${CRON_FORM}`;
    rest = rest.slice(space).trim();
  }
  if (rest.startsWith('@')) {
    if (MACROS.includes(rest)) return undefined;
    if (rest.startsWith('@every ')) {
      return goDuration(rest.slice('@every '.length)) ? undefined : `@every and a duration such as "1h30m", "90s" or "1.5h" (got ${JSON.stringify(rest)}); ${CRON_FORM}`;
    }
    return CRON_FORM;
  }
  const fields = rest.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== CRON_FIELDS.length) return CRON_FORM;
  for (let i = 0; i < fields.length; i++) {
    // A list's empty items are skipped, as the parser skips them.
    for (const item of fields[i].split(',').filter((x) => x !== '')) {
      const problem = cronRangeProblem(item, CRON_FIELDS[i]);
      if (problem) return `${CRON_FIELDS[i].name} (field ${i + 1}) ${problem}; ${CRON_FORM}`;
    }
  }
  return undefined;
}

/**
 * Whether `value` is a schedule Kubernetes' CronJobs accept and run: what `cronParseProblem` lets
 * through, without a TZ= or CRON_TZ= prefix (Kubernetes refuses it from 1.29 on: time zones go in
 * `timeZone`), and without a field that names no value (a list of commas only, which parses but
 * never fires).
 */
export const cronSchedule: Rule<string> = (value) => {
  if (value.includes('TZ')) return 'a schedule without a TZ= or CRON_TZ= prefix: set timeZone instead';
  const problem = cronParseProblem(value);
  if (problem) return problem;
  if (value.startsWith('@')) return undefined;
  const fields = value.split(/\s+/).filter((f) => f !== '');
  const empty = fields.findIndex((f) => f.split(',').every((x) => x === ''));
  return empty < 0 ? undefined : `${CRON_FIELDS[empty].name} (field ${empty + 1}) naming at least one value (got ${JSON.stringify(fields[empty])}, so the schedule never fires); ${CRON_FORM}`;
};

/** A number as Go's strconv.Atoi reads it (an optional sign, digits; no more than int64), or undefined. */
function atoi(text: string): number | undefined {
  const m = /^([+-]?)(\d+)$/.exec(text);
  if (!m) return undefined;
  const big = BigInt(m[1] === '-' ? `-${m[2]}` : m[2]);
  if (big > 9223372036854775807n || big < -9223372036854775808n) return undefined;
  return Number(big);
}

/** What is wrong with one item of a cron field's list (`*`, `?`, `n`, `a-b`, each with an optional `/step`), or undefined. */
function cronRangeProblem(item: string, field: CronField): string | undefined {
  const got = `(got ${JSON.stringify(item)})`;
  const rangeAndStep = item.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  const number = (text: string): number | string => {
    const named = field.names?.indexOf(text.toLowerCase()) ?? -1;
    if (named >= 0) return field.min + named;
    const n = atoi(text);
    if (n === undefined) return `as *, ?, n, a-b, */n, n/s or a-b/n${field.names ? ` (numbers or names such as ${field.names[0].toUpperCase()})` : ''} ${got}`;
    return n < 0 ? `without a negative number ${got}` : n;
  };
  let start: number;
  let end: number;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    // (The parser reads "*-anything" as "*".)
    [start, end] = [field.min, field.max];
  } else {
    if (lowAndHigh.length > 2) return `with one "-" in a range ${got}`;
    const first = number(lowAndHigh[0]);
    if (typeof first === 'string') return first;
    const last = lowAndHigh.length === 2 ? number(lowAndHigh[1]) : first;
    if (typeof last === 'string') return last;
    [start, end] = [first, last];
  }
  let step = 1;
  if (rangeAndStep.length > 2) return `with one "/" in a step ${got}`;
  if (rangeAndStep.length === 2) {
    const n = atoi(rangeAndStep[1]);
    if (n === undefined) return `with a step that is a number ${got}`;
    if (n < 0) return `without a negative number ${got}`;
    step = n;
    if (lowAndHigh.length === 1) end = field.max; // "n/step" is "n-max/step"
  }
  const within = `within ${field.min}-${field.max}${field.names ? ` or ${field.names[0].toUpperCase()}-${field.names[field.names.length - 1].toUpperCase()}` : ''}`;
  if (start < field.min || end > field.max) return `${within} ${got}`;
  if (start > end) return `with a range whose start is at most its end ${got}`;
  if (step === 0) return `with a step of at least 1 ${got}`;
  return undefined;
}

const DURATION_UNITS: { readonly [unit: string]: number } = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Whether `text` is a duration Go's time.ParseDuration reads ("1h30m", "90s", "1.5h", "0"; at most about 292 years). */
function goDuration(text: string): boolean {
  const body = text.replace(/^[-+]/, '');
  if (body === '0') return true;
  if (body === '') return false;
  let nanos = 0;
  const re = /(\d*)(?:\.(\d*))?([^\d.]+)/y;
  let at = 0;
  while (at < body.length) {
    re.lastIndex = at;
    const m = re.exec(body);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) return false;
    const unit = DURATION_UNITS[m[3]];
    if (unit === undefined) return false;
    nanos += Number(`${m[1] || '0'}.${m[2] || '0'}`) * unit;
    at = re.lastIndex;
  }
  return nanos <= 9223372036854775807;
}

/**
 * An IANA time zone name the runtime knows, such as "Etc/UTC" or "Europe/Berlin".
 */
export const timeZoneName: Rule<string> = (value) => {
  const expected = 'an IANA time zone name such as "Etc/UTC" or "Europe/Berlin"';
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(value)) return expected;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
  } catch {
    return expected;
  }
  return undefined;
};
