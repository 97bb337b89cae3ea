import {
  createExternalRouteRef,
  createRouteRef,
} from '@backstage/core-plugin-api';

export const rootRouteRef = createRouteRef({ id: 'ingress-atlas' });

export const entityContentRouteRef = createRouteRef({
  id: 'ingress-atlas:entity-content',
});

/** The scaffolder's template form, where recommendations and findings send users. */
export const scaffolderTemplateRouteRef = createExternalRouteRef({
  id: 'ingress-atlas:scaffolder-template',
  params: ['namespace', 'templateName'],
  optional: true,
  defaultTarget: 'scaffolder.selectedTemplate',
});
