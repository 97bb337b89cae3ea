import { portalFeatures } from './features';
import { startPortalBackend } from './portalBackend';

startPortalBackend(portalFeatures());
