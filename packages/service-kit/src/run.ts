// Process lifecycle of a service: boot, one clear line for a bad config or a busy port (no stack
// traces), and a graceful stop on SIGTERM/SIGINT (drain requests, close the pool, exit).
import { ConfigError } from './env.ts';
import type { Service } from './service.ts';

export interface Boot {
  service: Service;
  port: number;
  host: string;
}

function fail(name: string, message: string): never {
  process.stderr.write(`${name}: ${message}\n`);
  process.exit(1);
}

export async function runService(name: string, boot: () => Promise<Boot> | Boot): Promise<void> {
  let booted: Boot;
  try {
    booted = await boot();
  } catch (error) {
    if (error instanceof ConfigError) fail(name, error.message);
    throw error;
  }
  const { service, port, host } = booted;
  try {
    const bound = await service.listen(port, host);
    service.log.info(
      { port: bound },
      `${name} listening on http://${host === '0.0.0.0' ? 'localhost' : host}:${bound}`,
    );
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') fail(name, `port ${port} is already in use (set PORT to another port)`);
    if (code === 'EACCES') fail(name, `not allowed to listen on port ${port}`);
    throw error;
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    service.log.info({ signal }, 'shutting down: draining requests');
    service.close().then(
      () => {
        service.log.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        service.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
