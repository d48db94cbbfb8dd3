// Validation of manifests against the Kubernetes API schemas, from the npm package
// kubernetes-models (generated from Kubernetes' OpenAPI: types, required fields, enums, formats),
// plus what its validators let through: fields the API does not have. Those are found by walking
// each object along the package's own TypeScript declarations, so a misspelt field
// (readOnlyRootFileSystem) fails instead of being silently dropped by the API server.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: Record<string, unknown>) => Validatable;

/** apiVersion/kind → module of kubernetes-models and its interface name. */
export const KUBERNETES_KINDS: Record<string, { module: string; type: string }> = {
  'v1/Namespace': { module: 'v1/Namespace', type: 'INamespace' },
  'v1/ConfigMap': { module: 'v1/ConfigMap', type: 'IConfigMap' },
  'v1/Secret': { module: 'v1/Secret', type: 'ISecret' },
  'v1/Service': { module: 'v1/Service', type: 'IService' },
  'v1/PersistentVolumeClaim': { module: 'v1/PersistentVolumeClaim', type: 'IPersistentVolumeClaim' },
  'apps/v1/Deployment': { module: 'apps/v1/Deployment', type: 'IDeployment' },
  'batch/v1/Job': { module: 'batch/v1/Job', type: 'IJob' },
  'autoscaling/v2/HorizontalPodAutoscaler': {
    module: 'autoscaling/v2/HorizontalPodAutoscaler',
    type: 'IHorizontalPodAutoscaler',
  },
  'policy/v1/PodDisruptionBudget': { module: 'policy/v1/PodDisruptionBudget', type: 'IPodDisruptionBudget' },
};

const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve('kubernetes-models/package.json'));

/** Schema errors of one object ("" when valid). */
export async function schemaErrors(apiVersion: string, kind: string, object: Record<string, unknown>): Promise<string> {
  const entry = KUBERNETES_KINDS[`${apiVersion}/${kind}`];
  if (!entry) return `no Kubernetes schema for ${apiVersion} ${kind}`;
  const module = (await import(`kubernetes-models/${entry.module}`)) as Record<string, ModelClass>;
  const Model = module[kind];
  if (!Model) return `kubernetes-models/${entry.module} exports no ${kind}`;
  try {
    new Model(object).validate();
    return '';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

let checker: { program: ts.Program; types: Map<string, ts.Type> } | undefined;

function declarations(): { program: ts.Program; types: Map<string, ts.Type> } {
  if (checker) return checker;
  const files = Object.values(KUBERNETES_KINDS).map((entry) => join(packageDir, `${entry.module}.d.ts`));
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  });
  const typeChecker = program.getTypeChecker();
  const types = new Map<string, ts.Type>();
  for (const [key, entry] of Object.entries(KUBERNETES_KINDS)) {
    const source = program.getSourceFile(join(packageDir, `${entry.module}.d.ts`));
    const moduleSymbol = source && typeChecker.getSymbolAtLocation(source);
    const symbol = moduleSymbol && typeChecker.getExportsOfModule(moduleSymbol).find((s) => s.name === entry.type);
    if (!symbol) throw new Error(`kubernetes-models/${entry.module}.d.ts declares no ${entry.type}`);
    types.set(key, typeChecker.getDeclaredTypeOfSymbol(symbol));
  }
  checker = { program, types };
  return checker;
}

/** Paths of fields the Kubernetes API does not define for this kind. */
export function unknownFields(apiVersion: string, kind: string, object: Record<string, unknown>): string[] {
  const { program, types } = declarations();
  const root = types.get(`${apiVersion}/${kind}`);
  if (!root) return [`(no declarations for ${apiVersion} ${kind})`];
  const typeChecker = program.getTypeChecker();
  const found: string[] = [];
  const walk = (value: unknown, declared: ts.Type, path: string): void => {
    if (value === null || typeof value !== 'object') return;
    let type = typeChecker.getNonNullableType(declared);
    if (type.isUnion()) {
      // IntOrString, Quantity and the like: only objects need a look inside.
      const objects = type.types.filter((t) => t.flags & ts.TypeFlags.Object);
      if (objects.length !== 1) return;
      type = objects[0] as ts.Type;
    }
    if (Array.isArray(value)) {
      if (!typeChecker.isArrayType(type)) return void found.push(`${path} (not a list in the API)`);
      const element = typeChecker.getTypeArguments(type as ts.TypeReference)[0];
      if (element) value.forEach((item, i) => walk(item, element, `${path}[${i}]`));
      return;
    }
    const index = typeChecker.getIndexTypeOfType(type, ts.IndexKind.String);
    for (const [key, child] of Object.entries(value)) {
      const property = typeChecker.getPropertyOfType(type, key);
      if (property) walk(child, typeChecker.getTypeOfSymbol(property), `${path}.${key}`);
      else if (index) walk(child, index, `${path}.${key}`);
      else found.push(`${path}.${key}`);
    }
  };
  walk(object, root, '');
  return found;
}
