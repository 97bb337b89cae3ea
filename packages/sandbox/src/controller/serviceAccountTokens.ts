import { randomBytes } from 'node:crypto';
import type { ObjectStore } from '../kube/store';
import { SERVING_CERTIFICATE } from '../kube/servingCertificate';

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/**
 * Plays kube-controller-manager's token controller: a `kubernetes.io/service-account-token`
 * Secret naming an existing ServiceAccount gets a token, the cluster's CA and its namespace.
 * Since Kubernetes 1.24 nothing else creates such Secrets: whoever needs a long-lived token
 * creates the Secret, and this fills it. The token is random: nothing in the sandbox accepts it.
 */
export function fillServiceAccountTokens(store: ObjectStore): void {
  const secrets = store.type('', 'secrets')!;
  const accounts = store.type('', 'serviceaccounts')!;
  for (const secret of store.list(secrets)) {
    const account =
      secret.metadata.annotations?.['kubernetes.io/service-account.name'];
    if (
      secret.type !== 'kubernetes.io/service-account-token' ||
      secret.data?.token ||
      !account ||
      !store.get(accounts, secret.metadata.namespace!, account)
    ) {
      continue;
    }
    store.update(secrets, {
      ...secret,
      data: {
        ...secret.data,
        token: base64(`sandbox-sa-${randomBytes(16).toString('hex')}`),
        'ca.crt': base64(SERVING_CERTIFICATE),
        namespace: base64(secret.metadata.namespace!),
      },
    });
  }
}
