import { Rule } from '../findings';

const MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

const CRON_FIELDS: ReadonlyArray<{ readonly name: string; readonly min: number; readonly max: number }> = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day-of-week', min: 0, max: 6 },
];

/** How a valid cron schedule looks, for error messages. */
export const CRON_FORM = 'a 5-field cron expression "minute hour day-of-month month day-of-week" such as "0 3 * * *" '
  + '(each field *, a number, a range a-b, a step */n or a-b/n, or a comma list), or one of '
  + MACROS.join(', ');

/**
 * Whether `value` is a schedule Kubernetes' CronJob controller accepts: 5 cron fields of numbers,
 * ranges, steps, lists and `*` within each field's range, or a macro such as @daily. Time zones go
 * in `timeZone`, not in a TZ= prefix.
 */
export const cronSchedule: Rule<string> = (value) => {
  const text = value.trim();
  if (/^(CRON_)?TZ=/.test(text)) return 'a schedule without a TZ= or CRON_TZ= prefix: set timeZone instead';
  if (text.startsWith('@')) return MACROS.includes(text) ? undefined : CRON_FORM;
  const fields = text.split(/\s+/);
  if (text === '' || fields.length !== CRON_FIELDS.length) return CRON_FORM;
  for (let i = 0; i < fields.length; i++) {
    const problem = cronFieldProblem(fields[i], CRON_FIELDS[i].min, CRON_FIELDS[i].max);
    if (problem) return `${CRON_FIELDS[i].name} (field ${i + 1}) ${problem}; ${CRON_FORM}`;
  }
  return undefined;
};

/** What is wrong with one cron field, or undefined. */
function cronFieldProblem(field: string, min: number, max: number): string | undefined {
  const within = `within ${min}-${max}`;
  for (const item of field.split(',')) {
    const m = /^(\*|\d+(?:-\d+)?)(?:\/(\d+))?$/.exec(item);
    if (!m) return `as *, n, a-b, */n or a-b/n (got "${item}")`;
    const [, base, step] = m;
    if (step !== undefined && (Number(step) < 1 || Number(step) > max)) return `with a step from 1 to ${max} (got "${item}")`;
    if (base === '*') continue;
    const [start, end] = base.split('-').map(Number);
    if (start < min || start > max || (end !== undefined && (end < min || end > max))) return `${within} (got "${item}")`;
    if (end !== undefined && start > end) return `with a range whose start is at most its end (got "${item}")`;
  }
  return undefined;
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
