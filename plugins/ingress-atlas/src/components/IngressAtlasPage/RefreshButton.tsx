import { useState } from 'react';
import Button from '@material-ui/core/Button';
import RefreshIcon from '@material-ui/icons/Refresh';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { ingressAtlasRefreshPermission } from '@ingress-atlas/plugin-ingress-atlas-common';
import { ingressAtlasApiRef } from '../../api';

/** Schedules a refresh; shown only to users the permission policy lets refresh. */
export function RefreshButton() {
  const api = useApi(ingressAtlasApiRef);
  const alertApi = useApi(alertApiRef);
  const { allowed } = usePermission({
    permission: ingressAtlasRefreshPermission,
  });
  const [busy, setBusy] = useState(false);

  if (!allowed) return null;

  const refresh = async () => {
    setBusy(true);
    try {
      await api.refresh();
      alertApi.post({
        message:
          'Refresh scheduled: clusters and cloud accounts are being read again. Reload in a minute to see the result.',
        severity: 'success',
        display: 'transient',
      });
    } catch (error) {
      alertApi.post({
        message: `Could not schedule a refresh: ${(error as Error).message}`,
        severity: 'error',
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Button
      variant="contained"
      color="primary"
      startIcon={<RefreshIcon />}
      onClick={refresh}
      disabled={busy}
    >
      Refresh now
    </Button>
  );
}
