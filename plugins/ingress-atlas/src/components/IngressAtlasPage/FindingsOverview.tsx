import { Route, Routes, useParams } from 'react-router-dom';
import {
  Content,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { Finding } from '@ingress-atlas/plugin-ingress-atlas-common';
import { useIngressAtlas } from '../../hooks';
import { FindingCodeDetails, FindingsTable } from '../FindingsList';
import { rootRouteRef } from '../../routes';

/** A finding code's page: `/findings/IDLE_EIP`. */
function FindingCodeRoute({ findings }: { findings: Finding[] }) {
  const { code = '' } = useParams();
  const atlasRoute = useRouteRef(rootRouteRef);
  return (
    <FindingCodeDetails
      code={code}
      findings={findings}
      allFindingsLink={`${atlasRoute().replace(/\/$/, '')}/findings`}
    />
  );
}

/** Every finding; under it, a page per finding code with what it means. */
export function FindingsOverview() {
  const { value, loading, error } = useIngressAtlas(api => api.getFindings());
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const findings = value?.findings ?? [];
  return (
    <Content>
      <Routes>
        <Route
          path="/"
          element={<FindingsTable title="All findings" findings={findings} />}
        />
        <Route
          path=":code"
          element={<FindingCodeRoute findings={findings} />}
        />
      </Routes>
    </Content>
  );
}
