export interface Config {
  ingressAtlas?: {
    reachability?: {
      /**
       * An HTTP prober the scaffolder actions ask instead of connecting to gateway addresses
       * themselves (for a backend without a route to the internet):
       * `GET <probeUrl>?address=<ip>&port=<n>` answers `{ "reachable": boolean, "detail": string }`.
       * Default: a TCP connection from the backend.
       */
      probeUrl?: string;
    };
  };
}
