import {
  Content,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useIngressAtlas } from '../../hooks';
import { FindingsTable } from '../FindingsList';

export function FindingsOverview() {
  const { value, loading, error } = useIngressAtlas(api => api.getFindings());
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  return (
    <Content>
      <FindingsTable title="All findings" findings={value?.findings ?? []} />
    </Content>
  );
}
