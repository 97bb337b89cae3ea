import { useState } from 'react';
import Button from '@material-ui/core/Button';
import RefreshIcon from '@material-ui/icons/Refresh';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { ingressAtlasApiRef } from '../../api';
import { useIngressAtlas } from '../../hooks';

/** Schedules a refresh; shown only to users the backend lets refresh. */
export function RefreshButton() {
  const api = useApi(ingressAtlasApiRef);
  const alertApi = useApi(alertApiRef);
  const permissions = useIngressAtlas(a => a.getPermissions());
  const [busy, setBusy] = useState(false);

  if (!permissions.value?.refresh) return null;

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
