// Loading state of one data view: loading, failed (with the service's meaning) or ready.
import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError, type ShownError } from './api/errors.ts';

export type Loaded<T> =
  | { state: 'loading'; reload: () => void }
  | { state: 'error'; error: ShownError; reload: () => void }
  | { state: 'ready'; data: T; reload: () => void };

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [result, setResult] = useState<
    { state: 'loading' } | { state: 'error'; error: ShownError } | { state: 'ready'; data: T }
  >({ state: 'loading' });
  const [tick, setTick] = useState(0);
  const latest = useRef(load);
  latest.current = load;
  useEffect(() => {
    let live = true;
    setResult({ state: 'loading' });
    latest.current().then(
      (data) => live && setResult({ state: 'ready', data }),
      (error: unknown) => live && setResult({ state: 'error', error: describeError(error) }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...result, reload } as Loaded<T>;
}

/** A mutation's state: idle, busy, failed, done — for buttons and forms. */
export function useAction<A extends unknown[], T>(run: (...args: A) => Promise<T>) {
  const [state, setState] = useState<
    { status: 'idle' } | { status: 'busy' } | { status: 'error'; error: ShownError } | { status: 'done'; data: T }
  >({ status: 'idle' });
  const execute = useCallback(
    async (...args: A): Promise<T | undefined> => {
      setState({ status: 'busy' });
      try {
        const data = await run(...args);
        setState({ status: 'done', data });
        return data;
      } catch (error) {
        setState({ status: 'error', error: describeError(error) });
        return undefined;
      }
    },
    [run],
  );
  return { state, execute, reset: () => setState({ status: 'idle' }) };
}
