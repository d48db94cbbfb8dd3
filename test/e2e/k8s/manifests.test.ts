// infra/k8s checked without a cluster: every object against the Kubernetes API schemas (and the
// CloudNativePG Cluster against the fields we use), then the platform's own rules: probes, limits,
// non-root read-only containers, replicas and disruption budgets, migrations as Jobs, secrets only
// by reference, and kustomizations that cover every file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CnpgCluster } from './cnpg-cluster.ts';
import { schemaErrors, unknownFields } from './kubernetes-schemas.ts';
import { k8sDir, loadManifests, repoRoot, yamlFiles, type Manifest } from './load-manifests.ts';

const manifests = loadManifests();
const ofKind = (kind: string) => manifests.filter((m) => m.kind === kind);
const deployments = ofKind('Deployment');
const jobs = ofKind('Job');

/** Deployments that run one replica on purpose, and why (also written in their manifests). */
const SINGLE_REPLICA: Record<string, string> = {
  banksim: 'sandbox bank; signs callbacks with a key kept in its data volume (ReadWriteOnce)',
  console: 'sessions held in the process; back-channel logout must reach the replica holding them',
};

const containersOf = (m: Manifest): Record<string, any>[] => m.object.spec.template.spec.containers;
const envOf = (container: Record<string, any>): Record<string, any>[] => container.env ?? [];
const envValue = (container: Record<string, any>, name: string) =>
  envOf(container).find((e) => e.name === name)?.value as string | undefined;
const config = ofKind('ConfigMap').find((m) => m.name === 'platform-config');
const secretTemplate = manifests.find((m) => m.file === 'secrets.template.yaml');

describe('Kubernetes schemas', () => {
  it('finds the manifests', () => {
    expect(deployments.map((d) => d.name).sort()).toEqual(
      ['banksim', 'console', 'identity', 'license', 'payment', 'seal'].sort(),
    );
  });

  it.each(manifests.filter((m) => m.apiVersion !== 'postgresql.cnpg.io/v1').map((m) => [m.where, m] as const))(
    '%s is a valid Kubernetes object with no unknown field',
    async (_where, m) => {
      expect(await schemaErrors(m.apiVersion, m.kind, m.object)).toBe('');
      expect(unknownFields(m.apiVersion, m.kind, m.object)).toEqual([]);
    },
  );

  it('the checks catch a wrong type and a misspelt field', async () => {
    const deployment = structuredClone(deployments[0]!.object);
    deployment.spec.replicas = 'two';
    expect(await schemaErrors('apps/v1', 'Deployment', deployment)).toMatch(/replicas must be integer/);
    const misspelt = structuredClone(deployments[0]!.object);
    misspelt.spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem = true;
    expect(unknownFields('apps/v1', 'Deployment', misspelt)).toEqual([
      '.spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem',
    ]);
  });

  it('the CloudNativePG Cluster has only fields of its API, and creates every database the services use', () => {
    const clusters = manifests.filter((m) => m.apiVersion === 'postgresql.cnpg.io/v1');
    expect(clusters.map((c) => c.kind)).toEqual(['Cluster']);
    const cluster = CnpgCluster.parse(clusters[0]!.object);
    expect(CnpgCluster.safeParse({ ...cluster, spec: { ...cluster.spec, instance: 3 } }).success).toBe(false);
    expect(cluster.spec.instances).toBeGreaterThanOrEqual(3);
    const initdb = cluster.spec.bootstrap!.initdb;
    const created = [
      initdb.database,
      ...(initdb.postInitSQL ?? []).map((sql) => /^CREATE DATABASE (\w+) OWNER (\w+)$/.exec(sql)).map((m) => m?.[1]),
    ].sort();
    const used = [...deployments, ...jobs]
      .flatMap((m) => containersOf(m).map((c) => envValue(c, 'DATABASE_URL')))
      .filter((url): url is string => url !== undefined)
      .map((url) => new URL(url.replace('$(DB_PASSWORD)', 'x')).pathname.slice(1));
    expect([...new Set(used)].sort()).toEqual(created);
    // The same databases as the compose PostgreSQL creates.
    const composeSql = readFileSync(join(repoRoot, 'infra', 'postgres', 'create-databases.sql'), 'utf8');
    expect([...composeSql.matchAll(/^CREATE DATABASE (\w+);/gm)].map((m) => m[1]).sort()).toEqual(created);
    // Every URL connects as the role that owns the databases, to the operator's read-write Service.
    for (const url of used) expect(url).toBeTruthy();
    for (const m of [...deployments, ...jobs])
      for (const c of containersOf(m)) {
        const url = envValue(c, 'DATABASE_URL');
        if (url)
          expect(url).toMatch(new RegExp(`^postgresql://${initdb.owner}:\\$\\(DB_PASSWORD\\)@platform-db-rw:5432/`));
      }
  });
});

describe('Deployments', () => {
  it.each(deployments.map((d) => [d.name, d] as const))('%s: probes, resources, non-root read-only', (name, d) => {
    const pod = d.object.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(d.object.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': name });
    expect(d.object.spec.template.metadata.labels).toMatchObject(d.object.spec.selector.matchLabels);
    for (const container of containersOf(d)) {
      const ports = (container.ports as { name: string }[]).map((p) => p.name);
      expect(container.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
      expect(container.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(ports).toContain('http');
      for (const kind of ['requests', 'limits'])
        expect(Object.keys(container.resources?.[kind] ?? {}).sort()).toEqual(['cpu', 'memory']);
      expect(container.securityContext).toEqual({
        runAsNonRoot: true,
        runAsUser: 10001,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
      // A read-only root: the image's data folder and /tmp are volumes.
      const mounts = Object.fromEntries(
        (container.volumeMounts as { name: string; mountPath: string }[]).map((v) => [v.mountPath, v.name]),
      );
      expect(Object.keys(mounts).sort()).toEqual(['/data', '/tmp']);
      const volumes = pod.volumes as Record<string, any>[];
      for (const volume of Object.values(mounts)) {
        const declared = volumes.find((v) => v.name === volume);
        expect(declared?.emptyDir ?? declared?.persistentVolumeClaim).toBeDefined();
      }
    }
  });

  it.each(deployments.map((d) => [d.name, d] as const))('%s: replicas, autoscaler and disruption budget', (name, d) => {
    const hpa = ofKind('HorizontalPodAutoscaler').find((h) => h.object.spec.scaleTargetRef.name === name);
    const pdb = ofKind('PodDisruptionBudget').find(
      (p) => p.object.spec.selector.matchLabels['app.kubernetes.io/name'] === name,
    );
    if (name in SINGLE_REPLICA) {
      expect(d.object.spec.replicas).toBe(1);
      expect(readFileSync(join(k8sDir, d.file), 'utf8')).toMatch(/ONE replica/);
      expect(hpa).toBeUndefined();
      expect(pdb).toBeUndefined();
      return;
    }
    expect(d.object.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(d.object.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    expect(hpa?.apiVersion).toBe('autoscaling/v2');
    expect(hpa?.object.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
    expect(hpa?.object.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa?.object.spec.maxReplicas).toBeGreaterThan(hpa?.object.spec.minReplicas);
    expect(pdb?.object.spec.minAvailable).toBe(1);
  });

  it('each has a Service on its named port, and ports match docker-compose.yml', () => {
    const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
      services: Record<string, { ports?: string[] }>;
    };
    for (const d of deployments) {
      const service = ofKind('Service').find((s) => s.name === d.name);
      const port = containersOf(d)[0]!.ports[0].containerPort as number;
      expect(service?.object.spec).toMatchObject({
        selector: { 'app.kubernetes.io/name': d.name },
        ports: [{ name: 'http', port, targetPort: 'http' }],
      });
      expect(compose.services[d.name]?.ports).toEqual([`${port}:${port}`]);
      expect(envValue(containersOf(d)[0]!, 'PORT')).toBe(String(port));
    }
  });
});

describe('migrations, configuration and secrets', () => {
  it('every service with a database migrates in a Job with its own image, and not at start', () => {
    for (const d of deployments) {
      const container = containersOf(d)[0]!;
      const url = envValue(container, 'DATABASE_URL');
      if (!url) {
        expect(jobs.find((j) => j.object.metadata.labels['app.kubernetes.io/name'] === d.name)).toBeUndefined();
        continue;
      }
      expect(envValue(container, 'MIGRATE_ON_START')).toBe('false');
      expect(container.args).toEqual(['serve']);
      const job = jobs.find((j) => j.name === `${d.name}-migrate`);
      const migrate = job && containersOf(job)[0]!;
      expect(migrate?.image).toBe(container.image);
      expect(migrate?.args).toEqual(['migrate']);
      expect(envValue(migrate!, 'DATABASE_URL')).toBe(url);
      expect(job?.object.spec.template.spec.restartPolicy).toBe('Never');
      expect(migrate?.securityContext).toEqual(container.securityContext);
      expect(job?.object.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    }
  });

  it('secrets come only from Secrets, the template has every key as a placeholder', () => {
    const templateKeys = Object.keys(secretTemplate?.object.stringData ?? {});
    for (const value of Object.values(secretTemplate?.object.stringData ?? {})) expect(value).toMatch(/^REPLACE_WITH_/);
    for (const m of [...deployments, ...jobs])
      for (const c of containersOf(m))
        for (const env of envOf(c)) {
          const ref = env.valueFrom?.secretKeyRef;
          if (ref?.name === 'platform-secrets') expect(templateKeys).toContain(ref.key);
          else if (ref) expect(ref).toEqual({ name: 'platform-db-app', key: 'password' });
          if (/SECRET|KEY_ENCRYPTION|PASSWORD/.test(env.name)) expect(env.valueFrom?.secretKeyRef).toBeDefined();
        }
    expect(manifests.filter((m) => m.kind === 'Secret').map((m) => m.file)).toEqual(['secrets.template.yaml']);
  });

  it('every $(VAR) in an env value is defined before it (ConfigMap or earlier entry)', () => {
    const fromConfig = Object.keys(config?.object.data ?? {});
    for (const m of [...deployments, ...jobs])
      for (const c of containersOf(m)) {
        const defined = new Set(
          c.envFrom?.some((e: any) => e.configMapRef?.name === 'platform-config') ? fromConfig : [],
        );
        for (const env of envOf(c)) {
          for (const [, name] of String(env.value ?? '').matchAll(/\$\(([A-Z0-9_]+)\)/g))
            expect(defined.has(name!), `${m.name}: ${env.name} uses $(${name}) before it is defined`).toBe(true);
          defined.add(env.name);
        }
      }
  });

  it('identity declares the console with its public callback and the in-cluster back-channel logout', () => {
    const identity = containersOf(deployments.find((d) => d.name === 'identity')!)[0]!;
    const clients = JSON.parse(envValue(identity, 'BOOTSTRAP_CLIENTS')!) as Record<string, any>[];
    expect(clients.map((c) => c.id)).toEqual(['console', 'license-service', 'payment-service']);
    const console = clients[0]!;
    expect(console.redirectUris).toEqual(['$(CONSOLE_PUBLIC_URL)/auth/callback']);
    expect(console.backchannelLogoutUri).toBe('http://console:4000/auth/backchannel-logout');
    for (const key of ['IDENTITY_ISSUER_URL', 'CONSOLE_PUBLIC_URL', 'LICENSE_PUBLIC_URL', 'SEAL_PUBLIC_URL'])
      expect(config?.object.data[key]).toMatch(/^https:\/\//);
    expect(config?.object.data.NODE_ENV).toBe('production');
  });

  it('the kustomizations list existing files, and every manifest but the secret template is in one', () => {
    const listed: string[] = [];
    for (const file of yamlFiles().filter((f) => f.endsWith('kustomization.yaml'))) {
      const dir = file.replace(/\/?kustomization\.yaml$/, '');
      const kustomization = parse(readFileSync(join(k8sDir, file), 'utf8')) as {
        namespace: string;
        resources: string[];
        images?: { name: string }[];
      };
      expect(kustomization.namespace).toBe('gov-platform');
      const resources = kustomization.resources.map((r) => (dir ? `${dir}/${r}` : r));
      listed.push(...resources);
      const images = resources.flatMap((r) =>
        manifests.filter((m) => m.file === r && (m.kind === 'Deployment' || m.kind === 'Job')),
      );
      const imageNames = new Set(images.flatMap((m) => containersOf(m).map((c) => String(c.image).split(':')[0])));
      expect(new Set((kustomization.images ?? []).map((i) => i.name))).toEqual(imageNames);
    }
    const manifestsFiles = yamlFiles().filter((f) => !f.endsWith('kustomization.yaml'));
    expect(listed.sort()).toEqual(manifestsFiles.filter((f) => f !== 'secrets.template.yaml').sort());
  });
});
