/**
 * RPC over gRPC, found through Kubernetes DNS: the gateway dials `dns:///<name>:<port>` and spreads
 * its calls over every address the name resolves to. That only works when
 *   - RPC_TRANSPORT is a transport the apps know;
 *   - each target names a Service of the namespace that is headless (a virtual IP would be one
 *     address: each gateway pod pinned to one pod), publishes ready pods only, selects that app's
 *     pods, and declares the target's port; the pods are dialled at that port itself (no proxy
 *     rewrites it), so it must be the container port named "grpc", which <APP>_GRPC_PORT sets;
 *   - the server binds every interface of the pod (GRPC_HOST, else HTTP_HOST);
 *   - the NetworkPolicies let the gateway out to that port and into the app's pods, and no ingress
 *     rule opens the port to anyone else (the gateway is the services' only RPC caller).
 */
import { SERVICE_APPS } from './apps.mjs';
import { NAMESPACE, problem } from './context.mjs';
import { EXTERNAL_PODS, resolvePort, selects } from './workloads.mjs';

export const RPC_TRANSPORTS = ['amqp', 'grpc'];
/** The gRPC servers, the gateway's variable naming each, and the port variable each serves on. */
export const GRPC_APPS = SERVICE_APPS.map(({ app, grpc }) => ({ app, ...grpc }));
export const GRPC_CLIENT = 'gateway';
const ANY_ADDRESS = ['0.0.0.0', '::'];
const NAME_LABEL = 'app.kubernetes.io/name';
const podLabels = (deployment) => deployment.doc.spec.template.metadata?.labels;

export function checkTransport(value, where) {
  if (value !== undefined && !RPC_TRANSPORTS.includes(value))
    problem(where, `RPC_TRANSPORT "${value}" is not a transport: ${RPC_TRANSPORTS.join(' or ')}`);
}

/**
 * { host, port } of a `dns:///host:port` target, or undefined after reporting why. The port is
 * required: without one grpc-js dials 443.
 */
export function parseGrpcTarget(value, where, variable) {
  const match = /^dns:\/\/\/([A-Za-z0-9.-]+):(\d{1,5})$/.exec(value ?? '');
  if (!match) {
    problem(
      where,
      `${variable} "${value ?? ''}" must read dns:///<host>:<port> (the port too: grpc-js would dial 443)`,
    );
    return undefined;
  }
  return { host: match[1].toLowerCase(), port: Number(match[2]) };
}

/** The Service a cluster DNS name points at in our namespace: `svc`, `svc.ns`, `svc.ns.svc[.<domain>]`. */
function serviceOf(host) {
  const [name, ...rest] = host.split('.');
  const suffix = rest.join('.');
  const ours = !suffix || suffix === NAMESPACE || suffix.startsWith(`${NAMESPACE}.svc`);
  return ours && (suffix.split('.')[1] ?? 'svc') === 'svc' ? name : undefined;
}

/** Whether a policy restricts this direction (no policyTypes: Ingress always, Egress when it has rules). */
function governs(doc, direction) {
  const types = doc.spec.policyTypes ?? ['Ingress', ...(doc.spec.egress ? ['Egress'] : [])];
  return types.includes(direction);
}

/** Whether a NetworkPolicy peer (from/to entry) includes the pods of this Deployment. */
function peerIncludes(peer, deployment) {
  if (peer.ipBlock) return false; // pod addresses are not known here
  if (peer.namespaceSelector && !selects(peer.namespaceSelector, { 'kubernetes.io/metadata.name': NAMESPACE }))
    return false;
  return peer.podSelector ? selects(peer.podSelector, podLabels(deployment)) : true;
}

/** Whether a rule's ports include this TCP port of these containers (a named port resolved on them). */
function portsInclude(ports, containers, port) {
  if (!ports?.length) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== 'TCP') return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'number') return p.endPort ? p.port <= port && port <= p.endPort : p.port === port;
    return resolvePort(containers, p.port)?.containerPort === port;
  });
}

/** Whether the policies let `client` pods open TCP connections to `server` pods on `port`, each way. */
function allowed(policies, client, server, port) {
  const serverContainers = server.doc.spec.template.spec.containers;
  // A pod no policy governs in a direction is open that way; otherwise one rule of one policy must allow it.
  const opens = (direction, subject, peersKey, other) => {
    const governing = policies.filter(
      ({ doc }) => selects(doc.spec.podSelector, podLabels(subject)) && governs(doc, direction),
    );
    return (
      !governing.length ||
      governing.some(({ doc }) =>
        (doc.spec[direction.toLowerCase()] ?? []).some(
          (rule) =>
            (!rule[peersKey]?.length || rule[peersKey].some((peer) => peerIncludes(peer, other))) &&
            portsInclude(rule.ports, serverContainers, port),
        ),
      )
    );
  };
  return {
    egress: opens('Egress', client, 'to', server),
    ingress: opens('Ingress', server, 'from', client),
  };
}

/** Ingress rules of the server's pods that open `port` to anyone but the client's pods. */
function checkOnlyClient(policies, deployments, client, server, port) {
  const containers = server.doc.spec.template.spec.containers;
  for (const { doc, label } of policies) {
    if (!selects(doc.spec.podSelector, podLabels(server)) || !governs(doc, 'Ingress')) continue;
    for (const rule of doc.spec.ingress ?? []) {
      if (!portsInclude(rule.ports, containers, port)) continue;
      for (const peer of rule.from?.length ? rule.from : [{}]) {
        // Another namespace, an address range or every pod: more than the client, whatever it holds.
        const beyond = peer.ipBlock || peer.namespaceSelector || !peer.podSelector;
        const others = [
          ...deployments.filter((d) => d !== client && selects(peer.podSelector, podLabels(d))).map((d) => d.name),
          ...EXTERNAL_PODS.filter((name) => selects(peer.podSelector, { [NAME_LABEL]: name })),
        ];
        if (beyond || others.length)
          problem(
            label,
            `opens the gRPC port ${port} of ${server.name} to ${beyond ? JSON.stringify(peer) : others.join(', ')}: only the ${client.name} may call it`,
          );
      }
    }
  }
}

/** Checks the Kubernetes side; returns how many targets were followed to their pods. */
export function checkGrpcDiscovery(objects, config) {
  const where = 'deploy/k8s ConfigMap';
  const deployments = objects.filter((o) => o.kind === 'Deployment');
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  const client = deployments.find((d) => d.name === GRPC_CLIENT);
  checkTransport(config.RPC_TRANSPORT, where);

  const bind = config.GRPC_HOST || config.HTTP_HOST;
  if (!ANY_ADDRESS.includes(bind))
    problem(
      where,
      `the gRPC servers would bind ${bind || 'their default'} (GRPC_HOST, else HTTP_HOST): the gateway's pods could not reach them; use 0.0.0.0`,
    );

  let followed = 0;
  for (const { app, targetVar, portVar } of GRPC_APPS) {
    const server = deployments.find((d) => d.name === app);
    if (!server || !client) {
      problem('deploy/k8s', `no Deployment ${server ? GRPC_CLIENT : app}: ${targetVar} cannot be followed`);
      continue;
    }
    const containers = server.doc.spec.template.spec.containers;
    const grpcPort = resolvePort(containers, 'grpc');
    const label = `Deployment/${app}`;
    if (!grpcPort) problem(label, `no containerPort named "grpc" (${portVar})`);
    else if (String(grpcPort.containerPort) !== config[portVar])
      problem(label, `port "grpc" is ${grpcPort.containerPort}, ${portVar} in the ConfigMap is ${config[portVar]}`);

    const target = parseGrpcTarget(config[targetVar], where, targetVar);
    if (!target) continue;
    const name = serviceOf(target.host);
    if (!name) {
      problem(where, `${targetVar} names ${target.host}, not a Service of the namespace ${NAMESPACE}`);
      continue;
    }
    const service = objects.find((o) => o.kind === 'Service' && o.name === name);
    if (!service) {
      problem(where, `${targetVar} names the Service ${name}, which does not exist`);
      continue;
    }
    const spec = service.doc.spec;
    if (spec.clusterIP !== 'None')
      problem(
        service.label,
        `${targetVar} needs a headless Service (clusterIP: None): behind one virtual IP each gateway pod would keep calling one ${app} pod`,
      );
    if (spec.publishNotReadyAddresses === true)
      problem(
        service.label,
        `publishNotReadyAddresses would send the gateway's calls to ${app} pods that are not ready`,
      );
    const selected = deployments.filter((d) => selects({ matchLabels: spec.selector }, podLabels(d)));
    if (selected.length !== 1 || selected[0] !== server)
      problem(
        service.label,
        `must select the pods of ${app} alone (selects ${selected.map((d) => d.name).join(', ') || 'none'})`,
      );
    const port = (spec.ports ?? []).find((p) => p.port === target.port);
    if (!port) {
      problem(service.label, `declares no port ${target.port} (${targetVar})`);
      continue;
    }
    const behind = resolvePort(containers, port.targetPort ?? port.port);
    if (behind?.name !== 'grpc' || behind.containerPort !== target.port)
      problem(
        service.label,
        `port ${target.port} must lead to the containerPort "grpc" of ${app}, with the same number: a headless Service's clients dial the pods at ${target.port} itself`,
      );

    const { egress, ingress } = allowed(policies, client, server, target.port);
    if (!egress)
      problem('deploy/k8s NetworkPolicy', `no egress rule lets ${GRPC_CLIENT} reach ${app} on ${target.port}`);
    if (!ingress)
      problem('deploy/k8s NetworkPolicy', `no ingress rule lets ${GRPC_CLIENT} into ${app} on ${target.port}`);
    checkOnlyClient(policies, deployments, client, server, target.port);
    followed += 1;
  }
  return { targets: followed };
}
