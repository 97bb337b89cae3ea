import { LinkButton } from '@backstage/core-components';
import { TemplateParameters, templateName, useTemplateLink } from '../../hooks';

/** Opens a scaffolder template with the parameters the atlas worked out filled in. */
export function TemplateButton({
  templateRef,
  parameters,
  label,
}: {
  templateRef: string;
  parameters?: TemplateParameters;
  label?: string;
}) {
  const templateLink = useTemplateLink();
  return (
    <LinkButton
      // It navigates: announce it as a link, not as an action.
      role="link"
      to={templateLink(templateRef, parameters)}
      variant="outlined"
      color="primary"
      size="small"
    >
      {label ?? `Open template ${templateName(templateRef)}`}
    </LinkButton>
  );
}
