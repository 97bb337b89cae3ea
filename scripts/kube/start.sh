#!/usr/bin/env bash
# Starts a throwaway Kubernetes control plane on 127.0.0.1: etcd, kube-apiserver,
# kube-controller-manager and kube-scheduler (build them first with build.sh), with a fresh CA, token
# authentication and RBAC. There is no kubelet: nodes and pod statuses are written by whoever
# plays the node's part (the tests do).
#
#   scripts/kube/start.sh [--name NAME] [--service-cidr CIDR] [--crds FILE_OR_DIR]...
#
# Prints one JSON line: the server URL, CA file, admin kubeconfig, and two tokens — `admin`
# (system:masters) and `reader` (reads everything but Secrets). Stop it with stop.sh NAME.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NAME=default
SERVICE_CIDR=10.96.0.0/16
CRDS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --name) NAME=$2; shift 2 ;;
    --service-cidr) SERVICE_CIDR=$2; shift 2 ;;
    --crds) CRDS+=("$(realpath "$2")"); shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ "$NAME" =~ ^[a-z0-9-]+$ ]] || { echo "--name must be lower-case letters, digits and dashes" >&2; exit 2; }

BIN=$(bash "$REPO_ROOT/scripts/kube/build.sh" --check)
RUN=${KUBE_RUN_DIR:-${TMPDIR:-/tmp}/ingress-atlas-kube}/$NAME
if [ -f "$RUN/pids" ]; then bash "$REPO_ROOT/scripts/kube/stop.sh" "$NAME"; fi
rm -rf "$RUN"
mkdir -p "$RUN"
cd "$RUN"
log() { echo "[kube-start $NAME] $*" >&2; }

free_port() { node "$REPO_ROOT/scripts/free-port.mjs"; }
ETCD_PORT=$(free_port); ETCD_PEER_PORT=$(free_port); API_PORT=$(free_port)

# ---- a throwaway CA, the serving certificate and the service-account signing key ---------
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=ingress-atlas-test-ca" \
  -keyout ca.key -out ca.crt 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" -keyout server.key -out server.csr 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > server.ext
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
  -extfile server.ext -out server.crt 2>/dev/null
openssl genrsa -out sa.key 2048 2>/dev/null
openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null

token() { openssl rand -hex 24; }
ADMIN_TOKEN=$(token); READER_TOKEN=$(token); KCM_TOKEN=$(token); SCHED_TOKEN=$(token)
# The controller manager and scheduler use their own identities, so the bootstrap RBAC roles
# of a real cluster apply to them.
cat > tokens.csv <<CSV
$ADMIN_TOKEN,admin,admin,system:masters
$READER_TOKEN,reader,reader,
$KCM_TOKEN,system:kube-controller-manager,system:kube-controller-manager,
$SCHED_TOKEN,system:kube-scheduler,system:kube-scheduler,
CSV
chmod 600 tokens.csv ca.key server.key sa.key

kubeconfig() { # file token
  cat > "$1" <<KC
apiVersion: v1
kind: Config
clusters:
  - name: $NAME
    cluster: { server: 'https://127.0.0.1:$API_PORT', certificate-authority: '$RUN/ca.crt' }
users:
  - name: user
    user: { token: '$2' }
contexts:
  - name: $NAME
    context: { cluster: $NAME, user: user }
current-context: $NAME
KC
  chmod 600 "$1"
}
kubeconfig admin.kubeconfig "$ADMIN_TOKEN"
kubeconfig reader.kubeconfig "$READER_TOKEN"
kubeconfig kcm.kubeconfig "$KCM_TOKEN"
kubeconfig scheduler.kubeconfig "$SCHED_TOKEN"

started() { echo "$1" >> pids; }
# A control plane that did not come up completely is stopped, not left behind.
trap 'if [ $? -ne 0 ]; then bash "$REPO_ROOT/scripts/kube/stop.sh" "$NAME"; fi' EXIT

# ---- etcd ----------------------------------------------------------------------------------
"$BIN/etcd" --name "$NAME" --data-dir "$RUN/etcd" \
  --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "$NAME=http://127.0.0.1:$ETCD_PEER_PORT" \
  --unsafe-no-fsync --log-level warn > etcd.log 2>&1 &
started $!

# ---- kube-apiserver ------------------------------------------------------------------------
# Admission webhooks are off: an estate's sidecar-injector webhook names a `*.svc` host, which
# the API server would resolve through the machine's DNS and call, leaving loopback.
# TaintNodesByCondition is off because no kubelet ever reports the nodes ready (the node
# lifecycle controller that would lift its not-ready taint is off for the same reason).
"$BIN/kube-apiserver" \
  --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$API_PORT" \
  --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
  --tls-cert-file=server.crt --tls-private-key-file=server.key --client-ca-file=ca.crt \
  --token-auth-file=tokens.csv --anonymous-auth=false \
  --authorization-mode=Node,RBAC \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file=sa.pub --service-account-signing-key-file=sa.key \
  --service-cluster-ip-range="$SERVICE_CIDR" \
  --allow-privileged=true \
  --endpoint-reconciler-type=none \
  --disable-admission-plugins=MutatingAdmissionWebhook,ValidatingAdmissionWebhook,TaintNodesByCondition \
  --profiling=false \
  > apiserver.log 2>&1 &
started $!

export KUBECONFIG="$RUN/admin.kubeconfig"
for i in $(seq 1 120); do
  if "$BIN/kubectl" get --raw /readyz >/dev/null 2>&1; then break; fi
  if [ "$i" = 120 ]; then log "the API server did not become ready; see $RUN/apiserver.log"; tail -20 apiserver.log >&2; exit 1; fi
  sleep 0.5
done

# ---- kube-controller-manager and kube-scheduler --------------------------------------------
"$BIN/kube-controller-manager" --kubeconfig=kcm.kubeconfig \
  --authentication-kubeconfig=kcm.kubeconfig --authorization-kubeconfig=kcm.kubeconfig \
  --secure-port=0 --leader-elect=false \
  --use-service-account-credentials=true \
  --service-account-private-key-file=sa.key --root-ca-file=ca.crt \
  --service-cluster-ip-range="$SERVICE_CIDR" \
  --controllers='*,-node-lifecycle-controller,-cloud-node-lifecycle-controller,-service-lb-controller,-node-route-controller' \
  > controller-manager.log 2>&1 &
started $!
"$BIN/kube-scheduler" --kubeconfig=scheduler.kubeconfig \
  --authentication-kubeconfig=scheduler.kubeconfig --authorization-kubeconfig=scheduler.kubeconfig \
  --secure-port=0 --leader-elect=false \
  > scheduler.log 2>&1 &
started $!

# ---- CRDs, and the reader's role -----------------------------------------------------------
for crds in "${CRDS[@]}"; do
  "$BIN/kubectl" apply --server-side --field-manager=ingress-atlas-test -f "$crds" >/dev/null
done
if [ ${#CRDS[@]} -gt 0 ]; then
  "$BIN/kubectl" wait --for condition=Established --timeout=60s crd --all >/dev/null
fi
# RBAC cannot deny, so the reader is granted every served resource but Secrets, listed from
# discovery once the CRDs are in.
{
  echo 'apiVersion: rbac.authorization.k8s.io/v1'
  echo 'kind: ClusterRole'
  echo 'metadata: { name: ingress-atlas-test-reader }'
  echo 'rules:'
  "$BIN/kubectl" api-resources --verbs=list -o name | grep -vx secrets | awk -F. '
    { res = $1; grp = substr($0, length($1) + 2); rs[grp] = rs[grp] (rs[grp] ? ", " : "") res }
    END { for (g in rs) printf "  - { apiGroups: [\"%s\"], resources: [%s], verbs: [get, list, watch] }\n", g, rs[g] }'
  echo '---'
  echo 'apiVersion: rbac.authorization.k8s.io/v1'
  echo 'kind: ClusterRoleBinding'
  echo 'metadata: { name: ingress-atlas-test-reader }'
  echo 'roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ingress-atlas-test-reader }'
  echo 'subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: User, name: reader }]'
} > reader-rbac.yaml
"$BIN/kubectl" apply --server-side --field-manager=ingress-atlas-test -f reader-rbac.yaml >/dev/null

# Workloads' pods need their namespace's `default` ServiceAccount, which the controller
# manager creates: wait for it so that the first apply does not race it.
for i in $(seq 1 120); do
  if "$BIN/kubectl" -n default get serviceaccount default >/dev/null 2>&1; then break; fi
  if [ "$i" = 120 ]; then log "the controller manager did not start; see $RUN/controller-manager.log"; exit 1; fi
  sleep 0.5
done

printf '{"name":"%s","server":"https://127.0.0.1:%s","caFile":"%s","kubeconfig":"%s","adminToken":"%s","readerToken":"%s","dir":"%s","bin":"%s"}\n' \
  "$NAME" "$API_PORT" "$RUN/ca.crt" "$RUN/admin.kubeconfig" "$ADMIN_TOKEN" "$READER_TOKEN" "$RUN" "$BIN"
