// The images the suite runs: the service images infra/build-images.sh tags, and PostgreSQL.
import { getContainerRuntimeClient, ImageName } from 'testcontainers';
import type { E2eEnv } from '../env.ts';

export const SERVICES = ['identity', 'seal', 'license', 'banksim', 'payment', 'console'] as const;
export type ServiceName = (typeof SERVICES)[number];
/** Not built yet in every checkout: runs when its image exists. */
export const OPTIONAL_SERVICES: ReadonlySet<ServiceName> = new Set(['console']);

export const serviceImage = (env: E2eEnv, service: ServiceName): string =>
  `${env.PLATFORM_IMAGE_PREFIX}/${service}:${env.PLATFORM_IMAGE_TAG}`;

export async function imageExists(name: string): Promise<boolean> {
  const client = await getContainerRuntimeClient();
  return client.image.exists(ImageName.fromString(name));
}

/** Required images that are not present locally (the suite never pulls service images). */
export async function missingImages(env: E2eEnv): Promise<string[]> {
  const required = SERVICES.filter((s) => !OPTIONAL_SERVICES.has(s)).map((s) => serviceImage(env, s));
  const missing: string[] = [];
  for (const name of required) if (!(await imageExists(name))) missing.push(name);
  return missing;
}
