// A table of rows read page by page (see use-paged-list.ts) with every state a data view needs:
// loading, the service's error with a retry, empty, and "load more". Keyboard use: the scrollable
// wrapper is focusable (narrow screens scroll it sideways), "load more" is a real button, and after
// it the first new row takes the focus so reading goes on where the new page starts.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { t } from '../i18n/index.ts';
import type { PagedList } from '../use-paged-list.ts';
import { Empty, ErrorNotice, Loading } from './feedback.tsx';

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  className?: string;
}

export function DataTable<T>({
  caption,
  columns,
  list,
  rowKey,
  empty,
  testId,
}: {
  /** Names the table for assistive technology (and the scrollable region around it). */
  caption: string;
  columns: Array<Column<T>>;
  list: PagedList<T>;
  rowKey: (row: T) => string;
  empty?: ReactNode;
  testId?: string;
}) {
  const captionId = useId();
  const firstNewRow = useRef<HTMLTableRowElement>(null);
  const previousCount = list.state === 'ready' ? list.previousCount : 0;
  useEffect(() => {
    if (previousCount > 0) firstNewRow.current?.focus();
  }, [previousCount]);

  if (list.state === 'loading') return <Loading />;
  if (list.state === 'error') return <ErrorNotice error={list.error} onRetry={list.reload} />;
  if (list.rows.length === 0) return <Empty>{empty}</Empty>;
  return (
    <div data-testid={testId}>
      <div className="table-wrap" role="region" aria-labelledby={captionId} tabIndex={0}>
        <table>
          <caption id={captionId} className="visually-hidden">
            {caption}
          </caption>
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column.header} scope="col" className={column.className}>
                  {column.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {list.rows.map((row, index) => (
              <tr
                key={rowKey(row)}
                ref={index === previousCount && previousCount > 0 ? firstNewRow : undefined}
                tabIndex={index === previousCount && previousCount > 0 ? -1 : undefined}
              >
                {columns.map((column) => (
                  <td key={column.header} className={column.className}>
                    {column.cell(row)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="button-row table-footer">
        <p role="status" aria-live="polite">
          {list.hasMore ? t.dataTable.shownMore(list.rows.length) : t.dataTable.shownAll(list.rows.length)}
        </p>
        {list.hasMore && (
          <button
            type="button"
            className="secondary"
            onClick={list.more}
            disabled={list.moreState === 'loading'}
            aria-busy={list.moreState === 'loading'}
          >
            {list.moreState === 'loading' ? t.app.loading : t.dataTable.more}
          </button>
        )}
      </div>
      {typeof list.moreState === 'object' && <ErrorNotice error={list.moreState.error} onRetry={list.more} />}
    </div>
  );
}
