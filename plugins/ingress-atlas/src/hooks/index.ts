export { useIngressAtlas } from './useIngressAtlas';
export { useEntityExposure } from './useEntityExposure';
export { useTemplateLink } from './useTemplateLink';
export type { TemplateParameters } from './useTemplateLink';
export { useTemplateTitle } from './useTemplateTitle';
export { useFindingOwners, NO_OWNER } from './useFindingOwners';
export { useTemplateDryRun, summariseDryRun } from './useTemplateDryRun';
export type { PreviewStep, TemplatePreview } from './useTemplateDryRun';
export { useObjectLinks } from './useObjectLinks';
