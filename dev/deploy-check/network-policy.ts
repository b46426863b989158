/**
 * Evaluates Kubernetes NetworkPolicies the way the API defines them, so tests can ask "may this pod open
 * a connection to that address and port?" of the rendered manifests. Written here because no npm package
 * evaluates policies offline; it covers what k8s/ uses (matchLabels selectors, ipBlock with except, ports
 * by number) and throws on anything else (matchExpressions, named ports, endPort) instead of guessing.
 */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: unknown[];
}

interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

interface Rule {
  ports?: { protocol?: string; port?: number | string; endPort?: number }[];
  from?: Peer[];
  to?: Peer[];
}

export interface NetworkPolicy {
  metadata: { name: string; namespace?: string };
  spec: {
    podSelector: LabelSelector;
    policyTypes?: ('Ingress' | 'Egress')[];
    ingress?: Rule[];
    egress?: Rule[];
  };
}

/** One end of a connection: a pod (labels, namespace and its namespace's labels) or an address. */
export type Endpoint =
  | { pod: Record<string, string>; namespace: string; namespaceLabels: Record<string, string>; ip?: string }
  | { ip: string; pod?: undefined };

export function selects(selector: LabelSelector, labels: Record<string, string>): boolean {
  if (selector.matchExpressions?.length) throw new Error('matchExpressions are not evaluated here');
  return Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
}

function ipToNumber(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255))
    throw new Error(`not an IPv4 address: ${ip}`);
  return parts.reduce((sum, part) => sum * 256 + part, 0);
}

export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(ipToNumber(base ?? '') / size) * size;
  const address = ipToNumber(ip);
  return address >= start && address < start + size;
}

function peerMatches(peer: Peer, other: Endpoint, namespace: string): boolean {
  if (peer.ipBlock) {
    // ipBlock is meant for addresses outside the cluster; pod addresses are matched by selectors here.
    if (other.pod || !other.ip) return false;
    return (
      inCidr(other.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => inCidr(other.ip, c))
    );
  }
  if (!other.pod) return false;
  const namespaceOk = peer.namespaceSelector
    ? selects(peer.namespaceSelector, other.namespaceLabels)
    : other.namespace === namespace;
  return namespaceOk && (peer.podSelector ? selects(peer.podSelector, other.pod) : true);
}

function portMatches(rule: Rule, port: number): boolean {
  if (!rule.ports?.length) return true;
  return rule.ports.some((entry) => {
    if (entry.endPort !== undefined || typeof entry.port === 'string')
      throw new Error('endPort and named ports are not evaluated here');
    return (entry.protocol ?? 'TCP') === 'TCP' && (entry.port === undefined || entry.port === port);
  });
}

function policyTypes(policy: NetworkPolicy): string[] {
  return policy.spec.policyTypes ?? (policy.spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);
}

/** Whether a TCP connection from `source` to `target` on `port` is allowed by both ends' policies. */
export function connectionAllowed(
  policies: NetworkPolicy[],
  source: Endpoint,
  target: Endpoint,
  port: number,
): boolean {
  const direction = (
    self: Endpoint,
    other: Endpoint,
    type: 'Ingress' | 'Egress',
    rules: (policy: NetworkPolicy) => Rule[] | undefined,
  ): boolean => {
    if (!self.pod) return true; // an address outside the cluster has no policy
    const selecting = policies.filter(
      (policy) =>
        (policy.metadata.namespace ?? self.namespace) === self.namespace &&
        selects(policy.spec.podSelector, self.pod) &&
        policyTypes(policy).includes(type),
    );
    if (selecting.length === 0) return true;
    return selecting.some((policy) =>
      (rules(policy) ?? []).some((rule) => {
        const peers = type === 'Ingress' ? rule.from : rule.to;
        return (
          portMatches(rule, port) &&
          (!peers?.length || peers.some((peer) => peerMatches(peer, other, self.namespace)))
        );
      }),
    );
  };
  return (
    direction(source, target, 'Egress', (policy) => policy.spec.egress) &&
    direction(target, source, 'Ingress', (policy) => policy.spec.ingress)
  );
}
