import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadManifestCluster } from './readManifests';
import {
  indentFlowContinuations,
  ManifestError,
  parseManifests,
  SkippedDocument,
} from './parseManifests';

function parse(text: string) {
  const skipped: SkippedDocument[] = [];
  const objects = parseManifests(text, 'in.yaml', s => skipped.push(s));
  return { objects: objects.map(o => o.object), skipped };
}

describe('parseManifests: YAML as kubectl reads it', () => {
  it('reads flow sequences and mappings indented no deeper than their key, as go-yaml does', () => {
    const text = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: istio-ingressgateway',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '      - name: istio-proxy',
      '        args: [',
      '        "proxy",',
      '        "router"',
      '        ]',
      '        ports: [{containerPort: 8080,',
      '        protocol: TCP}]',
      '        command: |',
      '          echo "[not a flow" ]',
      '',
    ].join('\n');
    const { objects } = parse(text);
    expect(objects).toHaveLength(1);
    const container = objects[0].spec.template.spec.containers[0];
    expect(container.args).toEqual(['proxy', 'router']);
    expect(container.ports).toEqual([{ containerPort: 8080, protocol: 'TCP' }]);
    // A block scalar is text, whatever brackets it holds.
    expect(container.command).toBe('echo "[not a flow" ]\n');
  });

  it('only adds spaces, so lines keep their numbers', () => {
    const text = 'a:\n  b: [1,\n  2]\nc: 3\n';
    const relaxed = indentFlowContinuations(text);
    expect(relaxed.split('\n')).toHaveLength(text.split('\n').length);
    expect(relaxed).toBe('a:\n  b: [1,\n   2]\nc: 3\n');
  });

  it('reads JSON, multiple documents, List wrappers, a byte-order mark and CRLF', () => {
    const text =
      '\uFEFFapiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: a\r\n---\r\n' +
      '{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Service","metadata":{"name":"b"}}]}\r\n' +
      '---\r\napiVersion: networking.istio.io/v1\r\nkind: GatewayList\r\nitems:\r\n- apiVersion: networking.istio.io/v1\r\n  kind: Gateway\r\n  metadata: {name: c}\r\n';
    const { objects, skipped } = parse(text);
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Service/a',
      'Service/b',
      'Gateway/c',
    ]);
    expect(objects[0].metadata.name).toBe('a');
    expect(skipped).toEqual([]);
  });

  it('gives each item of a kubectl get -o yaml dump its own line, with CRLF or indented items', () => {
    const dump = (indent: string) =>
      [
        'apiVersion: v1',
        'items:',
        `${indent}- apiVersion: v1`,
        `${indent}  kind: Service`,
        `${indent}  metadata:`,
        `${indent}    name: a`,
        `${indent}  spec:`,
        `${indent}    ports:`,
        `${indent}    - port: 80`,
        `${indent}    - port: 443`,
        `${indent}- apiVersion: networking.istio.io/v1`,
        `${indent}  kind: Gateway`,
        `${indent}  metadata: {name: b}`,
        'kind: List',
        'metadata:',
        '  resourceVersion: ""',
        '',
      ];
    for (const text of [
      dump('').join('\n'),
      dump('').join('\r\n'),
      dump('  ').join('\n'),
    ]) {
      const found = parseManifests(text, 'dump.yaml');
      expect(
        found.map(f => [f.object.kind, f.object.metadata.name, f.line]),
      ).toEqual([
        ['Service', 'a', 3],
        ['Gateway', 'b', 11],
      ]);
      expect(found[0].object.spec.ports).toEqual([{ port: 80 }, { port: 443 }]);
    }
    // An item that is not valid YAML is still reported where it is.
    const broken = dump('');
    broken[12] = '  metadata: {name: [b}';
    expect(() => parseManifests(broken.join('\n'), 'dump.yaml')).toThrow(
      /^dump\.yaml:13: invalid YAML/,
    );
  });

  it('gives items of a typed list the kind and version they leave out, as kubectl does', () => {
    const { objects } = parse(
      '{"kind":"ServiceList","apiVersion":"v1","items":[{"metadata":{"name":"mock"},"spec":{"ports":[{"port":99}]}}]}',
    );
    expect(objects.map(o => [o.apiVersion, o.kind, o.metadata.name])).toEqual([
      ['v1', 'Service', 'mock'],
    ]);
  });

  it('skips documents that are not Kubernetes objects with file and line, and reads the rest', () => {
    const text = [
      'static_resources:', // an Envoy bootstrap
      '  listeners: []',
      '---',
      'replicaCount: 2', // Helm values
      '---',
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources: [gateway.yaml]',
      '---',
      '- just',
      '- a list',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: kept}',
      '',
    ].join('\n');
    const { objects, skipped } = parse(text);
    expect(objects.map(o => o.metadata.name)).toEqual(['kept']);
    expect(skipped).toEqual([
      {
        file: 'in.yaml',
        line: 1,
        reason: 'not a Kubernetes object (no apiVersion and kind)',
      },
      {
        file: 'in.yaml',
        line: 4,
        reason: 'not a Kubernetes object (no apiVersion and kind)',
      },
      {
        file: 'in.yaml',
        line: 6,
        reason:
          'not a Kubernetes object (kustomize.config.k8s.io/v1beta1 Kustomization has no metadata)',
      },
      {
        file: 'in.yaml',
        line: 10,
        reason: 'not a Kubernetes object (a sequence, not a mapping)',
      },
    ]);
  });

  it('accepts an IstioOperator without metadata.name, under the name istioctl install stores it', () => {
    const { objects } = parse(
      'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  profile: demo\n---\n' +
        'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata:\n  namespace: istio-system\nspec:\n  revision: 1-22\n',
    );
    expect(objects.map(o => o.metadata.name)).toEqual([
      'installed-state',
      'installed-state-1-22',
    ]);
  });

  it('still refuses YAML that go-yaml refuses too, with file and line', () => {
    expect(() =>
      parseManifests(
        'apiVersion: v1\nkind: Service\nmetadata: { name: [unclosed\n',
        'bad.yaml',
      ),
    ).toThrow(ManifestError);
    expect(() =>
      parseManifests(
        'apiVersion: v1\nkind: Service\nmetadata: { name: [unclosed\n',
        'bad.yaml',
      ),
    ).toThrow(/^bad\.yaml:4: invalid YAML: Flow sequence/);
  });

  it('reports skipped documents of a folder next to the kinds it does not read', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-parse-'));
    try {
      await fs.writeFile(
        path.join(dir, 'values.yaml'),
        'image:\n  tag: 1.22\n',
      );
      await fs.writeFile(
        path.join(dir, 'svc.yaml'),
        'apiVersion: v1\nkind: Service\nmetadata: {name: a}\n',
      );
      const { inventory, skipped, skippedDocuments } =
        await loadManifestCluster([dir]);
      expect(inventory.objects.services?.map(s => s.metadata.name)).toEqual([
        'a',
      ]);
      expect(skipped).toEqual({});
      expect(skippedDocuments).toEqual([
        {
          file: path.join(dir, 'values.yaml'),
          line: 1,
          reason: 'not a Kubernetes object (no apiVersion and kind)',
        },
      ]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
