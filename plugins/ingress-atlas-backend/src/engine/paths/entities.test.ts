import { CatalogEntityLite } from '../types';
import { entityMatcher } from './entities';

const entities: CatalogEntityLite[] = [
  {
    ref: 'component:default/blog',
    annotations: { 'backstage.io/kubernetes-id': 'blog' },
  },
  {
    ref: 'component:default/blog-staging',
    annotations: {
      'backstage.io/kubernetes-id': 'blog',
      'backstage.io/kubernetes-namespace': 'staging',
    },
  },
  {
    ref: 'component:default/shop',
    annotations: {
      'backstage.io/kubernetes-label-selector': 'app=shop,tier in (web,api)',
    },
  },
  {
    // An invalid selector selects nothing; the id is no fallback for it.
    ref: 'component:default/broken',
    annotations: {
      'backstage.io/kubernetes-label-selector': 'app = = shop',
      'backstage.io/kubernetes-id': 'blog',
    },
  },
  {
    ref: 'component:default/docs',
    annotations: {
      'ingress-atlas.io/hosts': 'Docs.Example.com, *.docs.example.com',
    },
  },
  { ref: 'component:default/plain' },
];

describe('entityMatcher', () => {
  const refsFor = entityMatcher(entities);

  it('maps objects to entities as the Kubernetes plugin does: id label, else label selector, within a namespace', () => {
    expect(
      refsFor(
        [
          {
            namespace: 'prod',
            labels: { 'backstage.io/kubernetes-id': 'blog' },
          },
        ],
        'blog.example.com',
      ),
    ).toEqual(['component:default/blog']);
    expect(
      refsFor(
        [
          {
            namespace: 'staging',
            labels: { 'backstage.io/kubernetes-id': 'blog' },
          },
        ],
        'blog.example.com',
      ),
    ).toEqual(['component:default/blog', 'component:default/blog-staging']);
    expect(
      refsFor(
        [{ namespace: 'shop', labels: { app: 'shop', tier: 'api' } }],
        'shop.example.com',
      ),
    ).toEqual(['component:default/shop']);
    expect(
      refsFor(
        [{ namespace: 'shop', labels: { app: 'shop', tier: 'batch' } }],
        'shop.example.com',
      ),
    ).toEqual([]);
  });

  it('maps hosts to the entities that claim them, exactly or by wildcard, in any case', () => {
    const none = [{ namespace: 'docs', labels: undefined }];
    expect(refsFor(none, 'docs.example.com')).toEqual([
      'component:default/docs',
    ]);
    expect(refsFor(none, 'API.docs.example.com')).toEqual([
      'component:default/docs',
    ]);
    expect(refsFor(none, 'example.com')).toEqual([]);
  });

  it('gives each owner once, sorted, for a path through several objects', () => {
    expect(
      refsFor(
        [
          {
            namespace: 'staging',
            labels: { 'backstage.io/kubernetes-id': 'blog' },
          },
          {
            namespace: 'staging',
            labels: {
              'backstage.io/kubernetes-id': 'blog',
              app: 'shop',
              tier: 'web',
            },
          },
        ],
        'docs.example.com',
      ),
    ).toEqual([
      'component:default/blog',
      'component:default/blog-staging',
      'component:default/docs',
      'component:default/shop',
    ]);
  });
});
