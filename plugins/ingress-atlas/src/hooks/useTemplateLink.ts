import { useCallback } from 'react';
import { parseEntityRef } from '@backstage/catalog-model';
import { useRouteRef } from '@backstage/core-plugin-api';
import type { TemplateParameters } from '@ingress-atlas/plugin-ingress-atlas-common';
import { scaffolderTemplateRouteRef } from '../routes';

export type { TemplateParameters };

/**
 * Builds links to a scaffolder template with its form filled in: the scaffolder reads the
 * `formData` query parameter as the initial form state.
 */
export function useTemplateLink() {
  const selectedTemplate = useRouteRef(scaffolderTemplateRouteRef);
  return useCallback(
    (templateRef: string, parameters?: TemplateParameters) => {
      const { namespace, name } = parseTemplateRef(templateRef);
      const base =
        selectedTemplate?.({ namespace, templateName: name }) ??
        `/create/templates/${encodeURIComponent(
          namespace,
        )}/${encodeURIComponent(name)}`;
      if (!parameters || Object.keys(parameters).length === 0) return base;
      const query = new URLSearchParams({
        formData: JSON.stringify(parameters),
      });
      return `${base}?${query}`;
    },
    [selectedTemplate],
  );
}

/** A template reference as findings and recommendations give it: kind and namespace optional. */
export function parseTemplateRef(templateRef: string) {
  return parseEntityRef(templateRef, {
    defaultKind: 'template',
    defaultNamespace: 'default',
  });
}
