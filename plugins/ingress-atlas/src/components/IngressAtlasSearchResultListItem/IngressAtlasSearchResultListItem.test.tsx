import { screen } from '@testing-library/react';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import {
  SearchFilterResultTypeBlueprint,
  SearchResultListItemBlueprint,
} from '@backstage/plugin-search-react/alpha';
import {
  IngressAtlasSearchDocument,
  IngressAtlasSearchResultListItem,
} from './IngressAtlasSearchResultListItem';
import {
  ingressAtlasSearchResultListItem,
  ingressAtlasSearchResultType,
} from './extensions';

/** A document as the `ingress-atlas` collator indexes it. */
const blog: IngressAtlasSearchDocument = {
  title: 'blog.example.com',
  text: [
    'blog.example.com is reachable from the internet on tke-blog.',
    'Entry: 198.51.100.11 on CLB lb-blog0001 (load-balancer, public).',
    'Gateway: istio-system/istio-ingressgateway (istio) on tke-blog.',
  ].join('\n'),
  location: '/catalog/default/component/blog/ingress',
  host: 'blog.example.com',
  entityRef: 'component:default/blog',
  clusters: ['tke-blog'],
  network: 'public',
  monthlyCostCny: 45.6,
};

describe('IngressAtlasSearchResultListItem', () => {
  it('links the host to its owner’s Ingress tab and says how it is reached', async () => {
    await renderInTestApp(<IngressAtlasSearchResultListItem result={blog} />);

    expect(
      screen.getByRole('link', { name: 'blog.example.com' }),
    ).toHaveAttribute('href', '/catalog/default/component/blog/ingress');
    expect(
      screen.getByText(/198\.51\.100\.11 on CLB lb-blog0001/),
    ).toBeInTheDocument();
    expect(screen.getByText('Public')).toBeInTheDocument();
    expect(screen.getByText('Cluster: tke-blog')).toBeInTheDocument();
    expect(screen.getByText('45.6 CNY/month')).toBeInTheDocument();
    expect(
      screen.getByText('Owner entity: component:default/blog'),
    ).toBeInTheDocument();
  });

  it('marks the matched words of the host', async () => {
    await renderInTestApp(
      <IngressAtlasSearchResultListItem
        result={blog}
        highlight={{
          preTag: '<em>',
          postTag: '</em>',
          fields: { title: '<em>blog</em>.example.com' },
        }}
      />,
    );

    const link = screen.getByRole('link', { name: 'blog.example.com' });
    expect(link.querySelector('mark')).toHaveTextContent('blog');
  });

  it("shows no raw markers and loses no space where Lunr's marks overlap", async () => {
    // What Backstage's Lunr engine returns when two matches overlap: tags inside tags.
    const tag = '43741714-0b6e-4b39-8f8e-0d5f3c1a9b21';
    const pre = `<${tag}>`;
    const post = `</${tag}>`;
    const shop: IngressAtlasSearchDocument = {
      ...blog,
      title: 'www.shop.example.cn',
      text: 'Entry: 203.0.113.140 on CLB lb-bp1ingress01 (load-balancer, public).',
      host: 'www.shop.example.cn',
    };
    await renderInTestApp(
      <IngressAtlasSearchResultListItem
        result={shop}
        highlight={{
          preTag: pre,
          postTag: post,
          fields: {
            title: `www.s${pre}h${pre}op${post}.example.cn${post}`,
            text: `Entry: 203.0.113.140 on CLB${pre} lb${post}-${pre}bp1ingress01${post} (load-balancer, public).`,
          },
        }}
      />,
    );

    const link = screen.getByRole('link', { name: 'www.shop.example.cn' });
    expect(link).toHaveTextContent(/^www\.shop\.example\.cn$/);
    expect(document.body).toHaveTextContent(
      'Entry: 203.0.113.140 on CLB lb-bp1ingress01 (load-balancer, public).',
    );
    expect(document.body).not.toHaveTextContent(tag);
    expect(
      [...document.querySelectorAll('mark')].map(mark => mark.textContent),
    ).toContain('bp1ingress01');
  });
});

describe('search extensions', () => {
  it('adds "Exposed hosts" to the result type filter', () => {
    const tester = createExtensionTester(ingressAtlasSearchResultType);

    expect(
      tester.get(SearchFilterResultTypeBlueprint.dataRefs.resultType),
    ).toMatchObject({
      value: 'ingress-atlas',
      name: 'Exposed hosts',
    });
  });

  it('renders only ingress-atlas results', () => {
    const { predicate } = createExtensionTester(
      ingressAtlasSearchResultListItem,
    ).get(SearchResultListItemBlueprint.dataRefs.item);

    expect(predicate?.({ type: 'ingress-atlas', document: blog })).toBe(true);
    expect(predicate?.({ type: 'software-catalog', document: blog })).toBe(
      false,
    );
  });
});
