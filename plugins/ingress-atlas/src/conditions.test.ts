import { Entity } from '@backstage/catalog-model';
import { evaluateFilterPredicate } from '@backstage/filter-predicates';
import { ingressAtlasEntityFilter, isIngressAtlasAvailable } from './conditions';

const component = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'blog', annotations },
  spec: {},
});

describe('which entities show the Ingress card and tab', () => {
  it.each([
    [{ 'backstage.io/kubernetes-id': 'blog' }, true],
    [{ 'backstage.io/kubernetes-label-selector': 'app=blog' }, true],
    [{ 'ingress-atlas.io/hosts': 'blog.example.com' }, true],
    [{ 'backstage.io/kubernetes-namespace': 'blog' }, false],
    [{}, false],
  ])('%p: %p, in both frontend systems', (annotations, shown) => {
    const entity = component(annotations);
    expect(evaluateFilterPredicate(ingressAtlasEntityFilter, entity)).toBe(shown);
    expect(isIngressAtlasAvailable(entity)).toBe(shown);
  });
});
