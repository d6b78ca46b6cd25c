import { Chart, Testing, Yaml } from 'cdk8s';
import { AccessMode, PersistentStorage, PersistentStorageProps } from '../../src/config/persistent-storage';
import { findObject, synthError, synthManifests } from '../util/manifests';

function rescanData(overrides: Partial<PersistentStorageProps> = {}): { chart: Chart; storage: PersistentStorage } {
  const chart = Testing.chart();
  const storage = new PersistentStorage(chart, 'rescan-data-pvc', {
    name: 'rescan-data-pvc',
    namespace: 'rescan',
    size: '1Gi',
    minimumSize: '500Mi',
    mountPath: '/app/data',
    appName: 'rescan',
    labels: { app: 'rescan' },
    ...overrides,
  });
  return { chart, storage };
}


describe('PersistentStorage', () => {
  test('renders the seed 003 rescan-data-pvc claim (snapshot)', () => {
    const { chart } = rescanData();
    expect(Yaml.stringify(...synthManifests(chart))).toMatchSnapshot();
  });

  test('names, labels, access mode, size; storage class omitted by default', () => {
    const { chart } = rescanData();
    const objects = synthManifests(chart);
    expect(objects).toHaveLength(1);
    const pvc = findObject(objects, 'PersistentVolumeClaim', 'rescan-data-pvc');
    expect(pvc.apiVersion).toBe('v1');
    expect(pvc.metadata.namespace).toBe('rescan');
    expect(pvc.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'rescan',
      'app.kubernetes.io/instance': 'rescan',
      'app.kubernetes.io/managed-by': 'cdk8s-deploykit',
      'app': 'rescan',
    });
    expect(pvc.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } });
    expect('storageClassName' in pvc.spec).toBe(false);
  });

  test('storage class and access mode are rendered when given', () => {
    const { chart } = rescanData({ storageClass: 'local-path', accessMode: AccessMode.READ_WRITE_ONCE_POD });
    const pvc = findObject(synthManifests(chart), 'PersistentVolumeClaim', 'rescan-data-pvc');
    expect(pvc.spec.storageClassName).toBe('local-path');
    expect(pvc.spec.accessModes).toEqual(['ReadWriteOncePod']);
  });

  test('public properties and volume()', () => {
    const { storage } = rescanData();
    expect(storage.claimName).toBe('rescan-data-pvc');
    expect(storage.accessMode).toBe(AccessMode.READ_WRITE_ONCE);
    expect(storage.mountPath).toBe('/app/data');
    expect(storage.size).toBe('1Gi');
    expect(storage.volume()).toEqual({ name: 'rescan-data-pvc', mountPath: '/app/data', readOnly: false, claimName: 'rescan-data-pvc' });
    expect(rescanData({ accessMode: AccessMode.READ_ONLY_MANY }).storage.volume().readOnly).toBe(true);
  });

  test('isSingleWriter is true for ReadWriteOnce and ReadWriteOncePod only', () => {
    expect(PersistentStorage.isSingleWriter(AccessMode.READ_WRITE_ONCE)).toBe(true);
    expect(PersistentStorage.isSingleWriter(AccessMode.READ_WRITE_ONCE_POD)).toBe(true);
    expect(PersistentStorage.isSingleWriter(AccessMode.READ_WRITE_MANY)).toBe(false);
    expect(PersistentStorage.isSingleWriter(AccessMode.READ_ONLY_MANY)).toBe(false);
  });

  test('no minimum by default: a small size passes', () => {
    const { chart } = rescanData({ size: '10Mi', minimumSize: undefined });
    expect(() => synthManifests(chart)).not.toThrow();
  });

  test('size equal to the minimum in another unit passes', () => {
    const { chart } = rescanData({ size: '524288Ki', minimumSize: '500Mi' });
    expect(() => synthManifests(chart)).not.toThrow();
  });

  describe('rules', () => {
    test('name must be a DNS-1123 subdomain', () => {
      const { chart } = rescanData({ name: 'rescan_data' });
      expect(() => synthManifests(chart)).toThrow(/name: got "rescan_data"; expected a DNS-1123 subdomain/);
    });

    test('namespace must be a DNS-1123 label', () => {
      const { chart } = rescanData({ namespace: 'rescan.dev' });
      expect(() => synthManifests(chart)).toThrow(/namespace: got "rescan.dev"; expected a DNS-1123 label/);
    });

    test.each(['1GB', '-1Gi', '0', '1gi', '100m', 'lots'])('size %s is not a byte quantity', (size) => {
      const { chart } = rescanData({ size, minimumSize: undefined });
      expect(() => synthManifests(chart)).toThrow(new RegExp(`size: got "${size}"; expected a byte quantity such as "128Mi"`));
    });

    test('size must reach minimumSize', () => {
      const { chart } = rescanData({ size: '256Mi' });
      expect(() => synthManifests(chart)).toThrow(/size: got "256Mi"; expected at least "500Mi" \(minimumSize\)/);
    });

    test('minimumSize must be a byte quantity', () => {
      const { chart } = rescanData({ minimumSize: 'half a gig' });
      expect(() => synthManifests(chart)).toThrow(/minimumSize: got "half a gig"; expected a byte quantity/);
    });

    test('storageClass must be a DNS-1123 subdomain', () => {
      const { chart } = rescanData({ storageClass: 'Local_Path' });
      expect(() => synthManifests(chart)).toThrow(/storageClass: got "Local_Path"; expected a DNS-1123 subdomain/);
    });

    test('mountPath must be absolute', () => {
      const { chart } = rescanData({ mountPath: 'app/data' });
      expect(() => synthManifests(chart)).toThrow(/mountPath: got "app\/data"; expected an absolute path starting with "\/"/);
    });

    test('mountPath must not be the root folder', () => {
      const { chart } = rescanData({ mountPath: '/' });
      expect(() => synthManifests(chart)).toThrow(/mountPath: got "\/"; expected a folder below "\/"/);
    });

    test('labels and label props must be valid', () => {
      const { chart } = rescanData({ labels: { tier: 'data store' }, partOf: '_x' });
      expect(() => synthManifests(chart)).toThrow(/labels\.tier: got "data store"; expected a label value/);
      expect(() => synthManifests(chart)).toThrow(/partOf: got "_x"; expected a label value/);
    });

    test('several mistakes are reported together', () => {
      const { chart } = rescanData({ name: 'Data', size: '100Mi', storageClass: 'a..b', mountPath: 'data' });
      const lines = synthError(chart).split('\n').filter((l) => l.startsWith('  [test/rescan-data-pvc]'));
      expect(lines).toEqual([
        expect.stringMatching(/name: got "Data"; expected a DNS-1123 subdomain/),
        expect.stringMatching(/storageClass: got "a\.\.b"; expected a DNS-1123 subdomain/),
        expect.stringMatching(/mountPath: got "data"; expected an absolute path/),
        expect.stringMatching(/size: got "100Mi"; expected at least "500Mi"/),
      ]);
    });
  });
});
