// What every server under test shares: tell the parent its port, report its own CPU time on
// request, and stop cleanly (so that --cpu-prof can write its profile) when asked or orphaned.

export type ParentMessage = { type: 'cpu' };
export type ChildMessage =
  { type: 'listening'; port: number } | { type: 'cpu'; userUs: number; systemUs: number; rssBytes: number };

export async function serveForBench(start: () => Promise<{ port: number; close: () => Promise<void> }>): Promise<void> {
  const { port, close } = await start();

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`bench server: close failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  if (process.send) {
    process.on('message', (message: ParentMessage) => {
      if (message.type !== 'cpu') return;
      const usage = process.cpuUsage();
      const reply: ChildMessage = {
        type: 'cpu',
        userUs: usage.user,
        systemUs: usage.system,
        rssBytes: process.memoryUsage.rss(),
      };
      process.send?.(reply);
    });
    // The parent went away (crashed, Ctrl-C): do not linger as an orphan.
    process.on('disconnect', stop);
    const listening: ChildMessage = { type: 'listening', port };
    process.send(listening);
  } else {
    // Started by hand: say where we are on stdout.
    process.stdout.write(`listening on http://127.0.0.1:${port}\n`);
  }
}
