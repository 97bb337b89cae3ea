import { Flex, Link, Text } from '@backstage/ui';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import {
  Finding,
  FINDINGS_CATALOGUE,
  isFindingCode,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { SEVERITY_LABELS } from '../../utils/findings';
import { inlineCode } from '../../utils/inlineCode';
import { Section } from '../Section';
import { FindingsTable } from './FindingsList';

/**
 * What a finding code means and what to do about it, from the findings catalogue (as
 * `docs/findings.md` says it), with the findings of that code the atlas holds now.
 */
export function FindingCodeDetails({
  code,
  findings,
  allFindingsLink,
}: {
  code: string;
  findings: Finding[];
  /** Back to every finding. */
  allFindingsLink: string;
}) {
  const published = useApi(configApiRef).getOptionalString(
    'ingressAtlas.findingsDocsUrl',
  );
  if (!isFindingCode(code)) {
    return (
      <Section title={`No finding code ${code}`}>
        <Text as="p" variant="body-medium">
          Ingress Atlas raises no finding with this code.{' '}
          <Link href={allFindingsLink}>See all findings</Link>.
        </Text>
      </Section>
    );
  }
  const { title, severities, description, fix, docsAnchor } =
    FINDINGS_CATALOGUE[code];
  return (
    <Flex direction="column" gap="4">
      <Section title={`${code}: ${title}`}>
        <Flex direction="column" gap="2">
          <Text as="p" variant="body-medium">
            Raised as{' '}
            {severities
              .map(s => SEVERITY_LABELS[s].toLocaleLowerCase('en-US'))
              .join(' or ')}
            .
          </Text>
          <Text as="p" variant="body-medium">
            {inlineCode(description)}
          </Text>
          <Text as="p" variant="body-medium">
            <strong>Fix:</strong> {inlineCode(fix)}
          </Text>
          <Text as="p" variant="body-medium">
            <Link href={allFindingsLink}>All findings</Link>
            {published && (
              <>
                {' · '}
                <Link href={`${published.replace(/#.*$/, '')}#${docsAnchor}`}>
                  In the published documentation
                </Link>
              </>
            )}
          </Text>
        </Flex>
      </Section>
      <FindingsTable
        title={`Findings of ${code} now`}
        findings={findings.filter(f => f.code === code)}
      />
    </Flex>
  );
}
