export { TemplateButton } from './TemplateButton';
