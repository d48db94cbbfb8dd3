// A listing read a page at a time by the service's keyset cursor: the first page loads (again) when
// the dependencies change, `more()` appends the next one. Pages are appended, never re-fetched, so
// a row the reader has seen does not move while they read on.
import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError, type ShownError } from './api/errors.ts';

export interface Page<T> {
  rows: T[];
  nextCursor: string | null;
}

export type PagedList<T> = {
  reload: () => void;
  more: () => void;
} & (
  | { state: 'loading' }
  | { state: 'error'; error: ShownError }
  | {
      state: 'ready';
      rows: T[];
      hasMore: boolean;
      /** The next page is being fetched, or failed (the rows so far stay shown). */
      moreState: 'idle' | 'loading' | { error: ShownError };
      /** How many rows the pages before the last one held: where the newest page starts. */
      previousCount: number;
    }
);

type Loaded<T> =
  | { state: 'loading' }
  | { state: 'error'; error: ShownError }
  | {
      state: 'ready';
      rows: T[];
      cursor: string | null;
      moreState: 'idle' | 'loading' | { error: ShownError };
      previousCount: number;
    };

export function usePagedList<T>(load: (cursor: string | undefined) => Promise<Page<T>>, deps: unknown[]): PagedList<T> {
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  const latest = useRef(load);
  latest.current = load;
  // Answers of an older generation (filters changed meanwhile) are dropped.
  const generation = useRef(0);

  useEffect(() => {
    const mine = ++generation.current;
    setResult({ state: 'loading' });
    latest.current(undefined).then(
      (page) =>
        mine === generation.current &&
        setResult({ state: 'ready', rows: page.rows, cursor: page.nextCursor, moreState: 'idle', previousCount: 0 }),
      (error: unknown) => mine === generation.current && setResult({ state: 'error', error: describeError(error) }),
    );
  }, [...deps, tick]);

  // `more` reads the state it acts on from here (not inside a state updater, which may run twice).
  const current = useRef(result);
  current.current = result;
  const more = useCallback(() => {
    const now = current.current;
    if (now.state !== 'ready' || !now.cursor || now.moreState === 'loading') return;
    const mine = generation.current;
    const cursor = now.cursor;
    setResult({ ...now, moreState: 'loading' });
    latest.current(cursor).then(
      (page) =>
        mine === generation.current &&
        setResult((before) =>
          before.state === 'ready' && before.cursor === cursor
            ? {
                state: 'ready',
                rows: [...before.rows, ...page.rows],
                cursor: page.nextCursor,
                moreState: 'idle',
                previousCount: before.rows.length,
              }
            : before,
        ),
      (error: unknown) =>
        mine === generation.current &&
        setResult((before) =>
          before.state === 'ready' ? { ...before, moreState: { error: describeError(error) } } : before,
        ),
    );
  }, []);
  const reload = useCallback(() => setTick((n) => n + 1), []);

  if (result.state !== 'ready') return { ...result, reload, more };
  return {
    state: 'ready',
    rows: result.rows,
    hasMore: result.cursor !== null,
    moreState: result.moreState,
    previousCount: result.previousCount,
    reload,
    more,
  };
}
