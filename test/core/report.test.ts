import { App, Chart } from 'cdk8s';
import { ComposeFile, HelmChart } from '../../src';
import { describeValue, formatFinding, formatReport, REPORT_HEADER, ValidationError } from '../../src/core/report';
import { checkArgsOrThrow } from '../../src/core/validation';
import { addWarning, warningsOf } from '../../src/core/warnings';

/*
 * One report format for every error: cdk8s's synth report (`[construct/path] field: got <value>;
 * expected <form>` under its header), whoever throws it.
 */

const LINE = /^ {2}\[[^\]]+\] [^:]+: got .+; expected .+$/;

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('nothing was thrown');
}

test('a report is the header, then one [path] finding per line, each once', () => {
  const line = { path: 'shop/web', message: formatFinding({ field: 'replicas', value: describeValue(0), expected: 'at least 1' }) };
  expect(formatReport([line])).toBe(`${REPORT_HEADER}\n  [shop/web] replicas: got 0; expected at least 1`);
  const error = new ValidationError([line, line, { path: 'shop/db', message: 'size: got "x"; expected a quantity' }]);
  expect(error.message).toBe('Validation failed with the following errors:\n  [shop/web] replicas: got 0; expected at least 1\n  [shop/db] size: got "x"; expected a quantity');
  expect(error.lines).toHaveLength(2);
  expect(error).toBeInstanceOf(Error);
});

test('values are shown as findings show them, secrets never', () => {
  expect(describeValue(undefined)).toBe('nothing');
  expect(describeValue('web')).toBe('"web"');
  expect(describeValue({ password: 'hunter2-hunter2' })).toBe('{"password":"<redacted>"}');
});

test('a static method without a construct throws the same report', () => {
  const error = thrown(() => checkArgsOrThrow('ManifestPolicy', 'static check', [42]));
  expect(error).toBeInstanceOf(ValidationError);
  expect(error.message.split('\n')[0]).toBe(REPORT_HEADER);
  expect(error.message.split('\n')[1]).toMatch(/^ {2}\[ManifestPolicy\.check\] check\(manifests\): got 42; expected /);
});

test('HelmChart and ComposeFile throw their findings as the same report', () => {
  const app = new App({ outdir: 'cdk8s.out/report-test' });
  const chart = new Chart(app, 'shop');
  const helm = new HelmChart(app, 'helm', { chartName: 'Shop!', chartVersion: '1.0.0', chart });
  const compose = new ComposeFile(app, 'compose', { chart, projectName: 'Shop!' });
  expect(thrown(() => helm.synthesizeFiles())).toBeInstanceOf(ValidationError);
  // ComposeFile synthesizes the chart first: cdk8s reports the app's findings, in the same form.
  for (const error of [thrown(() => helm.synthesizeFiles()), thrown(() => compose.synthesizeFile())]) {
    const [header, ...lines] = error.message.split('\n');
    expect(header).toBe(REPORT_HEADER);
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatch(LINE);
  }
  expect(thrown(() => helm.synthesizeFiles()).message).toContain('[helm] chartName: got "Shop!"; expected a DNS-1123 label');
  expect(thrown(() => compose.synthesizeFile()).message).toContain('[compose] projectName: got "Shop!"; expected ');
});

test('an expected form quoting a value the user gave shows no secret and stays on one line', () => {
  const key = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';
  const line = formatFinding({ field: 'namespace', value: '<redacted>', expected: `the namespace "${key}" of the Service` });
  expect(line).toBe('namespace: got <redacted>; expected the namespace "<redacted>" of the Service');
  expect(formatFinding({ field: 'pattern', value: '"a"', expected: 'a string matching a\nb' })).toBe('pattern: got "a"; expected a string matching a\\nb');
});

test('a warning quoting a value the user gave shows no secret', () => {
  const chart = new Chart(new App(), 'shop');
  addWarning(chart, 'the database URL postgres://app:hunter2hunter2@db:5432/app is read from the environment');
  expect(warningsOf(chart)).toEqual(['the database URL postgres://app:<redacted>@db:5432/app is read from the environment']);
});
