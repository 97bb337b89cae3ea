import useAsync from 'react-use/esm/useAsync';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApiHolder } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { scaffolderApiRef } from '@backstage/plugin-scaffolder-react';
import type {
  ScaffolderDryRunOptions,
  ScaffolderDryRunResponse,
  TemplateEntityV1beta3,
} from '@backstage/plugin-scaffolder-common';
import { parseTemplateRef, TemplateParameters } from './useTemplateLink';

/** One step of the template as the dry run went through it. */
export interface PreviewStep {
  id: string;
  name: string;
  /** `ran`: carried out as a dry run; `skipped`: its `if` was false or it has no dry run. */
  status: 'ran' | 'skipped' | 'failed' | 'not reached';
  /** Why it was skipped, as the scaffolder said it. */
  reason?: string;
  /** What the step's action logged as warnings. */
  warnings: string[];
}

export interface TemplatePreview {
  /**
   * Required fields of the form that the atlas cannot fill in (their titles): the template
   * does not run until they are given, in its form.
   */
  missing: string[];
  steps: PreviewStep[];
  /** The template's output texts (summaries and diffs), markdown. */
  texts: Array<{ title?: string; content: string }>;
}

type JsonObject = ScaffolderDryRunOptions['values'];

/** The values the template's form starts with: each property's `default`. */
function formDefaults(template: TemplateEntityV1beta3): JsonObject {
  const pages = [template.spec.parameters ?? []].flat();
  const defaults: JsonObject = {};
  for (const page of pages) {
    const properties = (page?.properties ?? {}) as Record<
      string,
      { default?: JsonObject[string] }
    >;
    for (const [name, schema] of Object.entries(properties)) {
      if (schema?.default !== undefined) defaults[name] = schema.default;
    }
  }
  return defaults;
}

/** The titles of required fields that `values` leaves empty. */
function missingFields(
  template: TemplateEntityV1beta3,
  values: JsonObject,
): string[] {
  return [template.spec.parameters ?? []].flat().flatMap(page => {
    const properties = (page?.properties ?? {}) as Record<
      string,
      { title?: string }
    >;
    const required = (page?.required ?? []) as string[];
    return required
      .filter(name => values[name] === undefined || values[name] === '')
      .map(name => properties[name]?.title ?? name);
  });
}

// Task log lines are winston's `simple` format, colourised: "\u001b[33mwarn\u001b[39m: text".
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Turns a dry run's log into what each step did and warned about. */
export function summariseDryRun(
  response: Pick<ScaffolderDryRunResponse, 'log' | 'steps' | 'output'>,
): TemplatePreview {
  const steps = response.steps.map((step): PreviewStep => {
    const events = response.log
      .map(entry => entry.body)
      .filter(body => body.stepId === step.id);
    const skipped = events.find(body => body.status === 'skipped');
    const failed = events.some(body => body.status === 'failed');
    const completed = events.some(body => body.status === 'completed');
    const warnings = events
      .map(body => body.message.replace(ANSI, ''))
      .filter(message => message.startsWith('warn: '))
      .map(message => message.slice('warn: '.length).trim());
    let status: PreviewStep['status'] = 'not reached';
    if (failed) status = 'failed';
    else if (skipped) status = 'skipped';
    else if (completed) status = 'ran';
    return {
      id: step.id,
      name: step.name,
      status,
      reason: skipped ? skipReason(skipped.message) : undefined,
      warnings,
    };
  });
  const texts = (response.output.text ?? [])
    .filter(text => typeof text.content === 'string')
    .map(text => ({ title: text.title, content: text.content! }));
  return { missing: [], steps, texts };
}

function skipReason(message: string): string {
  if (/if condition was false/.test(message)) {
    return 'its condition does not hold for this run';
  }
  if (/does not support dry-run/.test(message)) {
    return 'its action has no dry run';
  }
  return message;
}

/**
 * Runs a catalog template as a dry run with the parameters the atlas worked out (over the
 * form's defaults), through the scaffolder's dry-run API. Nothing runs until `enabled`.
 */
export function useTemplateDryRun(
  templateRef: string,
  parameters: TemplateParameters | undefined,
  enabled: boolean,
) {
  const apis = useApiHolder();
  const scaffolderApi = apis.get(scaffolderApiRef);
  const catalogApi = apis.get(catalogApiRef);
  const ref = stringifyEntityRef(parseTemplateRef(templateRef));
  const key = JSON.stringify(parameters ?? {});
  return useAsync(async (): Promise<TemplatePreview | undefined> => {
    if (!enabled) return undefined;
    if (!scaffolderApi?.dryRun || !catalogApi) {
      throw new Error('This portal offers no dry runs of templates.');
    }
    const entity = await catalogApi.getEntityByRef(ref);
    if (!entity) {
      throw new Error(`Template ${ref} is not in the catalog.`);
    }
    // The template as its author wrote it: the catalog's relations and status are not part of it.
    const { apiVersion, kind, metadata, spec } =
      entity as unknown as TemplateEntityV1beta3;
    const template = { apiVersion, kind, metadata, spec };
    const values = { ...formDefaults(template), ...JSON.parse(key) };
    const missing = missingFields(template, values);
    if (missing.length > 0) {
      return { missing, steps: [], texts: [] };
    }
    const response = await scaffolderApi.dryRun({
      template,
      values,
      directoryContents: [],
    });
    return summariseDryRun(response);
  }, [enabled, scaffolderApi, catalogApi, ref, key]);
}
