export interface Config {
  ingressAtlas?: {
    providers?: {
      /** Tencent Cloud accounts whose TKE clusters, CLBs, EIPs, VPC endpoints and TCM meshes the atlas reads. */
      tencent?: Array<{
        /** Label of the account in the atlas (shown to users; not a credential). */
        name: string;
        /** Regions to read, e.g. `ap-guangzhou`. */
        regions: string[];
        /**
         * An API key of a CAM user or role with read access to CLB, VPC, TKE and TCM (and the
         * price inquiry actions). When absent, the SDK's default chain is used: the
         * TENCENTCLOUD_SECRET_ID / _SECRET_KEY / _SESSION_TOKEN environment variables, the
         * credentials profile file, then the CVM or TKE (OIDC) role.
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
  };
}
