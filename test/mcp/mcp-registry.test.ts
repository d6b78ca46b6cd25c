/** McpRegistry (seed 004 Registry): its rules, each with a bad value and the expected error, and its configuration entry. */
import { Chart } from 'cdk8s';
import { mcpChart } from './fixtures';
import { McpRegistry, McpRegistryAuthScheme, McpRegistryProps, McpRegistryStatus } from '../../src';
import { warningsOf } from '../../src/core/warnings';
import { synthError, synthManifests } from '../util/manifests';

function registry(props: Partial<McpRegistryProps> = {}): { chart: Chart; registry: McpRegistry } {
  const chart = mcpChart();
  return { chart, registry: new McpRegistry(chart, 'registry', { name: 'toolhive-official', url: 'https://registry.example.com/v0/servers', ...props }) };
}

describe('McpRegistry', () => {
  test('emits no object; its configuration entry names the Secret of its credential, never a token', () => {
    const { chart, registry: r } = registry({
      description: 'Curated servers',
      metadata: { maintainer: 'platform-team' },
      authConfig: { secretName: 'registry-credentials', secretKey: 'token' },
    });
    expect(synthManifests(chart)).toEqual([]);
    expect(r.status).toBe(McpRegistryStatus.ACTIVE);
    expect(r.toConfig('/etc/toolhive/registry-auth')).toEqual({
      name: 'toolhive-official',
      url: 'https://registry.example.com/v0/servers',
      description: 'Curated servers',
      status: 'active',
      metadata: { maintainer: 'platform-team' },
      auth: { scheme: 'bearer', secretName: 'registry-credentials', secretKey: 'token', file: '/etc/toolhive/registry-auth/registry-credentials/token' },
    });
    expect(registry({ status: McpRegistryStatus.INACTIVE }).registry.toConfig('/x')).toEqual({
      name: 'toolhive-official', url: 'https://registry.example.com/v0/servers', status: 'inactive',
    });
  });

  test('accepts names of 1-64 letters, digits and hyphens', () => {
    for (const name of ['a-b', 'x'.repeat(64), 'Toolhive-Official-2', 'r']) expect(synthManifests(registry({ name }).chart)).toEqual([]);
  });

  test.each([
    ['a name of 65 characters', { name: 'x'.repeat(65) }, /\[mcp\/registry\] name: got "x{65}"; expected a registry name of 1-64 letters, digits and hyphens/],
    ['an empty name', { name: '' }, /name: got ""; expected a registry name of 1-64 letters, digits and hyphens/],
    ['a name with an underscore', { name: 'tool_hive' }, /name: got "tool_hive"; expected a registry name/],
    ['a name with a space', { name: 'tool hive' }, /name: got "tool hive"; expected a registry name/],
    ['a name ending with a hyphen', { name: 'toolhive-' }, /name: got "toolhive-"; expected a registry name of 1-64 letters, digits and hyphens, starting and ending with a letter or digit/],
    ['an ftp URL', { url: 'ftp://registry.example.com/servers' }, /url: got "ftp:\/\/registry\.example\.com\/servers"; expected an http:\/\/ or https:\/\/ endpoint URL with a host/],
    ['a relative URL', { url: '/v0/servers' }, /url: got "\/v0\/servers"; expected an http:\/\/ or https:\/\/ endpoint URL/],
    ['a URL that is no URL', { url: 'registry.example.com' }, /url: got "registry\.example\.com"; expected an http:\/\/ or https:\/\/ endpoint URL/],
    ['a URL with spaces', { url: 'https://registry.example.com/my servers' }, /url: got "https:\/\/registry\.example\.com\/my servers"; expected an http/],
    ['an unknown status', { status: 'broken' as McpRegistryStatus }, /status: got "broken"; expected one of active, inactive, error, syncing/],
    ['a bad Secret name', { authConfig: { secretName: 'Registry_Creds', secretKey: 'token' } }, /authConfig\.secretName: got "Registry_Creds"; expected a DNS-1123 subdomain/],
    ['a bad Secret key', { authConfig: { secretName: 'creds', secretKey: 'my token' } }, /authConfig\.secretKey: got "my token"; expected a data key/],
    ['an unknown auth scheme', { authConfig: { secretName: 'creds', secretKey: 'token', scheme: 'digest' as McpRegistryAuthScheme } }, /authConfig\.scheme: got "digest"; expected one of bearer, basic/],
  ])('refuses %s', (_what, props, message) => {
    expect(synthError(registry(props).chart)).toMatch(message);
  });

  test('a URL with credentials is refused without echoing the password; a token in metadata is refused, redacted', () => {
    const url = synthError(registry({ url: 'https://admin:s3cr3t-pa55@registry.example.com/v0' }).chart);
    expect(url).toMatch(/url: got <redacted>; expected an http:\/\/ or https:\/\/ endpoint URL with a host.*without credentials in it \(use authConfig, a reference to a Secret\)/);
    expect(url).not.toContain('s3cr3t');
    const metadata = synthError(registry({ metadata: { apiToken: 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB' } }).chart);
    expect(metadata).toMatch(/metadata\.apiToken: got <redacted>; expected no credential in metadata: put it in a Secret and reference it with authConfig/);
    expect(metadata).not.toContain('ghp_');
  });

  test('every broken rule is reported at once', () => {
    const message = synthError(registry({ name: 'bad name', url: 'gopher://x', status: 'x' as McpRegistryStatus }).chart);
    expect(message.split('\n').filter((l) => l.includes('[mcp/registry]'))).toHaveLength(3);
  });

  test('error and syncing are runtime states: a warning, not an error', () => {
    const { chart, registry: r } = registry({ status: McpRegistryStatus.SYNCING });
    expect(synthManifests(chart)).toEqual([]);
    expect(warningsOf(r)).toEqual(['status "syncing" is a runtime state the application sets while syncing; a synthesized registry usually starts "active" or "inactive"']);
  });
});
