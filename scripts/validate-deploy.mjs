#!/usr/bin/env node
/**
 * Offline checks of the deployment files (part of `npm run lint`; no cluster, no Docker engine).
 *
 * 1. Every object `kubectl apply -k deploy/k8s` would create (resources and generated
 *    ConfigMaps/Secrets) against the Kubernetes schemas, with kubernetes-models
 *    (deploy-checks/schemas.mjs).
 * 2. What the schemas cannot see (deploy-checks/workloads.mjs): variables covered once and
 *    credentials in Secrets, references between objects, probes on declared ports, shutdown
 *    grace, security context, NetworkPolicies and the Ingress.
 * 3. The database connection budget at the HPAs' maximum, through PgBouncer
 *    (deploy-checks/connection-budget.mjs).
 * 4. deploy/observability: Prometheus targets, Grafana provisioning, dashboard PromQL
 *    (deploy-checks/observability.mjs).
 * 5. RPC over gRPC: each gateway target followed through its headless Service to the pods' gRPC
 *    port, and the NetworkPolicies on the way (deploy-checks/grpc-discovery.mjs); the transport
 *    switched together and the targets in docker-compose.yml, values in .env.example
 *    (deploy-checks/compose-rpc.mjs).
 *
 * Prints every problem found and exits 1, or prints one summary line and exits 0.
 */
import { checkComposeRpc } from './deploy-checks/compose-rpc.mjs';
import { checkConnectionBudget } from './deploy-checks/connection-budget.mjs';
import { problems } from './deploy-checks/context.mjs';
import { kustomizationObjects } from './deploy-checks/kustomization.mjs';
import { checkGrpcDiscovery } from './deploy-checks/grpc-discovery.mjs';
import { checkObservability } from './deploy-checks/observability.mjs';
import { checkSchemas } from './deploy-checks/schemas.mjs';
import { checkWorkloads } from './deploy-checks/workloads.mjs';

const objects = kustomizationObjects();
await checkSchemas(objects);
// The cross-object checks read fields freely: only on objects the schemas accepted.
const workloads = problems.length ? undefined : checkWorkloads(objects);
const budget = workloads && checkConnectionBudget(workloads);
const grpc = workloads && checkGrpcDiscovery(objects, workloads.config);
const observability = checkObservability();
checkComposeRpc();

if (problems.length) {
  console.error(`validate-deploy: ${problems.length} problem(s)`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
console.log(
  `validate-deploy: OK (${objects.length} Kubernetes objects valid against their schemas; at the HPAs' maximum ` +
    `${budget.clients}/${budget.maxClients} PgBouncer clients and ${budget.servers}/${budget.available} Postgres ` +
    `connections; ${grpc.targets} gRPC targets followed to their pods; ${observability.yamlFiles} observability YAML files, ${observability.dashboards} dashboard(s) ` +
    `with ${observability.queries} PromQL queries)`,
);
