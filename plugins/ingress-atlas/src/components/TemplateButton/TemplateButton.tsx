import { useState } from 'react';
import { Button } from '@backstage/ui';
import {
  TemplateParameters,
  useTemplateLink,
  useTemplateTitle,
} from '../../hooks';
import { TemplateCost, TemplatePreviewDialog } from './TemplatePreviewDialog';

/** Long titles wrap inside the button rather than push the page wider on a phone. */
const WRAPPING = {
  height: 'auto',
  minHeight: '2rem',
  maxWidth: '100%',
  flexShrink: 1,
  paddingBlock: 4,
  whiteSpace: 'normal',
  textAlign: 'left',
} as const;

/**
 * A scaffolder template for a finding or recommendation, labelled with the template's title.
 * It opens a preview first (a dry run with the parameters the atlas worked out), from which the
 * prefilled form opens: a migration never starts from one click.
 */
export function TemplateButton({
  templateRef,
  parameters,
  label,
  cost,
}: {
  templateRef: string;
  parameters?: TemplateParameters;
  label?: string;
  /** What the change costs and saves, when the finding or recommendation knows it. */
  cost?: TemplateCost;
}) {
  const templateLink = useTemplateLink();
  const title = useTemplateTitle(templateRef);
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        onPress={() => setOpen(true)}
        aria-haspopup="dialog"
        variant="secondary"
        size="small"
        style={WRAPPING}
      >
        {label ?? title}
      </Button>
      <TemplatePreviewDialog
        open={open}
        onClose={() => setOpen(false)}
        title={title}
        templateRef={templateRef}
        parameters={parameters}
        templateLink={templateLink(templateRef, parameters)}
        cost={cost}
      />
    </>
  );
}
