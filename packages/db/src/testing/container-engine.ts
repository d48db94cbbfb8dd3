import { request } from 'node:http';
import { homedir } from 'node:os';
import { join } from 'node:path';

type Endpoint = { socketPath: string } | { host: string; port: number };

/** Where a Docker-compatible engine may listen: DOCKER_HOST first, then the usual sockets. */
function candidateEndpoints(dockerHost: string | undefined): Endpoint[] {
  if (dockerHost) {
    if (dockerHost.startsWith('unix://')) return [{ socketPath: dockerHost.slice('unix://'.length) }];
    const tcp = /^tcp:\/\/([^:/]+):(\d+)/.exec(dockerHost);
    if (tcp?.[1] && tcp[2]) return [{ host: tcp[1], port: Number(tcp[2]) }];
    return [];
  }
  return [{ socketPath: '/var/run/docker.sock' }, { socketPath: join(homedir(), '.docker', 'run', 'docker.sock') }];
}

function ping(endpoint: Endpoint, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ ...endpoint, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/**
 * True when a container engine answers its API ping within `timeoutMs`. testcontainers' own
 * detection can take a long time to give up when there is no engine; this answers quickly.
 */
export async function containerEngineAnswers(dockerHost: string | undefined, timeoutMs = 1500): Promise<boolean> {
  const answers = await Promise.all(candidateEndpoints(dockerHost).map((endpoint) => ping(endpoint, timeoutMs)));
  return answers.some(Boolean);
}
