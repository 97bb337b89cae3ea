import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResponseError } from '@backstage/errors';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { scaffolderApiRef } from '@backstage/plugin-scaffolder-react';
import type {
  ScaffolderApi,
  ScaffolderDryRunOptions,
  ScaffolderDryRunResponse,
} from '@backstage/plugin-scaffolder-common';
import { renderWithPlugin } from '../../__testUtils__/renderWithPlugin';
import { TemplateButton } from './TemplateButton';

/** The pod-EIP template as the catalog holds it (examples/templates), its parts the preview reads. */
const template = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: {
    namespace: 'default',
    name: 'move-gateway-to-pod-eip',
    title: 'Move an ingress gateway from CLB to a pod EIP',
  },
  spec: {
    type: 'migration',
    parameters: [
      {
        title: 'Gateway',
        required: ['cluster', 'namespace', 'gateway'],
        properties: {
          cluster: { type: 'string', title: 'Cluster' },
          namespace: { type: 'string', default: 'istio-system' },
          gateway: { type: 'string', title: 'Gateway Deployment' },
          bandwidthMbps: { type: 'integer', default: 100 },
        },
      },
      {
        title: 'DNS and checks',
        properties: { ttl: { type: 'integer', default: 600 } },
      },
      {
        title: 'Load balancer',
        properties: { removeLoadBalancer: { type: 'boolean', default: false } },
      },
    ],
    steps: [
      {
        id: 'bind-eip',
        name: 'Give the gateway pods their own EIPs',
        action: 'ingress-atlas:gateway:bind-eip',
      },
      {
        id: 'verify',
        name: 'Check that the EIPs answer',
        action: 'ingress-atlas:gateway:verify-eip',
      },
      {
        id: 'dns',
        name: "Point DNS at every gateway pod's EIP",
        action: 'ingress-atlas:dns:cutover',
      },
      {
        id: 'remove-lb',
        name: 'Remove the load balancer',
        action: 'ingress-atlas:gateway:remove-lb',
      },
    ],
  },
};

const parameters = {
  cluster: 'tke-blog',
  namespace: 'istio-system',
  gateway: 'istio-ingressgateway',
  loadBalancerId: 'lb-blog0001',
};

const BIND_EIP_DIFF = `--- StatefulSet istio-system/istio-ingressgateway
+++ StatefulSet istio-system/istio-ingressgateway
+kind: StatefulSet
--- Deployment istio-system/istio-ingressgateway
-  replicas: 2
+  replicas: 0`;

/**
 * The scaffolder as its dry-run endpoint answers: each step of the template it is given
 * starts and finishes, or is skipped when its `if` names a parameter that is off, with what
 * the actions log in between (winston's colourised `simple` format).
 */
class InMemoryScaffolder implements Partial<ScaffolderApi> {
  readonly requests: ScaffolderDryRunOptions[] = [];
  failure?: Error;
  /** Answers only once released, when set. */
  answer?: Promise<void>;

  async dryRun(
    request: ScaffolderDryRunOptions,
  ): Promise<ScaffolderDryRunResponse> {
    this.requests.push(request);
    await this.answer;
    if (this.failure) throw this.failure;
    const steps = (request.template.spec.steps as any[]).map(step => ({
      id: step.id,
      name: step.name,
      action: step.action,
    }));
    const log: ScaffolderDryRunResponse['log'] = [];
    for (const step of steps) {
      if (
        step.id === 'remove-lb' &&
        request.values.removeLoadBalancer !== true
      ) {
        log.push({
          body: {
            message: `Skipping step ${step.id} because its if condition was false`,
            stepId: step.id,
            status: 'skipped',
          },
        });
        continue;
      }
      log.push({
        body: {
          message: `Beginning step ${step.name}`,
          stepId: step.id,
          status: 'processing',
        },
      });
      if (step.id === 'verify') {
        log.push({
          body: {
            message:
              '\u001b[33mwarn\u001b[39m: Dry run: the EIPs are allocated by bind-eip, not checked now',
            stepId: step.id,
          },
        });
      }
      log.push({
        body: {
          message: `Finished step ${step.name}`,
          stepId: step.id,
          status: 'completed',
        },
      });
    }
    return {
      steps: steps as any,
      log,
      directoryContents: [],
      output: {
        text: [
          {
            title: 'Changes',
            content: `\`\`\`diff\n${BIND_EIP_DIFF}\n\`\`\``,
          },
        ],
      },
    };
  }
}

async function renderButton(
  scaffolder?: InMemoryScaffolder,
  given: Record<string, string> = parameters,
) {
  const catalog = catalogApiMock({
    entities: [
      {
        ...template,
        relations: [{ type: 'ownedBy', targetRef: 'group:default/platform' }],
      },
    ],
  });
  await renderWithPlugin(
    <TemplateButton
      templateRef="template:default/move-gateway-to-pod-eip"
      parameters={given}
      cost={{ beforeMonthlyCny: 144, afterMonthlyCny: 0 }}
    />,
    {
      apis: [
        [catalogApiRef, catalog],
        ...(scaffolder ? [[scaffolderApiRef, scaffolder]] : []),
      ],
    },
  );
  return screen.findByRole('button', {
    name: 'Move an ingress gateway from CLB to a pod EIP',
  });
}

function templateLinkOf(dialog: HTMLElement) {
  const href = within(dialog)
    .getByRole('link', { name: 'Open template' })
    .getAttribute('href')!;
  const url = new URL(href, 'http://portal');
  return {
    path: url.pathname,
    formData: JSON.parse(url.searchParams.get('formData')!),
  };
}

describe('TemplatePreviewDialog', () => {
  it('previews the template as a dry run, then opens its prefilled form', async () => {
    const scaffolder = new InMemoryScaffolder();
    let answer = () => {};
    scaffolder.answer = new Promise(resolve => {
      answer = resolve;
    });
    const button = await renderButton(scaffolder);
    // The button still says what it does: the template's title.
    await waitFor(() =>
      expect(button).toHaveTextContent(
        'Move an ingress gateway from CLB to a pod EIP',
      ),
    );
    await userEvent.click(button);

    const dialog = screen.getByRole('dialog', {
      name: 'Preview: Move an ingress gateway from CLB to a pod EIP',
    });
    expect(within(dialog).getByRole('status')).toHaveTextContent(
      'Running the template as a dry run',
    );
    expect(dialog).toHaveTextContent(
      'Cost: 144 CNY/month today, 0 CNY/month after the change.',
    );
    answer();

    const steps = await within(dialog).findByRole('list', { name: 'Steps' });
    const items = Array.from(steps.children).map(item => item.textContent);
    expect(items).toEqual([
      'Give the gateway pods their own EIPs: would run',
      expect.stringMatching(
        /^Check that the EIPs answer: would runWarning: Dry run: the EIPs are allocated by bind-eip, not checked now$/,
      ),
      "Point DNS at every gateway pod's EIP: would run",
      'Remove the load balancer: skipped (its condition does not hold for this run)',
    ]);
    const changes = within(dialog).getByRole('region', { name: 'Changes' });
    expect(changes).toHaveTextContent('+kind: StatefulSet');
    expect(within(changes).getByText('+ replicas: 0')).toBeInTheDocument();
    expect(within(changes).getByText('- replicas: 2')).toBeInTheDocument();

    // The form's defaults under the atlas's parameters: the load balancer removal stays off.
    const [request] = scaffolder.requests;
    expect(request.values).toMatchObject({
      ...parameters,
      removeLoadBalancer: false,
      bandwidthMbps: 100,
      ttl: 600,
    });
    expect(request.template).not.toHaveProperty('relations');
    expect(request.template.spec.steps.map(s => s.id)).toEqual([
      'bind-eip',
      'verify',
      'dns',
      'remove-lb',
    ]);

    expect(templateLinkOf(dialog)).toEqual({
      path: '/create/templates/default/move-gateway-to-pod-eip',
      formData: parameters,
    });
  });

  it('closes on Escape and gives the focus back to the button', async () => {
    const button = await renderButton(new InMemoryScaffolder());
    await userEvent.click(button);
    const dialog = screen.getByRole('dialog');
    await within(dialog).findByRole('list', { name: 'Steps' });
    // The title has the focus, and Tab goes on to the close button, the preview and the link.
    await waitFor(() =>
      expect(
        within(dialog).getByRole('heading', {
          name: 'Preview: Move an ingress gateway from CLB to a pod EIP',
        }),
      ).toHaveFocus(),
    );
    await userEvent.tab();
    expect(within(dialog).getByRole('button', { name: 'Close' })).toHaveFocus();
    // The preview scrolls with the keyboard once focused.
    await userEvent.tab();
    expect(
      within(dialog).getByRole('region', { name: 'Dry run' }),
    ).toHaveFocus();
    await userEvent.tab();
    expect(
      within(dialog).getByRole('link', { name: 'Open template' }),
    ).toHaveFocus();
    await userEvent.keyboard('{Escape}');
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    // Given back on the next frame, once the dialog's focus scope is gone.
    await waitFor(() => expect(button).toHaveFocus());
  });

  it('says why when the dry run is not permitted, and still offers the template', async () => {
    const scaffolder = new InMemoryScaffolder();
    scaffolder.failure = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'NotAllowedError',
            message: 'Unauthorized',
          },
          request: { method: 'POST', url: '/api/scaffolder/v2/dry-run' },
          response: { statusCode: 403 },
        }),
        {
          status: 403,
          statusText: 'Forbidden',
          headers: { 'Content-Type': 'application/json' },
        },
      ) as any,
    );
    await userEvent.click(await renderButton(scaffolder));

    const dialog = screen.getByRole('dialog');
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('You may not preview templates here');
    expect(alert).toHaveTextContent('NotAllowedError: Unauthorized');
    expect(alert).toHaveTextContent('You can still open the template.');
    expect(within(dialog).queryByRole('list', { name: 'Steps' })).toBeNull();
    expect(templateLinkOf(dialog).formData).toEqual(parameters);
  });

  it('shows a failed dry run with its error', async () => {
    const scaffolder = new InMemoryScaffolder();
    scaffolder.failure = new Error(
      'Refusing to bind EIPs to istio-system/istio-ingressgateway; nothing was changed',
    );
    await userEvent.click(await renderButton(scaffolder));
    const alert = await within(screen.getByRole('dialog')).findByRole('alert');
    expect(alert).toHaveTextContent('The preview could not run');
    expect(alert).toHaveTextContent('Refusing to bind EIPs');
  });

  it('names the required fields the atlas cannot fill in, instead of running', async () => {
    const scaffolder = new InMemoryScaffolder();
    const { gateway, ...withoutGateway } = parameters;
    await userEvent.click(await renderButton(scaffolder, withoutGateway));
    const dialog = screen.getByRole('dialog');
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent(
      'The template needs more than the atlas knows: fill in its form',
    );
    expect(alert).toHaveTextContent('No dry run without Gateway Deployment.');
    expect(scaffolder.requests).toEqual([]);
    expect(templateLinkOf(dialog).formData).toEqual(withoutGateway);
  });

  it('offers the template when the portal has no scaffolder', async () => {
    await userEvent.click(await renderButton());
    const dialog = screen.getByRole('dialog');
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'This portal offers no dry runs of templates.',
    );
    expect(templateLinkOf(dialog).path).toBe(
      '/create/templates/default/move-gateway-to-pod-eip',
    );
  });
});
