import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

describe('Ingress Atlas in the app', () => {
  it('is discovered from the dependencies and gets a sidebar item', async () => {
    // What `app.packages: all` makes the bundler write for frontend plugin dependencies:
    // ours, and the notifications plugin the sidebar needs.
    (window as any)['__@backstage/discovered__'] = {
      modules: [
        '@ingress-atlas/plugin-ingress-atlas',
        '@backstage/plugin-notifications',
      ].map(name => ({
        name,
        export: './alpha',
        default: require(`${name}/alpha`).default,
      })),
    };
    // No auth backend here: accept the sign-in page's offer of a local guest identity.
    jest.spyOn(window, 'confirm').mockReturnValue(true);
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Test', packages: 'all' },
            backend: { baseUrl: 'http://localhost:7007' },
          },
          context: 'test',
        },
      ] as any,
    };
    const { default: App } = await import('./App');

    render(App.createRoot());
    await userEvent.click(await screen.findByRole('button', { name: 'Enter' }));

    const item = await screen.findByRole(
      'link',
      { name: 'Ingress Atlas' },
      { timeout: 15_000 },
    );
    expect(item).toHaveAttribute('href', '/ingress-atlas');
  }, 30_000);
});
