// Reads every manifest under infra/k8s (multi-document YAML) with the file and position of each;
// kustomization.yaml files are kustomize's, not the API's, and are read by the test itself.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const k8sDir = join(repoRoot, 'infra', 'k8s');

// Free-form YAML, walked by the tests after the schemas have checked it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Yaml = Record<string, any>;

export interface Manifest {
  /** e.g. services/identity.yaml#0 */
  where: string;
  file: string;
  apiVersion: string;
  kind: string;
  name: string;
  object: Yaml;
}

export function yamlFiles(dir = k8sDir): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => relative(k8sDir, join(entry.parentPath, entry.name)))
    .sort();
}

export function loadManifests(): Manifest[] {
  const manifests: Manifest[] = [];
  for (const file of yamlFiles().filter((f) => !f.endsWith('kustomization.yaml'))) {
    const documents = parseAllDocuments(readFileSync(join(k8sDir, file), 'utf8'));
    documents.forEach((document, index) => {
      if (document.errors.length > 0)
        throw new Error(`${file}#${index}: ${document.errors.map((e) => e.message).join('; ')}`);
      const object = document.toJS({ maxAliasCount: 0 }) as Yaml | null;
      if (object === null) return;
      manifests.push({
        where: `${file}#${index}`,
        file,
        apiVersion: String(object.apiVersion),
        kind: String(object.kind),
        name: String(object.metadata?.name),
        object,
      });
    });
  }
  return manifests;
}
