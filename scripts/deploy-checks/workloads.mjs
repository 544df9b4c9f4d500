/**
 * Checks across the Kubernetes objects that no schema can make: every variable of .env.example
 * declared once, credentials only in Secrets and each app's Secret loaded by that app alone,
 * references between objects (envFrom, volumes, Service and Ingress backends, HPA and PDB
 * targets, NetworkPolicy selectors and ports), probes on declared ports, shutdown grace, the
 * security context, and the ports the apps' variables name.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEPLOYED_APPS, SERVICE_APPS } from './apps.mjs';
import { NAMESPACE, isObject, problem, root } from './context.mjs';

/** Variables that hold credentials: in a Secret, never in the ConfigMap. */
const SECRET_VARS = ['DB_PASSWORD', 'AMQP_URL', 'JWT_PRIVATE_KEY', 'JWT_PUBLIC_KEY', 'ADMIN_EMAIL', 'ADMIN_PASSWORD'];
/** An app's own Secret, loaded by that app's Deployment alone; the same variable may be in several. */
const APP_SECRET = new RegExp(`^nest-ddd-(${DEPLOYED_APPS.join('|')})-secrets$`);
const APP_CONFIG = 'nest-ddd-config';
/** The variable naming each port of each app's container. */
const PORT_VARS = {
  gateway: { http: 'GATEWAY_PORT', management: 'MANAGEMENT_PORT' },
  ...Object.fromEntries(SERVICE_APPS.map(({ app, managementPortVar }) => [app, { management: managementPortVar }])),
};
/** The monolith's own variables: the manifests deploy the services. */
const MONOLITH_ONLY = new Set(['EMBEDDED_DB_DIR', 'EMBEDDED_DB_PORT']);
/** Pods these manifests expect in the namespace without defining them (kustomization.yaml says so). */
export const EXTERNAL_PODS = ['postgres', 'rabbitmq', 'redis'];
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 25_000;

/** CPU in cores, memory in bytes; NaN when unreadable. */
export function quantity(value) {
  const m = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(String(value));
  if (!m) return NaN;
  const factor = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
  return Number(m[1]) * (m[2] ? factor[m[2]] : 1);
}

/** Whether a label selector (matchLabels and matchExpressions In/NotIn/Exists) selects these labels. */
export function selects(selector, labels = {}) {
  if (!isObject(selector)) return false;
  const { matchLabels = {}, matchExpressions = [] } = selector;
  if (!Object.keys(matchLabels).length && !matchExpressions.length) return true;
  return (
    Object.entries(matchLabels).every(([k, v]) => labels[k] === v) &&
    matchExpressions.every(({ key, operator, values = [] }) =>
      operator === 'In'
        ? values.includes(labels[key])
        : operator === 'NotIn'
          ? !values.includes(labels[key])
          : operator === 'Exists'
            ? key in labels
            : !(key in labels),
    )
  );
}

/** The containerPort a probe, Service or policy refers to (by number or name), or undefined. */
export const resolvePort = (containers, port) =>
  containers
    .flatMap((c) => c.ports ?? [])
    .find((p) => p.containerPort === port || (typeof port === 'string' && p.name === port));

/** Seconds a preStop hook pauses (every `sleep N` of its command, or its sleep action). */
function preStopSeconds(container) {
  const command = container.lifecycle?.preStop?.exec?.command;
  if (Array.isArray(command)) {
    const sleeps = [...command.join(' ').matchAll(/(?:^|\s|\/)sleep\s+(\d+(?:\.\d+)?)\b/g)].map((m) => Number(m[1]));
    if (sleeps.length) return sleeps.reduce((a, b) => a + b, 0);
  }
  const sleep = container.lifecycle?.preStop?.sleep?.seconds;
  return typeof sleep === 'number' ? sleep : undefined;
}

/** Checks the objects; returns what the connection budget needs (config values, HPAs). */
export function checkWorkloads(objects) {
  const ofKind = (kind) => objects.filter((o) => o.kind === kind);
  const named = (kind, name) => objects.find((o) => o.kind === kind && o.name === name);

  for (const { kind, name, doc, label } of objects) {
    if (kind === 'Namespace') {
      if (name !== NAMESPACE) problem(label, `expected the namespace ${NAMESPACE}`);
    } else if (doc.metadata.namespace !== NAMESPACE) problem(label, `metadata.namespace should be ${NAMESPACE}`);
  }
  if (!ofKind('Namespace').length) problem('deploy/k8s', `no Namespace ${NAMESPACE}`);

  // ConfigMap and Secrets: .env.example covered once, credentials only in Secrets.
  const declaredIn = new Map(); // variable -> 'ConfigMap/x' | 'Secret/y'
  const config = {};
  for (const { kind, name, doc, label } of [...ofKind('ConfigMap'), ...ofKind('Secret')]) {
    if (!name.startsWith('nest-ddd-') || name === 'nest-ddd-pgbouncer-config' || name === 'nest-ddd-pgbouncer-secrets')
      continue;
    const data = { ...doc.data, ...doc.stringData };
    for (const [key, value] of Object.entries(data)) {
      const previous = declaredIn.get(key);
      const perApp = APP_SECRET.test(previous?.replace(/^Secret\//, '') ?? '');
      if (previous && !(kind === 'Secret' && APP_SECRET.test(name) && perApp))
        problem(label, `${key} is also in ${previous}`);
      declaredIn.set(key, `${kind}/${name}`);
      if (kind === 'ConfigMap') config[key] = String(value);
    }
    if (kind === 'ConfigMap') {
      for (const key of SECRET_VARS) if (key in data) problem(label, `${key} holds a credential: move it to a Secret`);
    }
  }
  const envExamplePath = join(root, '.env.example');
  const envExample = existsSync(envExamplePath) ? readFileSync(envExamplePath, 'utf8') : '';
  if (!envExample) problem('.env.example', 'missing');
  const envVars = new Map([...envExample.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map(([, k, v]) => [k, v.trim()]));
  for (const key of envVars.keys()) {
    if (!declaredIn.has(key) && !MONOLITH_ONLY.has(key))
      problem('deploy/k8s', `${key} (from .env.example) is in neither the ConfigMap nor a Secret`);
  }
  for (const key of SECRET_VARS) {
    if (!declaredIn.get(key)?.startsWith('Secret/')) problem('deploy/k8s', `${key} must be in a Secret`);
  }
  const shutdownTimeoutMs = Number(
    config.SHUTDOWN_TIMEOUT_MS || envVars.get('SHUTDOWN_TIMEOUT_MS') || DEFAULT_SHUTDOWN_TIMEOUT_MS,
  );

  const deployments = ofKind('Deployment');
  if (!deployments.length) problem('deploy/k8s', 'no Deployment');
  const hpaOf = (name) => ofKind('HorizontalPodAutoscaler').find((h) => h.doc.spec.scaleTargetRef?.name === name);
  for (const { name, doc, label } of deployments) {
    const template = doc.spec.template;
    const pod = template.spec;
    const podLabels = template.metadata?.labels;
    if (!selects(doc.spec.selector, podLabels)) problem(label, 'spec.selector must select the pod labels');
    const isApp = pod.containers.some((c) => (c.envFrom ?? []).some((s) => s.configMapRef?.name === APP_CONFIG));

    for (const c of pod.containers) {
      const where = `${label} container ${c.name}`;
      for (const probeName of ['livenessProbe', 'readinessProbe']) {
        const probe = c[probeName];
        const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port;
        if (!probe) problem(where, `no ${probeName}`);
        else if (!resolvePort([c], port)) problem(where, `${probeName} port ${port} is not a declared containerPort`);
      }
      if (isApp) {
        for (const [probeName, path] of [
          ['livenessProbe', '/health/live'],
          ['readinessProbe', '/health/ready'],
          ['startupProbe', '/health/live'],
        ]) {
          const get = c[probeName]?.httpGet;
          if (get?.path !== path || get?.port !== 'management') {
            problem(where, `${probeName} must be an httpGet on ${path} at the port named "management"`);
          }
        }
      }
      for (const section of ['requests', 'limits']) {
        for (const resource of ['cpu', 'memory']) {
          const value = c.resources?.[section]?.[resource];
          if (value === undefined) problem(where, `resources.${section}.${resource} is missing`);
          else if (Number.isNaN(quantity(value)))
            problem(where, `resources.${section}.${resource}: unreadable "${value}"`);
        }
      }
      for (const resource of ['cpu', 'memory']) {
        if (quantity(c.resources?.requests?.[resource]) > quantity(c.resources?.limits?.[resource])) {
          problem(where, `resources.requests.${resource} exceeds the limit`);
        }
      }
      const pause = preStopSeconds(c);
      if (pause === undefined) problem(where, 'lifecycle.preStop must pause (exec sleep N) before SIGTERM');
      const needed = (isApp ? shutdownTimeoutMs / 1000 : 0) + (pause ?? 0);
      if (!(pod.terminationGracePeriodSeconds > needed)) {
        problem(
          label,
          `terminationGracePeriodSeconds (${pod.terminationGracePeriodSeconds}) must exceed ${needed} s (drain and preStop)`,
        );
      }
      const sc = { ...pod.securityContext, ...c.securityContext };
      if (sc.runAsNonRoot !== true) problem(where, 'securityContext.runAsNonRoot must be true');
      if (!Number.isInteger(sc.runAsUser) || sc.runAsUser === 0) {
        problem(
          where,
          'securityContext.runAsUser must be a non-zero uid (an image USER name cannot be checked by the kubelet)',
        );
      }
      if (c.securityContext?.readOnlyRootFilesystem !== true)
        problem(where, 'securityContext.readOnlyRootFilesystem must be true');
      if (c.securityContext?.allowPrivilegeEscalation !== false)
        problem(where, 'securityContext.allowPrivilegeEscalation must be false');
      for (const source of c.envFrom ?? []) {
        if (source.configMapRef && !named('ConfigMap', source.configMapRef.name))
          problem(where, `envFrom ConfigMap ${source.configMapRef.name} does not exist`);
        if (source.secretRef && !named('Secret', source.secretRef.name))
          problem(where, `envFrom Secret ${source.secretRef.name} does not exist`);
        const owner = APP_SECRET.exec(source.secretRef?.name ?? '')?.[1];
        if (owner && owner !== c.name) problem(where, `loads ${source.secretRef.name}, the Secret of ${owner}`);
      }
      if (isApp) {
        if (
          named('Secret', `nest-ddd-${c.name}-secrets`) &&
          !(c.envFrom ?? []).some((s) => s.secretRef?.name === `nest-ddd-${c.name}-secrets`)
        )
          problem(where, `must load its own Secret nest-ddd-${c.name}-secrets`);
        if (!(c.envFrom ?? []).some((s) => s.secretRef?.name === 'nest-ddd-secrets'))
          problem(where, 'envFrom must load the shared Secret nest-ddd-secrets');
      }
      for (const [portName, variable] of Object.entries(PORT_VARS[c.name] ?? {})) {
        const port = resolvePort([c], portName);
        if (!port) problem(where, `no containerPort named "${portName}" (${variable})`);
        else if (config[variable] && port.containerPort !== Number(config[variable]))
          problem(
            where,
            `port "${portName}" is ${port.containerPort}, ${variable} in the ConfigMap is ${config[variable]}`,
          );
      }
    }
    for (const volume of pod.volumes ?? []) {
      if (volume.configMap && !named('ConfigMap', volume.configMap.name))
        problem(label, `volume ${volume.name}: ConfigMap ${volume.configMap.name} does not exist`);
      if (volume.secret && !named('Secret', volume.secret.secretName))
        problem(label, `volume ${volume.name}: Secret ${volume.secret.secretName} does not exist`);
    }
    if (isApp) {
      const annotations = template.metadata?.annotations ?? {};
      const scraped = resolvePort(pod.containers, Number(annotations['prometheus.io/port']));
      if (annotations['prometheus.io/scrape'] !== 'true')
        problem(label, 'pod annotation prometheus.io/scrape: "true" is missing');
      else if (scraped?.name !== 'management')
        problem(label, `prometheus.io/port ${annotations['prometheus.io/port']} is not the management port`);
      if (!hpaOf(name)) problem(label, 'no HorizontalPodAutoscaler targets it');
    } else if (hpaOf(name)) {
      problem(label, 'an HPA would change its replicas, and with them its share of the connection budget');
    }
    if (!ofKind('PodDisruptionBudget').some((p) => selects(p.doc.spec.selector, podLabels)))
      problem(label, 'no PodDisruptionBudget covers it');
  }

  const podsOf = (selector) => deployments.filter((d) => selects(selector, d.doc.spec.template.metadata?.labels));
  for (const { doc, label } of ofKind('Service')) {
    const [target] = podsOf({ matchLabels: doc.spec.selector });
    if (!target) {
      problem(label, `selector ${JSON.stringify(doc.spec.selector)} matches no Deployment's pods`);
      continue;
    }
    for (const port of doc.spec.ports ?? []) {
      if (!resolvePort(target.doc.spec.template.spec.containers, port.targetPort ?? port.port))
        problem(
          label,
          `targetPort ${port.targetPort ?? port.port} is not a containerPort of Deployment/${target.name}`,
        );
    }
  }

  for (const { doc, label } of ofKind('HorizontalPodAutoscaler')) {
    const ref = doc.spec.scaleTargetRef;
    const target = deployments.find((d) => d.name === ref.name);
    if (ref.kind !== 'Deployment' || ref.apiVersion !== 'apps/v1' || !target) {
      problem(label, `scaleTargetRef ${ref.apiVersion} ${ref.kind}/${ref.name} is not an existing Deployment`);
    }
    const { minReplicas = 1, maxReplicas } = doc.spec;
    if (!(minReplicas <= maxReplicas)) problem(label, 'needs minReplicas <= maxReplicas');
    const usesCpu = (doc.spec.metrics ?? []).some((m) => m.resource?.name === 'cpu');
    if (usesCpu && target?.doc.spec.template.spec.containers.some((c) => !c.resources?.requests?.cpu)) {
      problem(label, 'scales on CPU utilization but a container of the target has no cpu request');
    }
  }

  for (const { doc, label } of ofKind('PodDisruptionBudget')) {
    const [target] = podsOf(doc.spec.selector);
    if (!target) problem(label, "selector matches no Deployment's pods");
    const least = target && (hpaOf(target.name)?.doc.spec.minReplicas ?? target.doc.spec.replicas ?? 1);
    if (target && Number.isInteger(doc.spec.minAvailable) && doc.spec.minAvailable >= least) {
      problem(label, `minAvailable ${doc.spec.minAvailable} leaves no pod evictable at ${least} replicas`);
    }
  }

  checkNetworkPolicies(ofKind('NetworkPolicy'), deployments);
  checkIngresses(ofKind('Ingress'), ofKind('Service'), deployments);
  return { config, hpaOf, deployments, named };
}

function checkNetworkPolicies(policies, deployments) {
  const podsOf = (selector) => deployments.filter((d) => selects(selector, d.doc.spec.template.metadata?.labels));
  const externalsOf = (selector) =>
    EXTERNAL_PODS.filter((name) => selects(selector, { 'app.kubernetes.io/name': name }));
  if (
    !policies.some(
      ({ doc }) =>
        selects(doc.spec.podSelector, {}) &&
        doc.spec.policyTypes?.includes('Ingress') &&
        doc.spec.policyTypes?.includes('Egress') &&
        !doc.spec.ingress &&
        !doc.spec.egress,
    )
  ) {
    problem('deploy/k8s', 'no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules)');
  }
  const dnsForAll = policies.some(
    ({ doc }) =>
      selects(doc.spec.podSelector, {}) &&
      Object.keys(doc.spec.podSelector).length === 0 &&
      (doc.spec.egress ?? []).some((rule) => (rule.ports ?? []).some((p) => p.port === 53 && p.protocol === 'UDP')),
  );
  if (!dnsForAll) problem('deploy/k8s', 'no NetworkPolicy lets every pod reach DNS (UDP 53)');

  for (const { doc, label } of policies) {
    const selector = doc.spec.podSelector;
    const everyPod = !Object.keys(selector).length;
    const pods = podsOf(selector);
    if (!everyPod && !pods.length && !externalsOf(selector).length)
      problem(
        label,
        `podSelector selects no pod (${deployments.map((d) => d.name).join(', ')} or ${EXTERNAL_PODS.join(', ')})`,
      );
    for (const rule of doc.spec.ingress ?? []) {
      for (const port of rule.ports ?? []) {
        if (
          typeof port.port === 'string' &&
          pods.some((d) => !resolvePort(d.doc.spec.template.spec.containers, port.port))
        )
          problem(label, `ingress port "${port.port}" is not a named port of every selected pod`);
      }
      const fromOutside = (rule.from ?? []).some((peer) => peer.namespaceSelector || peer.ipBlock);
      const onPublicPort = (rule.ports ?? []).every((p) => p.port === 'http');
      if (fromOutside && onPublicPort && pods.some((d) => d.name !== 'gateway'))
        problem(label, 'only the gateway may be reached from outside the namespace on its public port');
      if (fromOutside && !onPublicPort && !(rule.ports ?? []).every((p) => p.port === 'management'))
        problem(
          label,
          'from outside the namespace, only the public port (gateway) and management ports (Prometheus) are open',
        );
    }
    for (const rule of doc.spec.egress ?? []) {
      for (const peer of rule.to ?? []) {
        if (
          peer.podSelector &&
          !peer.namespaceSelector &&
          !podsOf(peer.podSelector).length &&
          !externalsOf(peer.podSelector).length
        )
          problem(label, `egress to ${JSON.stringify(peer.podSelector)}, which selects no pod`);
      }
    }
  }
}

function checkIngresses(ingresses, services, deployments) {
  for (const { doc, label } of ingresses) {
    for (const rule of doc.spec.rules ?? []) {
      for (const path of rule.http?.paths ?? []) {
        if (!/^\/(api|docs)(-json|-yaml)?$/.test(path.path))
          problem(label, `routes ${path.path}: only /api and /docs are public`);
        const backend = path.backend.service;
        const service = services.find((s) => s.name === backend?.name);
        const port = service?.doc.spec.ports.find(
          (p) => p.name === backend.port.name || p.port === backend.port.number,
        );
        const target = deployments.find((d) =>
          selects({ matchLabels: service?.doc.spec.selector }, d.doc.spec.template.metadata?.labels),
        );
        const containerPort =
          target && resolvePort(target.doc.spec.template.spec.containers, port?.targetPort ?? port?.port);
        if (!service || !port)
          problem(label, `${path.path}: backend ${backend?.name}:${JSON.stringify(backend?.port)} is no Service port`);
        else if (target?.name !== 'gateway' || containerPort?.name !== 'http')
          problem(label, `${path.path}: must reach the gateway's public port "http"`);
      }
    }
  }
}
