import { connectionAllowed, inCidr, type Endpoint, type NetworkPolicy } from './network-policy';

const pod = (name: string, namespace = 'app'): Endpoint => ({
  pod: { app: name },
  namespace,
  namespaceLabels: { 'kubernetes.io/metadata.name': namespace },
});

const denyAll: NetworkPolicy = {
  metadata: { name: 'deny' },
  spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
};
const apiFromWeb: NetworkPolicy = {
  metadata: { name: 'api-from-web' },
  spec: {
    podSelector: { matchLabels: { app: 'api' } },
    policyTypes: ['Ingress'],
    ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080 }] }],
  },
};
const webToApi: NetworkPolicy = {
  metadata: { name: 'web-egress' },
  spec: {
    podSelector: { matchLabels: { app: 'web' } },
    policyTypes: ['Egress'],
    egress: [
      { to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 8080 }] },
      { to: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.9.0/24'] } }], ports: [{ port: 5432 }] },
    ],
  },
};

describe('NetworkPolicy evaluation', () => {
  it('allows everything between pods no policy selects', () => {
    expect(connectionAllowed([], pod('web'), pod('api'), 1234)).toBe(true);
  });

  it('needs both the egress and the ingress side to allow a connection', () => {
    const policies = [denyAll, apiFromWeb, webToApi];
    expect(connectionAllowed(policies, pod('web'), pod('api'), 8080)).toBe(true);
    expect(connectionAllowed(policies, pod('web'), pod('api'), 9090)).toBe(false);
    expect(connectionAllowed(policies, pod('other'), pod('api'), 8080)).toBe(false);
    expect(connectionAllowed([denyAll, apiFromWeb], pod('web'), pod('api'), 8080)).toBe(false);
  });

  it('matches pod selectors in the policy namespace only', () => {
    expect(connectionAllowed([apiFromWeb], pod('web', 'elsewhere'), pod('api'), 8080)).toBe(false);
  });

  it('matches addresses by CIDR, minus the exceptions', () => {
    const policies = [denyAll, webToApi];
    expect(connectionAllowed(policies, pod('web'), { ip: '10.0.3.4' }, 5432)).toBe(true);
    expect(connectionAllowed(policies, pod('web'), { ip: '10.0.9.4' }, 5432)).toBe(false);
    expect(connectionAllowed(policies, pod('web'), { ip: '10.1.0.1' }, 5432)).toBe(false);
  });

  it("matches a namespace selector by the namespace's labels, whatever the pod, and nothing outside", () => {
    const fromMonitoring: NetworkPolicy = {
      metadata: { name: 'metrics', namespace: 'app' },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
            ports: [{ port: 9464 }],
          },
        ],
      },
    };
    // Policies are namespaced: the app's deny-all says nothing about the monitoring namespace's own egress.
    const policies = [{ ...denyAll, metadata: { name: 'deny', namespace: 'app' } }, fromMonitoring];
    expect(connectionAllowed(policies, pod('prometheus', 'monitoring'), pod('api'), 9464)).toBe(true);
    expect(connectionAllowed(policies, pod('prometheus', 'monitoring'), pod('api'), 8080)).toBe(false);
    expect(connectionAllowed(policies, pod('prometheus', 'elsewhere'), pod('api'), 9464)).toBe(false);
    expect(connectionAllowed([fromMonitoring], pod('web'), pod('api'), 9464)).toBe(false);
    expect(connectionAllowed(policies, { ip: '203.0.113.10' }, pod('api'), 9464)).toBe(false);
  });

  it('computes CIDR membership on the network boundary', () => {
    expect(inCidr('10.40.104.63', '10.40.104.0/26')).toBe(true);
    expect(inCidr('10.40.104.64', '10.40.104.0/26')).toBe(false);
  });
});
