/**
 * The real Ingress Atlas backend on the sandbox, for tests of the plugins that read it.
 *
 * @packageDocumentation
 */
export {
  sandboxAtlasConfig,
  startSandboxAtlas,
  stoppedAfterEach,
  usersOnlyPermissions,
  type SandboxAtlas,
  type SandboxAtlasOptions,
} from './startSandboxAtlas';
