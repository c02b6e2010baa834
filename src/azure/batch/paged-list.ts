// Paging over Batch list answers `{ value, "odata.nextLink"? }`: items by default, whole pages through byPage().
// The next link is absolute and already carries every query parameter, so it is requested exactly as given.

export interface PagedAsyncIterable<T> extends AsyncIterableIterator<T> {
  byPage(): AsyncIterableIterator<T[]>;
}

export interface BatchListPage<T> {
  value: T[];
  nextLink?: string;
}

/** `fetchPage(undefined)` fetches the first page, `fetchPage(link)` a following one. */
export function pagedList<T>(fetchPage: (nextLink: string | undefined) => Promise<BatchListPage<T>>): PagedAsyncIterable<T> {
  async function* pages(): AsyncGenerator<T[]> {
    let link: string | undefined;
    do {
      const page = await fetchPage(link);
      link = page.nextLink;
      yield page.value;
    } while (link);
  }
  async function* items(): AsyncGenerator<T> {
    for await (const page of pages()) yield* page;
  }
  const iterator = items();
  return {
    next: () => iterator.next(),
    [Symbol.asyncIterator]() {
      return this;
    },
    byPage: () => pages(),
  };
}
