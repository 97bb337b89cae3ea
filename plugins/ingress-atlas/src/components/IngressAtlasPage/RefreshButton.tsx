import { useState } from 'react';
import { Button, ButtonIcon, useBreakpoint } from '@backstage/ui';
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
  const narrow = useBreakpoint().down('xs');

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

  if (narrow) {
    // On a phone the header has no room for a labelled button beside the subtitle.
    return (
      <ButtonIcon
        aria-label="Refresh now"
        icon={<RefreshIcon />}
        variant="secondary"
        onPress={refresh}
        isDisabled={busy}
      />
    );
  }

  return (
    <Button
      variant="primary"
      size="medium"
      iconStart={<RefreshIcon />}
      onPress={refresh}
      isPending={busy}
    >
      Refresh now
    </Button>
  );
}
