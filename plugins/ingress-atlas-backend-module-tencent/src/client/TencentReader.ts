import type { TencentClients } from '@ingress-atlas/plugin-ingress-atlas-node';
import { readAllPages } from './paging';

/**
 * What the readers of one account share: its clients, and Describe actions read page by page,
 * each page through the clients' retrying call.
 */
export abstract class TencentReader {
  protected readonly clients: TencentClients;

  protected constructor(clients: TencentClients) {
    this.clients = clients;
  }

  /**
   * Every item of a paged Describe `action` in `region` (`''` for a product that is not
   * regional); `itemsOf` picks a page's items and total, `pageLimit` overrides PAGE_LIMIT.
   */
  protected describeAll<T, R>(
    region: string,
    action: string,
    describe: (page: { Offset: number; Limit: number }) => Promise<R>,
    itemsOf: (response: R) => { items?: T[]; total?: number },
    pageLimit?: number,
  ): Promise<T[]> {
    return readAllPages(
      async (offset, limit) =>
        itemsOf(
          await this.clients.call({ action, region }, () =>
            describe({ Offset: offset, Limit: limit }),
          ),
        ),
      pageLimit,
    );
  }
}
