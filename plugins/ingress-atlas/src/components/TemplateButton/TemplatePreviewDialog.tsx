import { useRef } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import useMediaQuery from '@material-ui/core/useMediaQuery';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import {
  LinkButton,
  MarkdownContent,
  Progress,
} from '@backstage/core-components';
import type { ResponseError } from '@backstage/errors';
import { formatMonthlyCny } from '../../utils/format';
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
  const fullScreen = useMediaQuery((theme: Theme) =>
    theme.breakpoints.down('xs'),
  );
  const preview = useTemplateDryRun(templateRef, parameters, open);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const titleId = `template-preview-title-${templateRef.replace(
    /[^A-Za-z0-9-]/g,
    '-',
  )}`;
  return (
    <Dialog
      open={open}
      onClose={onClose}
      aria-labelledby={titleId}
      fullWidth
      maxWidth="md"
      fullScreen={fullScreen}
      // The title takes the focus: a screen reader reads it, and Tab goes on into the preview.
      TransitionProps={{ onEntered: () => titleRef.current?.focus() }}
    >
      <DialogTitle id={titleId} disableTypography>
        <Typography variant="h6" component="h2" tabIndex={-1} ref={titleRef}>
          Preview: {title}
        </Typography>
      </DialogTitle>
      <DialogContent
        dividers
        aria-busy={preview.loading}
        // It scrolls: keyboard users scroll it once it has the focus.
        tabIndex={0}
        role="region"
        aria-label="Dry run"
      >
        <Typography variant="body2" paragraph>
          A dry run with the parameters below: nothing is changed. The
          template's form opens prefilled once you have read it.
        </Typography>
        <CostLine cost={cost} />
        <Parameters parameters={parameters} />
        {preview.loading && (
          <Box role="status" my={2}>
            <Typography variant="body2">
              Running the template as a dry run…
            </Typography>
            <Progress />
          </Box>
        )}
        {preview.error && <PreviewError error={preview.error} />}
        {preview.value && preview.value.missing.length > 0 && (
          <Alert severity="info">
            <AlertTitle>
              The template needs more than the atlas knows: fill in its form
            </AlertTitle>
            No dry run without {preview.value.missing.join(', ')}. The form asks
            for them; its Review step lists everything before it runs.
          </Alert>
        )}
        {preview.value && preview.value.missing.length === 0 && (
          <>
            <Typography variant="h6" component="h3">
              Steps
            </Typography>
            <Box component="ol" pl={3} my={1} aria-label="Steps">
              {preview.value.steps.map(step => (
                <Typography component="li" variant="body2" key={step.id}>
                  <strong>{step.name}</strong>: {STATUS_TEXT[step.status]}
                  {step.reason && ` (${step.reason})`}
                  {step.warnings.length > 0 && (
                    <Box component="ul" pl={2} my={0.5}>
                      {step.warnings.map(warning => (
                        <li key={warning}>Warning: {warning}</li>
                      ))}
                    </Box>
                  )}
                </Typography>
              ))}
            </Box>
            {preview.value.texts.map(text => (
              <Box
                key={`${text.title}:${text.content}`}
                component="section"
                aria-label={text.title}
                mt={2}
              >
                {text.title && (
                  <Typography variant="h6" component="h3">
                    {text.title}
                  </Typography>
                )}
                <OutputText content={text.content} />
              </Box>
            ))}
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
        <LinkButton
          // It navigates to the form: announce it as a link.
          role="link"
          to={templateLink}
          variant="contained"
          color="primary"
        >
          Open template
        </LinkButton>
      </DialogActions>
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
      <Typography variant="body1" paragraph>
        Cost: <strong>{formatMonthlyCny(before)}</strong> today,{' '}
        <strong>{formatMonthlyCny(after)}</strong> after the change.
      </Typography>
    );
  }
  if (cost.atStakeMonthlyCny !== undefined) {
    return (
      <Typography variant="body1" paragraph>
        Spend at stake:{' '}
        <strong>{formatMonthlyCny(cost.atStakeMonthlyCny)}</strong>.
      </Typography>
    );
  }
  return null;
}

function Parameters({ parameters }: { parameters?: TemplateParameters }) {
  const entries = Object.entries(parameters ?? {});
  if (entries.length === 0) return null;
  return (
    <Box
      component="dl"
      display="grid"
      my={1}
      style={{ gridTemplateColumns: 'auto 1fr', columnGap: 16 }}
    >
      {entries.map(([name, value]) => (
        <Box key={name} display="contents">
          <Typography component="dt" variant="body2" color="textSecondary">
            {name}
          </Typography>
          <Typography component="dd" variant="body2" style={{ margin: 0 }}>
            {typeof value === 'object'
              ? // A label map, as a label selector reads.
                Object.entries(value)
                  .map(([key, label]) => `${key}=${label}`)
                  .join(', ')
              : String(value)}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}

function PreviewError({ error }: { error: Error }) {
  // The scaffolder's answer names the cause (e.g. the action's refusal) in its body.
  const { statusCode, body } = error as Partial<ResponseError>;
  const cause = body?.error;
  return (
    <Alert severity={statusCode === 403 ? 'info' : 'warning'}>
      <AlertTitle>
        {statusCode === 403 && 'You may not preview templates here'}
        {statusCode === 400 &&
          'The template needs more than the atlas knows: fill in its form'}
        {statusCode !== 403 &&
          statusCode !== 400 &&
          'The preview could not run'}
      </AlertTitle>
      {cause ? `${cause.name}: ${cause.message}` : error.message} You can still
      open the template.
    </Alert>
  );
}
