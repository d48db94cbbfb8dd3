// The part of CloudNativePG's Cluster resource (postgresql.cnpg.io/v1) that infra/k8s uses, as a
// strict schema written from the operator's API reference (no npm package ships its CRD schema):
// a field outside it is a typo or a field nobody checked here, and fails the test until added.
import { z } from 'zod';

const quantity = z.union([z.string().regex(/^[0-9]+(\.[0-9]+)?(m|k|Ki|Mi|Gi|Ti|M|G|T)?$/), z.number()]);
const amounts = z.strictObject({ cpu: quantity.optional(), memory: quantity.optional() });
const resources = z.strictObject({ requests: amounts.optional(), limits: amounts.optional() });
const storage = z.strictObject({
  size: z.string().regex(/^[0-9]+(Mi|Gi|Ti)$/),
  storageClass: z.string().min(1).optional(),
});

export const CnpgCluster = z.strictObject({
  apiVersion: z.literal('postgresql.cnpg.io/v1'),
  kind: z.literal('Cluster'),
  metadata: z.strictObject({
    name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/),
    namespace: z.string().optional(),
    labels: z.record(z.string(), z.string()).optional(),
  }),
  spec: z.strictObject({
    instances: z.number().int().min(1),
    imageName: z.string().min(1).optional(),
    primaryUpdateStrategy: z.enum(['unsupervised', 'supervised']).optional(),
    postgresql: z
      .strictObject({
        // Parameters are strings in the CRD, even numeric ones.
        parameters: z.record(z.string(), z.string()).optional(),
      })
      .optional(),
    bootstrap: z
      .strictObject({
        initdb: z.strictObject({
          database: z.string().min(1),
          owner: z.string().min(1),
          secret: z.strictObject({ name: z.string().min(1) }).optional(),
          postInitSQL: z.array(z.string().min(1)).optional(),
          postInitApplicationSQL: z.array(z.string().min(1)).optional(),
        }),
      })
      .optional(),
    storage,
    walStorage: storage.optional(),
    resources: resources.optional(),
    affinity: z
      .strictObject({
        enablePodAntiAffinity: z.boolean().optional(),
        topologyKey: z.string().min(1).optional(),
        podAntiAffinityType: z.enum(['preferred', 'required']).optional(),
      })
      .optional(),
  }),
});
