import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PrometheusTraffic } from './PrometheusTraffic';

/**
 * A stand-in for Prometheus's HTTP API: `/api/v1/query` answers an instant vector per metric
 * the query names, in Prometheus's JSON, and a query it cannot parse as Prometheus does.
 */
async function startPrometheus(
  series: Record<
    string,
    Array<{ metric: Record<string, string>; bytes: number }>
  >,
  options: { status?: number } = {},
) {
  const queries: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', chunk => (body += chunk));
    req.on('end', () => {
      const params = new URLSearchParams(body);
      const query = params.get('query') ?? '';
      queries.push(query);
      const metric = Object.keys(series).find(name =>
        query.includes(`${name}{`),
      );
      res.setHeader('Content-Type', 'application/json');
      if (req.url !== '/prom/api/v1/query' || options.status || !metric) {
        res.statusCode = options.status ?? (metric ? 404 : 400);
        res.end(
          JSON.stringify({
            status: 'error',
            errorType: 'bad_data',
            error: `unknown query ${query}`,
          }),
        );
        return;
      }
      const time = Number(params.get('time'));
      res.end(
        JSON.stringify({
          status: 'success',
          data: {
            resultType: 'vector',
            result: series[metric].map(s => ({
              metric: s.metric,
              value: [time, String(s.bytes)],
            })),
          },
        }),
      );
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/prom`,
    queries,
    stop: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

const gateway = {
  source_workload: 'istio-ingressgateway',
  source_workload_namespace: 'istio-system',
  source_cluster: 'cls-blog0001',
};

describe('PrometheusTraffic', () => {
  it("adds a gateway's HTTP response bytes and TCP bytes sent over two days, per month", async () => {
    const prometheus = await startPrometheus({
      // 6 GB of HTTP responses and 2 GB over TCP in 2 days: 4 GB/day = 120 GB in 30 days.
      istio_response_bytes_sum: [{ metric: gateway, bytes: 6e9 }],
      istio_tcp_sent_bytes_total: [
        { metric: gateway, bytes: 2e9 },
        {
          metric: { ...gateway, source_workload: 'blog' },
          bytes: 1e9,
        },
      ],
    });
    try {
      const traffic = await PrometheusTraffic.create({
        url: prometheus.url,
      }).read(new Date('2026-11-21T00:00:00Z'));

      expect(traffic).toEqual([
        {
          namespace: 'istio-system',
          workload: 'istio-ingressgateway',
          cluster: 'cls-blog0001',
          measurement: {
            gbPerMonth: 120,
            source:
              'Prometheus istio_response_bytes_sum + istio_tcp_sent_bytes_total (reporter="source")',
            from: '2026-11-19T00:00:00.000Z',
            to: '2026-11-21T00:00:00.000Z',
          },
        },
        // 1 GB in 2 days = 15 GB in 30.
        expect.objectContaining({
          workload: 'blog',
          measurement: expect.objectContaining({ gbPerMonth: 15 }),
        }),
      ]);
      expect(prometheus.queries).toEqual([
        'sum by (source_workload_namespace, source_workload, source_cluster) (increase(istio_response_bytes_sum{reporter="source"}[2d]))',
        'sum by (source_workload_namespace, source_workload, source_cluster) (increase(istio_tcp_sent_bytes_total{reporter="source"}[2d]))',
      ]);
    } finally {
      await prometheus.stop();
    }
  });

  it('fails with what Prometheus said when it refuses', async () => {
    const prometheus = await startPrometheus({}, { status: 503 });
    try {
      await expect(
        PrometheusTraffic.create({ url: prometheus.url }).read(),
      ).rejects.toThrow(/HTTP 503: bad_data unknown query/);
    } finally {
      await prometheus.stop();
    }
  });
});
