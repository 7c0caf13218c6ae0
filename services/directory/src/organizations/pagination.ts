import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type PageQuery } from '@am/contracts';

/** Clamps a page request (the gateway validates it; messages from elsewhere are clamped, not trusted). */
export function pageBounds(q: Partial<PageQuery>): { page: number; pageSize: number; skip: number } {
  const page = Math.max(1, Math.floor(q.page ?? 1));
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(q.pageSize ?? DEFAULT_PAGE_SIZE)));
  return { page, pageSize, skip: (page - 1) * pageSize };
}
