/**
 * The Helm engine finds every deriver through one table from kind to deriver (src/helm/private/derive/table.ts).
 * A deriver added in this test alone, for a made-up CRD kind, is used in the chart it writes (checked
 * with the real helm); a built-in kind's deriver replaced in the table is no longer used.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { addWeb, tempDir } from './fixtures';
import { render, renderFailure } from './harness';
import { HelmChartSpec, writeHelmChart } from '../../src/helm/private/chart-writer';
import { Deriver, nothing } from '../../src/helm/private/derive/deriver';
import { DERIVERS } from '../../src/helm/private/derive/table';
import { valuesRef, valueSlot } from '../../src/helm/private/model/values-paths';
import { findObject } from '../util/manifests';

const NS = 'shop';

/** A made-up kind: `spec.size` becomes the value `<prefix>.widget.size`, and `spec.enabled` its switch. */
const widgetDeriver: Deriver = ({ doc, values }) => {
  const size = [...values.prefix, 'widget', 'size'];
  const enabled = [...values.prefix, 'widget', 'enabled'];
  return {
    slots: [valueSlot(['spec', 'size'], size, 'integer')],
    params: [
      { path: size, type: 'integer', value: doc.spec?.size, minimum: 1, description: 'Size of the widget' },
      { path: enabled, type: 'boolean', value: true, description: 'Render the widget' },
    ],
    condition: valuesRef(enabled),
  };
};

function shopChart(app: App): Chart {
  const chart = new Chart(app, 'shop', { namespace: NS });
  addWeb(chart, { ingress: false });
  new ApiObject(chart, 'widget', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'gadget' }, spec: { size: 3, color: 'blue' } });
  return chart;
}

/** Writes the chart of `shopChart` with the derivers of `derivers` into a fresh folder. */
function write(name: string, derivers = DERIVERS): string {
  const app = new App({ outdir: tempDir(`deriver-${name}`) });
  const chart = shopChart(app);
  app.synth();
  const spec: HelmChartSpec = {
    chartName: 'shop',
    chartVersion: '1.0.0',
    dependencies: [],
    maintainers: [],
    environments: [{ name: 'default', chart }],
    path: 'helm',
    derivers,
  };
  return writeHelmChart(spec, path.join(app.outdir, 'helm'));
}

test('the table holds one deriver per kind the chart knows', () => {
  expect(DERIVERS.kinds.sort()).toEqual([
    'Certificate', 'ConfigMap', 'CronJob', 'DaemonSet', 'Deployment', 'ExternalSecret', 'HorizontalPodAutoscaler', 'Ingress', 'Issuer', 'Job',
    'NetworkPolicy', 'PersistentVolumeClaim', 'PodDisruptionBudget', 'Secret', 'Service', 'ServiceAccount', 'StatefulSet',
  ]);
});

describe('a kind the table lacks', () => {
  let dir: string;
  beforeAll(() => {
    dir = write('without');
  });

  test('keeps its fields as written: no values of its own', () => {
    const template = fs.readFileSync(path.join(dir, 'templates', 'widget-gadget.yaml'), 'utf8');
    expect(template).toMatch(/^ {2}size: 3$/m);
    expect(fs.readFileSync(path.join(dir, 'values.yaml'), 'utf8')).not.toContain('widget');
    expect(findObject(render(dir, NS), 'Widget', 'gadget').spec.size).toBe(3);
    // The schema refuses a value the chart does not have.
    expect(renderFailure(dir, NS, ['--set', 'widget.size=5'])).toContain('Additional property widget is not allowed');
  });
});

describe('a deriver added for that kind in this test', () => {
  let dir: string;
  beforeAll(() => {
    dir = write('with', DERIVERS.with('Widget', widgetDeriver));
  });

  test('is used for the objects of its kind: the template reads its value, values.yaml and the schema hold it', () => {
    const template = fs.readFileSync(path.join(dir, 'templates', 'widget-gadget.yaml'), 'utf8');
    expect(template).toContain('{{- if .Values.widget.enabled }}');
    expect(template).toMatch(/^ {2}size: \{\{ \.Values\.widget\.size \| int64 \}\}$/m);
    expect(template).toMatch(/^ {2}color: blue$/m);
    expect(fs.readFileSync(path.join(dir, 'values.yaml'), 'utf8')).toContain('widget:\n  # -- Size of the widget\n  size: 3\n');
    const schema = JSON.parse(fs.readFileSync(path.join(dir, 'values.schema.json'), 'utf8'));
    expect(schema.properties.widget.properties.size).toMatchObject({ type: 'integer', minimum: 1 });
  });

  test('renders the plain object by default and follows its values with the real helm', () => {
    expect(findObject(render(dir, NS), 'Widget', 'gadget').spec).toEqual({ size: 3, color: 'blue' });
    expect(findObject(render(dir, NS, ['--set', 'widget.size=5']), 'Widget', 'gadget').spec).toEqual({ size: 5, color: 'blue' });
    expect(render(dir, NS, ['--set', 'widget.enabled=false']).filter((o) => o.kind === 'Widget')).toEqual([]);
  });

  test('leaves what every object gets to the engine: the release names the object after itself', () => {
    expect(findObject(render(dir, NS, [], 'alpha'), 'Widget', 'alpha-shop-gadget').spec.size).toBe(3);
  });
});

test('a built-in deriver replaced in the table is no longer used: the Service gets no values of its own', () => {
  const dir = write('replaced', DERIVERS.with('Service', () => nothing()));
  const values = fs.readFileSync(path.join(dir, 'values.yaml'), 'utf8');
  expect(values).not.toMatch(/^service:/m);
  expect(fs.readFileSync(path.join(write('builtin'), 'values.yaml'), 'utf8')).toMatch(/^service:/m);
  expect(fs.readFileSync(path.join(dir, 'templates', 'service-web.yaml'), 'utf8')).toMatch(/^ {6}port: 80$/m);
});
