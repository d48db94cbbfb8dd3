// docker-compose.yml is the one description of how the platform's containers are configured: the
// suite reads each service's image, environment and start order from it (with compose's
// ${VAR}, ${VAR:-default} and ${VAR:?message} interpolation), so the file is tested too.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface ComposeService {
  name: string;
  image: string;
  environment: Record<string, string>;
  dependsOn: string[];
  /** Compose's restart policy (no, always, on-failure, unless-stopped). */
  restart: string;
}

interface RawService {
  image?: string;
  environment?: Record<string, string | number | boolean> | string[];
  depends_on?: Record<string, unknown> | string[];
  restart?: string;
}

export function interpolate(text: string, variables: Record<string, string | undefined>): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (whole, name, op, arg) => {
    if (whole === '$$') return '$';
    const value = variables[name as string];
    const unset = value === undefined || (op?.startsWith(':') && value === '');
    if (op?.endsWith('-')) return unset ? (arg as string) : (value as string);
    if (op?.endsWith('?') && unset) throw new Error(`docker-compose.yml needs ${name as string}: ${arg as string}`);
    return value ?? '';
  });
}

export function readCompose(file: string, variables: Record<string, string | undefined>): ComposeService[] {
  const document = parse(readFileSync(file, 'utf8'), { merge: true }) as { services: Record<string, RawService> };
  return Object.entries(document.services).map(([name, raw]) => {
    const environment: Record<string, string> = {};
    const entries = Array.isArray(raw.environment)
      ? raw.environment.map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string])
      : Object.entries(raw.environment ?? {});
    for (const [key, value] of entries) environment[key] = interpolate(String(value), variables);
    const dependsOn = Array.isArray(raw.depends_on) ? raw.depends_on : Object.keys(raw.depends_on ?? {});
    return {
      name,
      image: interpolate(raw.image ?? '', variables),
      environment,
      dependsOn,
      restart: raw.restart ?? 'no',
    };
  });
}

/** Services grouped so that each group depends only on earlier groups (compose's start order). */
export function startOrder(services: ComposeService[]): ComposeService[][] {
  const levels: ComposeService[][] = [];
  const placed = new Set<string>();
  let remaining = services;
  while (remaining.length > 0) {
    const ready = remaining.filter((s) =>
      s.dependsOn.every((d) => placed.has(d) || !services.some((x) => x.name === d)),
    );
    if (ready.length === 0) throw new Error(`depends_on cycle among ${remaining.map((s) => s.name).join(', ')}`);
    levels.push(ready);
    for (const s of ready) placed.add(s.name);
    remaining = remaining.filter((s) => !placed.has(s.name));
  }
  return levels;
}
