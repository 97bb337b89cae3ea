/*
 * The settings shared by the Ingress Atlas backend, its cloud modules and the scaffolder
 * actions, declared once with their one reader (src/config/).
 */
export interface Config {
  ingressAtlas?: {
    /**
     * Allow plain-http API server and cloud endpoint URLs on hosts other than loopback.
     * Default false.
     */
    allowInsecureHttp?: boolean;
    /**
     * Clusters the atlas reads and the scaffolder actions may change (named by their
     * `cluster` input). Each needs exactly one of `url`, `kubeconfigPath` or `manifests`.
     */
    clusters?: Array<{
      /** Unique, stable name. */
      name: string;
      title?: string;
      /** API server URL (https; http only on loopback unless allowInsecureHttp). */
      url?: string;
      /** @visibility secret */
      serviceAccountToken?: string;
      /** PEM CA bundle, base64-encoded as in a kubeconfig. */
      caData?: string;
      /** Skip verifying the API server's certificate. Default false. */
      skipTLSVerify?: boolean;
      /** Path to a kubeconfig file on the backend host (its current context is used). */
      kubeconfigPath?: string;
      /** Folders or files of manifests: an offline, read-only cluster. */
      manifests?: string[];
      /** Default `generic`. */
      provider?: 'tencent' | 'aliyun' | 'huawei' | 'generic';
      region?: string;
      /** The cloud's cluster id, e.g. cls-abc123 on TKE. */
      cloudClusterId?: string;
      /**
       * Another cluster of this list whose API server holds this cluster's Istio
       * configuration (Gateways, VirtualServices, DestinationRules). On Alibaba Cloud Service
       * Mesh (ASM) that is the ASM instance (its kubeconfig): the atlas reads the mesh's
       * configuration there, and the actions write Gateways there.
       */
      istioConfigCluster?: string;
    }>;
    providers?: {
      /**
       * Tencent Cloud accounts: read by the atlas (TKE clusters, CLBs, EIPs, VPC endpoints,
       * TCM meshes, prices) and used by the scaffolder actions for the clusters in their regions.
       */
      tencent?: Array<{
        /** Label of the account in the atlas (shown to users; not a credential). */
        name: string;
        /** Regions to read, e.g. `ap-guangzhou`. */
        regions: string[];
        /**
         * An API key of a CAM user or role with read access to CLB, VPC, TKE and TCM (and the
         * price inquiry actions; the scaffolder actions also change CLB, VPC and DNSPod). When
         * absent, the SDK's default chain is used: the TENCENTCLOUD_SECRET_ID / _SECRET_KEY /
         * _SESSION_TOKEN environment variables, the credentials profile file, then the CVM or
         * TKE (OIDC) role.
         */
        credentials?: {
          secretId: string;
          /** @visibility secret */
          secretKey: string;
          /**
           * Session token of temporary credentials.
           * @visibility secret
           */
          token?: string;
        };
        /**
         * Send every call to this endpoint instead of `<product>.tencentcloudapi.com`, e.g.
         * `http://127.0.0.1:6480` for the sandbox. `{product}` is replaced by the product's
         * host label, e.g. `https://{product}.internal.tencentcloudapi.com`.
         */
        endpoint?: string;
        /**
         * Which kubeconfig of each TKE cluster to fetch so the atlas can read it: the VPC
         * (intranet) endpoint, the public (extranet) one, or none (clusters are then only
         * read when configured elsewhere). Defaults to `intranet`.
         */
        kubeconfigAccess?: 'intranet' | 'extranet' | 'none';
      }>;
    };
    /**
     * Price overrides per provider and item, e.g. `tencent: { loadBalancer: 0.2 }` (CNY per
     * hour; items: loadBalancer, eipUnbound, eipTraffic, vpcEndpoint, ...). Used for the
     * atlas's costs and the scaffolder actions' estimates.
     */
    prices?: {
      [provider: string]: { [item: string]: number };
    };
  };
}
