import { useEffect, useRef } from 'react';
import { makeStyles } from '@material-ui/core/styles';
import {
  Alert,
  Box,
  ButtonLink,
  Dialog,
  DialogBody,
  DialogFooter,
  DialogHeader,
  Flex,
  Text,
} from '@backstage/ui';
import { MarkdownContent, Progress } from '@backstage/core-components';
import type { ResponseError } from '@backstage/errors';
import { formatMonthlyCny } from '../../utils/format';
import { useSubtleText } from '../../utils/subtleText';
import {
  PreviewStep,
  TemplateParameters,
  useTemplateDryRun,
} from '../../hooks';

/** What an entry costs today and after the change, as far as the atlas knows. */
export interface TemplateCost {
  beforeMonthlyCny?: number;
  afterMonthlyCny?: number;
  /** A finding's spend at stake, when before and after are not known. */
  atStakeMonthlyCny?: number;
}

const STATUS_TEXT: Record<PreviewStep['status'], string> = {
  ran: 'would run',
  skipped: 'skipped',
  failed: 'failed',
  'not reached': 'not reached',
};

/**
 * A preview of a template before its form: the template runs as a dry run with the parameters
 * the atlas worked out, and the dialog shows which steps would run, what they would change
 * and what they warn about, then links to the prefilled form.
 */
export function TemplatePreviewDialog({
  open,
  onClose,
  title,
  templateRef,
  parameters,
  templateLink,
  cost,
}: {
  open: boolean;
  onClose: () => void;
  /** The template's title. */
  title: string;
  templateRef: string;
  parameters?: TemplateParameters;
  /** The prefilled template form. */
  templateLink: string;
  cost?: TemplateCost;
}) {
  const classes = useStyles();
  const preview = useTemplateDryRun(templateRef, parameters, open);
  const headerRef = useRef<HTMLDivElement>(null);
  // The title takes the focus (Backstage UI's dialog focuses itself): a screen reader reads
  // the title, and Tab goes on to the close button and into the preview.
  useEffect(() => {
    if (!open) return undefined;
    const frame = requestAnimationFrame(() => {
      const heading = headerRef.current?.querySelector<HTMLElement>(
        'h1, h2, h3, h4, h5, h6',
      );
      heading?.setAttribute('tabindex', '-1');
      heading?.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [open]);
  return (
    <Dialog
      isOpen={open}
      onOpenChange={isOpen => !isOpen && onClose()}
      width={880}
    >
      {/* Backstage UI's dialog title is an H3: its sections are H4s under it. */}
      <DialogHeader ref={headerRef}>Preview: {title}</DialogHeader>
      <DialogBody
        aria-busy={preview.loading}
        // It scrolls: keyboard users scroll it once it has the focus.
        tabIndex={0}
        role="region"
        aria-label="Dry run"
      >
        <Flex direction="column" gap="3">
          <Text as="p" variant="body-medium">
            A dry run with the parameters below: nothing is changed. The
            template's form opens prefilled once you have read it.
          </Text>
          <CostLine cost={cost} />
          <Parameters parameters={parameters} />
          {preview.loading && (
            <Box role="status">
              <Text as="p" variant="body-medium">
                Running the template as a dry run…
              </Text>
              <Progress />
            </Box>
          )}
          {preview.error && <PreviewError error={preview.error} />}
          {preview.value && preview.value.missing.length > 0 && (
            <Alert
              role="alert"
              status="info"
              icon
              title="The template needs more than the atlas knows: fill in its form"
              description={`No dry run without ${preview.value.missing.join(
                ', ',
              )}. The form asks for them; its Review step lists everything before it runs.`}
            />
          )}
          {preview.value && preview.value.missing.length === 0 && (
            <>
              <Text as="h4" variant="title-x-small" weight="bold">
                Steps
              </Text>
              <ol aria-label="Steps" className={classes.steps}>
                {preview.value.steps.map(step => (
                  <li key={step.id}>
                    <Text variant="body-medium">
                      <strong>{step.name}</strong>: {STATUS_TEXT[step.status]}
                      {step.reason && ` (${step.reason})`}
                    </Text>
                    {step.warnings.length > 0 && (
                      <ul className={classes.warnings}>
                        {step.warnings.map(warning => (
                          <li key={warning}>
                            <Text variant="body-medium">
                              Warning: {warning}
                            </Text>
                          </li>
                        ))}
                      </ul>
                    )}
                  </li>
                ))}
              </ol>
              {preview.value.texts.map(text => (
                <Box
                  key={`${text.title}:${text.content}`}
                  as="section"
                  aria-label={text.title}
                >
                  {text.title && (
                    <Text as="h4" variant="title-x-small" weight="bold">
                      {text.title}
                    </Text>
                  )}
                  <OutputText content={text.content} />
                </Box>
              ))}
            </>
          )}
        </Flex>
      </DialogBody>
      <DialogFooter>
        <ButtonLink href={templateLink} variant="primary">
          Open template
        </ButtonLink>
      </DialogFooter>
    </Dialog>
  );
}

const useStyles = makeStyles(theme => ({
  code: {
    margin: theme.spacing(1, 0),
    padding: theme.spacing(1),
    overflowX: 'auto',
    fontFamily: 'monospace',
    fontSize: '0.8125rem',
    background: theme.palette.background.default,
    color: theme.palette.text.primary,
  },
  // Tints behind the text, which keeps the theme's colour: the +/- say the same for those
  // who do not see them.
  added: { display: 'block', background: 'rgba(46, 160, 67, 0.18)' },
  removed: { display: 'block', background: 'rgba(248, 81, 73, 0.18)' },
  line: { display: 'block' },
  steps: { margin: theme.spacing(1, 0), paddingLeft: theme.spacing(3) },
  warnings: { margin: theme.spacing(0.5, 0), paddingLeft: theme.spacing(2) },
  parameters: {
    display: 'grid',
    gridTemplateColumns: 'auto 1fr',
    columnGap: theme.spacing(2),
    margin: theme.spacing(1, 0),
  },
  value: { margin: 0 },
}));

/**
 * A template output: markdown, with its fenced blocks (diffs, YAML backups) drawn here, in the
 * theme's text colour, rather than by a syntax highlighter whose colours fail contrast.
 */
function OutputText({ content }: { content: string }) {
  const classes = useStyles();
  const parts = content.split(/^```[^\n]*\n([\s\S]*?)^```\s*$/m);
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 0 ? (
          part.trim() && <MarkdownContent key={i} content={part} />
        ) : (
          <pre key={i} className={classes.code}>
            {part
              .replace(/\n$/, '')
              .split('\n')
              .map((line, n) => {
                let className = classes.line;
                if (/^\+(?!\+\+ )/.test(line)) className = classes.added;
                else if (/^-(?!-- )/.test(line)) className = classes.removed;
                return (
                  <span key={n} className={className}>
                    {line || ' '}
                  </span>
                );
              })}
          </pre>
        ),
      )}
    </>
  );
}

function CostLine({ cost }: { cost?: TemplateCost }) {
  if (!cost) return null;
  const { beforeMonthlyCny: before, afterMonthlyCny: after } = cost;
  if (before !== undefined && after !== undefined) {
    return (
      <Text as="p" variant="body-large">
        Cost: <strong>{formatMonthlyCny(before)}</strong> today,{' '}
        <strong>{formatMonthlyCny(after)}</strong> after the change.
      </Text>
    );
  }
  if (cost.atStakeMonthlyCny !== undefined) {
    return (
      <Text as="p" variant="body-large">
        Spend at stake:{' '}
        <strong>{formatMonthlyCny(cost.atStakeMonthlyCny)}</strong>.
      </Text>
    );
  }
  return null;
}

function Parameters({ parameters }: { parameters?: TemplateParameters }) {
  const classes = useStyles();
  const subtle = useSubtleText();
  const entries = Object.entries(parameters ?? {});
  if (entries.length === 0) return null;
  return (
    <dl className={classes.parameters}>
      {entries.map(([name, value]) => (
        <div key={name} style={{ display: 'contents' }}>
          <dt>
            <Text variant="body-medium" className={subtle.root}>
              {name}
            </Text>
          </dt>
          <dd className={classes.value}>
            <Text variant="body-medium">
              {typeof value === 'object'
                ? // A label map, as a label selector reads.
                  Object.entries(value)
                    .map(([key, label]) => `${key}=${label}`)
                    .join(', ')
                : String(value)}
            </Text>
          </dd>
        </div>
      ))}
    </dl>
  );
}

function PreviewError({ error }: { error: Error }) {
  // The scaffolder's answer names the cause (e.g. the action's refusal) in its body.
  const { statusCode, body } = error as Partial<ResponseError>;
  const cause = body?.error;
  let title = 'The preview could not run';
  if (statusCode === 403) title = 'You may not preview templates here';
  else if (statusCode === 400)
    title = 'The template needs more than the atlas knows: fill in its form';
  return (
    <Alert
      role="alert"
      status={statusCode === 403 ? 'info' : 'warning'}
      icon
      title={title}
      description={`${
        cause ? `${cause.name}: ${cause.message}` : error.message
      } You can still open the template.`}
    />
  );
}
