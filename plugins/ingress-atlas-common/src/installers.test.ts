import { installerOf } from './installers';

describe('installerOf', () => {
  it("reads TCM's and ASM's marks, as labels or annotations", () => {
    expect(
      installerOf({
        labels: { 'install.operator.istio.io/owning-resource': 'tcm' },
      }),
    ).toBe('tcm');
    expect(
      installerOf({
        annotations: { 'install.operator.istio.io/owning-resource': 'tcm' },
      }),
    ).toBe('tcm');
    expect(installerOf({ labels: { provider: 'asm' } })).toBe('asm');
    expect(
      installerOf({ annotations: { 'asm.alibabacloud.com/owner': 'x' } }),
    ).toBe('asm');
  });

  it("tells istioctl's objects from Helm's, though Istio's charts set owning-resource too", () => {
    // istioctl install: owning-resource "unknown"; Istio's operator: the IstioOperator's name.
    expect(
      installerOf({
        labels: {
          'install.operator.istio.io/owning-resource': 'unknown',
          'operator.istio.io/component': 'IngressGateways',
        },
      }),
    ).toBe('istioctl');
    expect(
      installerOf({
        labels: {
          'install.operator.istio.io/owning-resource': 'installed-state',
        },
      }),
    ).toBe('istioctl');
    expect(
      installerOf({
        labels: {
          'app.kubernetes.io/managed-by': 'Helm',
          'install.operator.istio.io/owning-resource': 'unknown',
        },
      }),
    ).toBe('helm');
  });

  it('names no installer for an object applied by hand', () => {
    expect(installerOf({ labels: { app: 'istio-ingressgateway' } })).toBe(
      undefined,
    );
    expect(installerOf({})).toBe(undefined);
  });
});
