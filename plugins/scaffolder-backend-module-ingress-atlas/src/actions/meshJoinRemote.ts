import { isIP } from 'node:net';
import { validateClusterUrl } from '@ingress-atlas/plugin-ingress-atlas-node';
import type { ConnectedCluster } from '../clusters';
import { KubeObject, listObjects, readObject, sleep } from '../kube';
import {
  ISTIO_NAMESPACE,
  installerObjects,
  istioNamespace,
  remoteOperator,
  remoteSecret,
} from '../istio';
import { toYaml } from '../manifests';
import { vpcPath } from '../tke';
import { checkKindsServed } from './applyObjects';
import {
  ActionOptions,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  Preflight,
  changeOutputs,
  clusterInput,
  tencentCloudOf,
  timeoutInput,
} from './common';
import { waitForInstaller } from './installerJob';
import { createAtlasAction } from './runner';
import { checkedString, flagInput, optionalInput } from './inputs';
import { examples } from './meshJoinRemote.examples';

const READER_ACCOUNT = 'istio-reader-service-account';

/**
 * The token of the member's istio-reader service account and the CA that signed its API
 * server, from the account's token Secret (what istioctl create-remote-secret reads). Returned
 * only to be written into the remote secret: never logged or output.
 */
async function readerCredentials(
  cluster: ConnectedCluster,
): Promise<{ token: string; caData?: string } | undefined> {
  const secrets = await listObjects(cluster, {
    apiVersion: 'v1',
    kind: 'Secret',
    namespace: ISTIO_NAMESPACE,
  });
  const secret = secrets.find(
    s =>
      s.type === 'kubernetes.io/service-account-token' &&
      s.metadata?.annotations?.['kubernetes.io/service-account.name'] ===
        READER_ACCOUNT &&
      s.data?.token,
  );
  return (
    secret && {
      token: Buffer.from(secret.data.token, 'base64').toString('utf8'),
      caData: secret.data['ca.crt'],
    }
  );
}

/**
 * The token Secret `istioctl create-remote-secret` creates for the reader account: from
 * Kubernetes 1.24 on, a ServiceAccount gets no token Secret of its own, and the cluster's token
 * controller fills one that names it.
 */
const readerTokenSecret: KubeObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: {
    name: `${READER_ACCOUNT}-istio-remote-secret-token`,
    namespace: ISTIO_NAMESPACE,
    annotations: { 'kubernetes.io/service-account.name': READER_ACCOUNT },
  },
  type: 'kubernetes.io/service-account-token',
};

/** The reader's token once the member's token controller has filled the Secret. */
async function issuedReaderCredentials(
  cluster: ConnectedCluster,
  signal?: AbortSignal,
): Promise<{ token: string; caData?: string }> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const reader = await readerCredentials(cluster);
    if (reader) return reader;
    if (Date.now() > deadline) {
      throw new Error(
        `the token controller of cluster ${
          cluster.name
        } did not fill Secret ${ISTIO_NAMESPACE}/${
          readerTokenSecret.metadata!.name
        } within 60 s`,
      );
    }
    await sleep(1000, signal);
  }
}

/** The address of the primary's east-west gateway (its internal CLB). */
async function eastWestAddress(
  cluster: ConnectedCluster,
): Promise<string | undefined> {
  const service = await readObject(cluster, {
    apiVersion: 'v1',
    kind: 'Service',
    namespace: ISTIO_NAMESPACE,
    name: 'istio-eastwestgateway',
  });
  const ingress = service?.status?.loadBalancer?.ingress?.[0];
  return ingress?.ip ?? ingress?.hostname;
}

/** Where the member reaches istiod: given, or the primary's east-west gateway. */
async function checkPilotAddress(
  preflight: Preflight,
  primary: ConnectedCluster,
  given: string | undefined,
): Promise<string | undefined> {
  const pilot = given ?? (await eastWestAddress(primary));
  preflight.check(
    Boolean(pilot),
    `istiod is reached through ${pilot}`,
    `${primary.name} has no address on istio-system/istio-eastwestgateway; install its east-west gateway first or set remotePilotAddress`,
  );
  if (pilot && !isIP(pilot)) {
    preflight.warn(
      `${pilot} is a host name: the member will resolve it through DNS`,
    );
  }
  return pilot;
}

/**
 * Whether the two clusters' networks meet: the member's pods dial istiod at the east-west
 * address in the primary's VPC, and the primary's istiod reads the member's API server. A
 * warning only, as a VPN or Direct Connect may route what the cloud's API does not show.
 */
async function checkVpcPath(
  preflight: Preflight,
  member: ConnectedCluster,
  primary: ConnectedCluster,
  pilot: string | undefined,
): Promise<void> {
  const cloud = tencentCloudOf(member);
  if (
    !cloud ||
    member.provider !== 'tencent' ||
    primary.provider !== 'tencent'
  ) {
    return;
  }
  const path = await vpcPath(cloud, member, primary);
  if (path.connected) {
    preflight.pass(`the clusters' VPCs meet: ${path.evidence}`);
  } else if (path.connected === false) {
    preflight.warn(
      `${path.evidence}: the member's proxies cannot reach istiod at ${
        pilot ?? "the primary's east-west gateway"
      }, nor can istiod read the member's API server, unless a VPN or Direct Connect routes between them. Peer the VPCs or attach both to one CCN first`,
    );
  } else {
    preflight.warn(
      `Whether the clusters' VPCs meet was not checked: ${path.evidence}`,
    );
  }
}

/**
 * The registry and version of the primary's istiod (`<hub>/pilot:<tag>`): a remote installs the
 * same release as the control plane that serves it.
 */
async function primaryRelease(
  primary: ConnectedCluster,
  revision: string | undefined,
): Promise<{ hub: string; tag: string } | undefined> {
  const istiod = await readObject(primary, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: ISTIO_NAMESPACE,
    name: revision ? `istiod-${revision}` : 'istiod',
  });
  const images: string[] = (istiod?.spec?.template?.spec?.containers ?? []).map(
    (c: { image?: string }) => c.image ?? '',
  );
  for (const image of images) {
    const match = /^(.+)\/pilot:([^@/]+)$/.exec(image);
    if (match) return { hub: match[1], tag: match[2] };
  }
  return undefined;
}

/** Whether the member has the reader account the remote profile creates. */
async function readerAccount(member: ConnectedCluster) {
  return readObject(member, {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    namespace: ISTIO_NAMESPACE,
    name: READER_ACCOUNT,
  });
}

/** The member's API server as the primary's istiod reaches it. */
function memberServer(
  member: ConnectedCluster,
  given: string | undefined,
): string {
  return given
    ? validateClusterUrl(given, {
        allowInsecureHttp: false,
        what: 'memberApiServer',
      })
        .toString()
        .replace(/\/$/, '')
    : member.server;
}

/**
 * Joins a member cluster to a primary's mesh: a remote-profile IstioOperator for the member
 * (installed by istioctl in a Job when asked), and the remote secret that lets the primary's
 * istiod read the member.
 *
 * @public
 */
export function createMeshJoinRemoteAction(options: ActionOptions) {
  return createAtlasAction(options, {
    id: 'ingress-atlas:mesh:join-remote',
    description:
      "Joins a member cluster to a primary's mesh: writes its remote-profile IstioOperator and istio-system namespace into the workspace (with apply, a Job on the member runs istioctl install of the primary's release and the step waits for it), and creates the remote secret istio-remote-secret-<cluster> in the primary (its content is never shown). On a member where the istio-reader account has no token Secret (Kubernetes 1.24 and later create none), creates one and waits for the member to issue its token.",
    examples,
    schema: {
      input: {
        cluster: clusterInput,
        primaryCluster: z =>
          checkedString(
            z,
            'configName',
            'The cluster running istiod, from ingressAtlas.clusters',
          ),
        meshId: z =>
          checkedString(
            z,
            'dnsSubdomain',
            'values.global.meshID of the primary',
          ),
        network: z =>
          checkedString(z, 'dnsSubdomain', "The member's network name"),
        clusterName: optionalInput(
          'dnsSubdomain',
          "The member's name in the mesh. Default: its cloudClusterId, else its name",
        ),
        remotePilotAddress: optionalInput(
          'address',
          "Address of the primary's east-west gateway. Default: the address of istio-system/istio-eastwestgateway in the primary",
        ),
        memberApiServer: optionalInput(
          'apiServerUrl',
          "URL the primary's istiod uses to reach the member's API server. Default: the member's url in ingressAtlas.clusters",
        ),
        revision: optionalInput(
          'revision',
          'Control-plane revision of the primary',
        ),
        path: optionalInput(
          'workspacePath',
          'Folder in the workspace for the files. Default: istio/<cluster>',
        ),
        apply: flagInput(
          "Also install the remote profile on the member: its istio-system namespace (network label, the primary named), then a Job running istioctl install of the primary's release with the IstioOperator; the step waits until the Job completed and the reader account exists. Default: false (files only)",
          false,
        ),
        tag: optionalInput(
          'tag',
          "With apply: the Istio version the installer runs. Default: the version of the primary's istiod",
        ),
        hub: optionalInput(
          'hub',
          "With apply: the image registry. Default: that of the primary's istiod",
        ),
        timeoutSeconds: z => timeoutInput(z, 600),
      },
      output: {
        files: z =>
          z.array(z.string(), {
            description: 'Files written, relative to the workspace',
          }),
        secretName: z =>
          z.string({ description: 'The remote secret in the primary' }),
        remotePilotAddress: z =>
          z.string({ description: 'Where the member reaches istiod' }),
        installed: z =>
          z.boolean({
            description:
              'Whether istioctl installed the remote profile on the member (false when apply is off or on a dry run)',
          }),
        ...changeOutputs,
      },
    },
    clusterFields: ['primaryCluster'],
    intent: input =>
      `join cluster ${input.cluster} to the mesh of ${input.primaryCluster}`,
    async plan(ctx, { cluster: member, preflight, clock }) {
      const { cluster: memberName, primaryCluster, apply } = ctx.input;
      const primary = await options.clusters.connect(primaryCluster, {
        fieldManager: member.fieldManager,
      });
      const clusterName =
        ctx.input.clusterName ?? member.cloudClusterId ?? memberName;
      preflight.check(
        memberName !== primaryCluster,
        'member and primary differ',
        'the member cluster is the primary itself',
      );
      const pilot = await checkPilotAddress(
        preflight,
        primary,
        ctx.input.remotePilotAddress,
      );
      await checkVpcPath(preflight, member, primary, pilot);
      const reader = await readerCredentials(member);
      if (!reader && !apply) {
        preflight.check(
          Boolean(await readerAccount(member)),
          `ServiceAccount ${ISTIO_NAMESPACE}/${READER_ACCOUNT} found on ${memberName}, without a token Secret (Kubernetes 1.24 and later create none): one is created for it`,
          `${memberName} has no ServiceAccount ${ISTIO_NAMESPACE}/${READER_ACCOUNT}; install the remote profile there first (it creates the account), or run with apply`,
        );
      }
      const operator = remoteOperator({
        meshId: ctx.input.meshId,
        network: ctx.input.network,
        clusterName,
        revision: ctx.input.revision,
        remotePilotAddress: pilot ?? '',
      });
      const namespace = istioNamespace({
        network: ctx.input.network,
        primaryClusterName: primary.cloudClusterId ?? primaryCluster,
      });
      const secretWith = (credentials?: { token: string; caData?: string }) =>
        remoteSecret({
          clusterName,
          server: memberServer(member, ctx.input.memberApiServer),
          caData: credentials?.caData ?? member.credentials().caData,
          // Before the member issues the token, the preview holds none (values are not shown).
          token: credentials?.token ?? '',
        });
      const secret = secretWith(reader);
      await checkKindsServed(primary, [secret], preflight);
      const release = apply
        ? {
            ...(await primaryRelease(primary, ctx.input.revision)),
            ...(ctx.input.tag && { tag: ctx.input.tag }),
            ...(ctx.input.hub && { hub: ctx.input.hub }),
          }
        : undefined;
      if (apply || !reader) {
        // Installing, and creating the token Secret, write to the member too.
        preflight.check(
          member.hasCredentials,
          `cluster ${memberName} has credentials`,
          `cluster ${memberName} has no credentials in ingressAtlas.clusters; ${
            reader || apply
              ? 'leave apply off and merge the pull request instead'
              : `create a kubernetes.io/service-account-token Secret for ${ISTIO_NAMESPACE}/${READER_ACCOUNT} there first`
          }`,
        );
      }
      if (release) {
        preflight.check(
          Boolean(release.tag),
          `the installer runs istioctl ${release.tag}, the primary's release`,
          `no Istio version for the installer: ${primaryCluster} runs no istiod${
            ctx.input.revision ? `-${ctx.input.revision}` : ''
          } with a pilot image; give tag`,
        );
      }
      preflight.done();

      ctx.output('secretName', secret.metadata!.name!);
      ctx.output('remotePilotAddress', pilot!);
      const dir = ctx.input.path ?? `istio/${memberName}`;
      const installer = release
        ? installerObjects({
            operator,
            tag: release.tag!,
            hub: release.hub,
            labels: { [MANAGED_BY_LABEL]: MANAGED_BY },
          })
        : [];
      const job = installer.find(o => o.kind === 'Job')?.metadata?.name;
      return {
        key: ['mesh.join-remote', primaryCluster, memberName],
        files: [
          { path: `${dir}/namespace.yaml`, content: toYaml([namespace]) },
          { path: `${dir}/remote.yaml`, content: toYaml([operator]) },
        ],
        steps: [
          ...(job
            ? [
                { name: 'install', objects: [namespace, ...installer] },
                {
                  waitFor: `Job ${ISTIO_NAMESPACE}/${job} (istioctl install ${
                    release!.tag
                  }, remote profile) on ${memberName}`,
                  wait: async () => {
                    await waitForInstaller(ctx, member, {
                      job,
                      timeoutSeconds: ctx.input.timeoutSeconds,
                      clock,
                      installed: async () =>
                        (await readerAccount(member))
                          ? {
                              done: true,
                              seen: `The remote profile ${
                                release!.tag
                              } is installed on ${memberName}: ServiceAccount ${ISTIO_NAMESPACE}/${READER_ACCOUNT} exists`,
                            }
                          : {
                              done: false,
                              seen: `ServiceAccount ${ISTIO_NAMESPACE}/${READER_ACCOUNT} missing`,
                            },
                    });
                  },
                },
              ]
            : []),
          ...(reader
            ? []
            : [
                {
                  name: 'reader-token',
                  cluster: member,
                  objects: [readerTokenSecret],
                  createOnly: true,
                },
                {
                  waitFor: `the token of ${ISTIO_NAMESPACE}/${READER_ACCOUNT} on ${memberName}`,
                  wait: async () => {
                    await issuedReaderCredentials(member, ctx.signal);
                  },
                },
              ]),
          {
            name: 'remote-secret',
            cluster: primary,
            objects: [secret],
            resolve: reader
              ? undefined
              : async () => [
                  secretWith(await issuedReaderCredentials(member, ctx.signal)),
                ],
          },
        ],
        inPlace: `${memberName} already joins the mesh of ${primaryCluster}`,
        // Said once the steps are done: a run whose install failed never says it installed.
        finish: () => {
          ctx.output('installed', Boolean(apply) && !ctx.isDryRun);
        },
      };
    },
  });
}
