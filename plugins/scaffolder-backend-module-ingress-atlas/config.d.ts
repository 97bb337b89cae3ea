export interface Config {
  ingressAtlas?: {
    /** Allow plain-http API server URLs on hosts other than loopback. Default false. */
    allowInsecureHttp?: boolean;
    /** Clusters the scaffolder actions may change, named by the actions' `cluster` input. */
    clusters?: Array<{
      name: string;
      /** API server URL: https, or http on loopback. */
      url?: string;
      /** @visibility secret */
      serviceAccountToken?: string;
      /** PEM CA bundle, base64-encoded as in a kubeconfig. */
      caData?: string;
      skipTLSVerify?: boolean;
      /** Path to a kubeconfig file on the backend host (its current context is used). */
      kubeconfigPath?: string;
      provider?: 'tencent' | 'aliyun' | 'huawei' | 'generic';
      region?: string;
      /** The cloud's cluster id, e.g. cls-abc123 on TKE. */
      cloudClusterId?: string;
    }>;
    providers?: {
      tencent?: Array<{
        name: string;
        /** Regions this account covers; all when absent. */
        regions?: string[];
        /** API endpoint override, e.g. http://127.0.0.1:6480; the public endpoints when absent. */
        endpoint?: string;
        credentials: {
          /** @visibility secret */
          secretId: string;
          /** @visibility secret */
          secretKey: string;
        };
      }>;
    };
  };
}
