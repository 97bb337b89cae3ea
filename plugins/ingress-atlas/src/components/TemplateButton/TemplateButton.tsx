import { LinkButton } from '@backstage/core-components';
import {
  TemplateParameters,
  useTemplateLink,
  useTemplateTitle,
} from '../../hooks';

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
  const title = useTemplateTitle(templateRef);
  return (
    <LinkButton
      // It navigates: announce it as a link, not as an action.
      role="link"
      to={templateLink(templateRef, parameters)}
      variant="outlined"
      color="primary"
      size="small"
      // Long titles wrap inside the button rather than push the page wider on a phone.
      style={{ whiteSpace: 'normal', textAlign: 'left', maxWidth: '100%' }}
    >
      {label ?? title}
    </LinkButton>
  );
}
