// Prometheus metrics. Each service gets its own registry (no global state), so several services
// can live in one process, as they do in tests and benchmarks.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ProcedureMetrics {
  /** Starts timing a procedure call; call the result with its outcome ('ok' or an error code). */
  start(procedure: string, transport: 'trpc' | 'rest'): (outcome: string) => void;
}

export interface ServiceMetrics extends ProcedureMetrics {
  registry: Registry;
  observeHttp(route: string, method: string, status: number, seconds: number): void;
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });

  const procedureDuration = new Histogram({
    name: 'procedure_duration_seconds',
    help: 'Duration of procedure calls by procedure, transport and outcome (count = number of calls)',
    labelNames: ['procedure', 'transport', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by route group, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route group',
    labelNames: ['route', 'method'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });

  return {
    registry,
    start(procedure, transport) {
      const began = process.hrtime.bigint();
      return (outcome) => {
        const seconds = Number(process.hrtime.bigint() - began) / 1e9;
        procedureDuration.observe({ procedure, transport, outcome }, seconds);
      };
    },
    observeHttp(route, method, status, seconds) {
      httpRequests.inc({ route, method, status: String(status) });
      httpDuration.observe({ route, method }, seconds);
    },
  };
}
