import { mockServices } from '@backstage/backend-test-utils';
import { INGRESS_ATLAS_CHANGES_TOPIC } from '@ingress-atlas/plugin-ingress-atlas-node';
import { TestWorld, actionContext, startWorld } from '../__testUtils__/sandbox';
import { createGatewayBindEipAction } from './gatewayBindEip';
import { createGatewayEnableTlsAction } from './gatewayEnableTls';
import { createGatewayVerifyEipAction } from './gatewayVerifyEip';

/** What the scaffolder writes into the task log when a step fails: `String(error.stack)`. */
const taskLogLine = (error: Error) => String(error.stack);

const gateway = {
  cluster: 'tke-blog',
  namespace: 'istio-system',
  gateway: 'istio-ingressgateway',
};

describe('what a failed action leaves in the task log', () => {
  let world: TestWorld;

  beforeEach(async () => {
    world = await startWorld(['tke-blog']);
  });

  afterEach(async () => {
    await world.stop();
  });

  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected the action to fail');
      },
      (error: Error) => error,
    );

  it('a refusal: its message, no stack frames or file paths', async () => {
    const error = await failure(
      createGatewayEnableTlsAction(world.options).handler(
        actionContext({
          cluster: 'tke-blog',
          host: 'nothing.example.com',
          credentialName: 'blog-tls',
        }).ctx,
      ),
    );
    expect(error.name).toBe('ConflictError');
    expect(taskLogLine(error)).toBe(`ConflictError: ${error.message}`);
    expect(taskLogLine(error)).not.toMatch(/\n|\/src\/|node_modules/);
  });

  it("an API server's error: one line with the status, nothing of the backend's files", async () => {
    world.cluster('tke-blog').faults.set({ errorRate: 1, errorCode: 503 });
    const error = await failure(
      createGatewayEnableTlsAction(world.options).handler(
        actionContext({
          cluster: 'tke-blog',
          host: 'blog.example.com',
          credentialName: 'blog-tls',
        }).ctx,
      ),
    );
    expect(taskLogLine(error)).toMatch(
      /^Error: Reading Deployment istio-system\/istio-ingressgateway on cluster tke-blog failed: .*\(HTTP 503 ServiceUnavailable\)$/,
    );
  });

  it("an unexpected failure: the message in the task log, the stack in the backend's log", async () => {
    await createGatewayBindEipAction(world.options).handler(
      actionContext(gateway).ctx,
    );
    const logger = mockServices.logger.mock();
    const action = createGatewayVerifyEipAction({
      ...world.options,
      logger,
      probe: async () => {
        throw new TypeError('probe exploded');
      },
    });
    const error = await failure(action.handler(actionContext(gateway).ctx));
    expect(taskLogLine(error)).toBe('TypeError: probe exploded');
    expect(logger.error).toHaveBeenCalledWith(
      'Scaffolder action ingress-atlas:gateway:verify-eip failed',
      expect.objectContaining({
        stack: expect.stringMatching(/\n\s+at /),
      }),
    );
  });
});

describe('telling the atlas what a migration changed', () => {
  let world: TestWorld;

  beforeEach(async () => {
    world = await startWorld(['tke-blog']);
  });

  afterEach(async () => {
    await world.stop();
  });

  it('says which action changed which clusters after a real run, and nothing after a dry run', async () => {
    const events = mockServices.events();
    const heard: unknown[] = [];
    await events.subscribe({
      id: 'atlas',
      topics: [INGRESS_ATLAS_CHANGES_TOPIC],
      onEvent: async ({ eventPayload }) => {
        heard.push(eventPayload);
      },
    });
    const action = createGatewayEnableTlsAction({ ...world.options, events });
    const input = {
      cluster: 'tke-blog',
      host: 'blog.example.com',
      credentialName: 'blog-tls',
    };
    await action.handler(actionContext(input, { dryRun: true }).ctx);
    expect(heard).toEqual([]);
    await action.handler(actionContext(input).ctx);
    expect(heard).toEqual([
      { action: 'ingress-atlas:gateway:enable-tls', clusters: ['tke-blog'] },
    ]);
  });
});
