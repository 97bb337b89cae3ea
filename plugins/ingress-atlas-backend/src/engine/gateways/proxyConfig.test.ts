import { envoyTcpForwards, nginxStreamForwards } from './proxyConfig';

describe('front proxy configurations', () => {
  it('reads Envoy tcp_proxy listeners and their clusters', () => {
    const config = JSON.stringify({
      static_resources: {
        listeners: [
          {
            address: {
              socket_address: { address: '0.0.0.0', port_value: 443 },
            },
            filter_chains: [
              {
                filters: [
                  {
                    name: 'envoy.filters.network.tcp_proxy',
                    typed_config: { cluster: 'gw' },
                  },
                ],
              },
            ],
          },
          {
            address: {
              socket_address: { address: '0.0.0.0', port_value: 9901 },
            },
            filter_chains: [
              {
                filters: [
                  { name: 'envoy.filters.network.http_connection_manager' },
                ],
              },
            ],
          },
        ],
        clusters: [
          {
            name: 'gw',
            load_assignment: {
              endpoints: [
                {
                  lb_endpoints: [
                    {
                      endpoint: {
                        address: {
                          socket_address: {
                            address: 'istio-ingressgateway.istio-system',
                            port_value: 443,
                          },
                        },
                      },
                    },
                  ],
                },
              ],
            },
          },
        ],
      },
    });
    expect(envoyTcpForwards(config)).toEqual([
      { port: 443, host: 'istio-ingressgateway.istio-system', targetPort: 443 },
    ]);
    expect(envoyTcpForwards('not: [valid')).toEqual([]);
  });

  it('reads nginx stream servers, through upstreams or directly', () => {
    const config = `
      http { server { listen 80; location / { proxy_pass http://web; } } }
      stream {
        upstream apiserver { server kubernetes.default.svc:443 max_fails=3; }
        server { listen 6443; proxy_pass apiserver; }
        server { listen 0.0.0.0:8443; proxy_pass gateway.istio-system:443; }
      }`;
    expect(nginxStreamForwards(config)).toEqual([
      { port: 6443, host: 'kubernetes.default.svc', targetPort: 443 },
      { port: 8443, host: 'gateway.istio-system', targetPort: 443 },
    ]);
  });
});
