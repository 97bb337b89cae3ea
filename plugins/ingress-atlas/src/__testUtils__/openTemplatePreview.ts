import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

/**
 * Clicks a template button (named by the template's title) and returns the preview's link to
 * the prefilled form.
 */
export async function templateLinkFromPreview(
  container: HTMLElement,
  name: string | RegExp,
): Promise<HTMLElement> {
  await userEvent.click(await within(container).findByRole('button', { name }));
  const dialog = await screen.findByRole('dialog');
  return within(dialog).getByRole('link', { name: 'Open template' });
}
