import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { loadManifestCluster } from '../../manifests';
import { analyze } from '../analyze';

/** A self-signed certificate for `host` valid `days` days from now, as openssl writes it. */
function certificatePem(host: string, days: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-cert-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${host}`,
    '-days', String(days), '-keyout', path.join(dir, 'tls.key'), '-out', path.join(dir, 'tls.crt'),
  ], { stdio: 'ignore' });
  return fs.readFileSync(path.join(dir, 'tls.crt'), 'utf8');
}

/**
 * Istio's older, file-based TLS: the gateway's pod mounts the Secret
 * istio-ingressgateway-certs at /etc/istio/ingressgateway-certs and a Gateway server names the
 * files (serverCertificate, privateKey) instead of a credentialName.
 */
async function fileBasedGateway(
  mount: { mountPath: string; subPath?: string },
  serverCertificate: string,
  items?: Array<{ key: string; path: string }>,
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-mounted-'));
  const labels = { istio: 'ingressgateway' };
  const objects = [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'istio-ingressgateway', namespace: 'istio-system' },
      spec: {
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: 'istio-proxy',
                image: 'docker.io/istio/proxyv2:1.20.8',
                volumeMounts: [{ name: 'certs', readOnly: true, ...mount }],
              },
            ],
            volumes: [
              {
                name: 'certs',
                secret: { secretName: 'istio-ingressgateway-certs', ...(items && { items }) },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: { name: 'istio-ingressgateway-certs', namespace: 'istio-system' },
      data: {
        'tls.crt': Buffer.from(certificatePem('shop.example.cn', 10)).toString('base64'),
        'tls.key': '',
      },
    },
    {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'Gateway',
      metadata: { name: 'shop', namespace: 'shop' },
      spec: {
        selector: labels,
        servers: [
          {
            port: { number: 443, name: 'https', protocol: 'HTTPS' },
            hosts: ['shop.example.cn'],
            tls: { mode: 'SIMPLE', serverCertificate, privateKey: '/etc/istio/ingressgateway-certs/tls.key' },
          },
        ],
      },
    },
  ];
  fs.writeFileSync(path.join(dir, 'gateway.yaml'), objects.map(o => stringify(o)).join('---\n'));
  const { inventory } = await loadManifestCluster([dir], { name: 'shop', provider: 'aliyun' });
  return analyze({ clusters: [inventory] });
}

describe('a certificate mounted into the gateway from a Secret', () => {
  it('gets its Secret and expiry, and a warning when it expires within 30 days', async () => {
    const model = await fileBasedGateway(
      { mountPath: '/etc/istio/ingressgateway-certs' },
      '/etc/istio/ingressgateway-certs/tls.crt',
    );
    const [tls] = model.gateways.flatMap(g => g.listeners).map(l => l.tls);
    expect(tls).toMatchObject({
      certificateSource: 'file',
      secretRef: 'istio-system/istio-ingressgateway-certs',
      daysToExpiry: expect.any(Number),
    });
    expect(tls!.daysToExpiry).toBeGreaterThanOrEqual(9);
    expect(tls!.daysToExpiry).toBeLessThanOrEqual(10);
    expect(model.findings.filter(f => f.code === 'CERT_EXPIRING')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringContaining(
          'The certificate in istio-system/istio-ingressgateway-certs (shop) for shop.example.cn expires in',
        ),
      }),
    ]);
  });

  it('follows a subPath mount and a volume that maps keys to other paths', async () => {
    const subPath = await fileBasedGateway(
      { mountPath: '/etc/certs/server.pem', subPath: 'tls.crt' },
      '/etc/certs/server.pem',
    );
    expect(subPath.gateways[0].listeners[0].tls?.daysToExpiry).toBeDefined();
    const mapped = await fileBasedGateway(
      { mountPath: '/etc/certs' },
      '/etc/certs/server.pem',
      [{ key: 'tls.crt', path: 'server.pem' }],
    );
    expect(mapped.gateways[0].listeners[0].tls?.daysToExpiry).toBeDefined();
  });

  it('names no expiry for a file outside every Secret mount', async () => {
    const model = await fileBasedGateway(
      { mountPath: '/etc/istio/ingressgateway-certs' },
      '/etc/other/tls.crt',
    );
    expect(model.gateways[0].listeners[0].tls).toEqual({
      mode: 'SIMPLE',
      certificateSource: 'file',
    });
    expect(model.findings.filter(f => f.code === 'CERT_EXPIRING')).toEqual([]);
  });
});
