export { TemplateButton } from './TemplateButton';
export { TemplatePreviewDialog } from './TemplatePreviewDialog';
export type { TemplateCost } from './TemplatePreviewDialog';
