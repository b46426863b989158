import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { KEEP_ALIVE_TIMEOUT_MS } from '@clinic/platform';
import { parse, parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { connectionAllowed, inCidr, type Endpoint, type NetworkPolicy } from './network-policy';
import { repoRoot, run, tool } from './tools';

/**
 * The deployment, checked offline with the real tools: every YAML file parses, kustomize (built from
 * the Go module proxy by install-tools.sh) renders each overlay, every rendered object passes its
 * Kubernetes schema, the security properties hold, the workflows pass actionlint. Terraform checks are
 * in terraform.int.test.ts.
 */

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  // The objects are checked against their schemas below; tests read them loosely.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rendered YAML, validated by schema first
  spec?: any;
  data?: Record<string, string>;
}

const ENVIRONMENTS = ['dev', 'prod'] as const;
const SERVICES = ['gateway', 'doctors', 'appointments', 'patients', 'audit'];
const SUBGRAPHS = SERVICES.filter((name) => name !== 'gateway');

function filesUnder(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && pattern.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

function render(overlay: string): K8sObject[] {
  const output = run(tool('kustomize'), ['build', path.join(repoRoot, 'k8s', overlay)]);
  return parseAllDocuments(output).map((document) => document.toJS() as K8sObject);
}

/** Validates with kubernetes-models' JSON schemas (types, required fields, enums). */
function validateSchema(object: K8sObject): void {
  if (object.apiVersion.startsWith('external-secrets.io/')) return validateExternalSecrets(object);
  let model: new (data: unknown) => { validate(): void };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the class is chosen by apiVersion and kind
    model = require(`kubernetes-models/${object.apiVersion}/${object.kind}`)[object.kind];
  } catch {
    throw new Error(`no schema for ${object.apiVersion} ${object.kind} in kubernetes-models`);
  }
  new model(object).validate();
}

// kubernetes-models has no External Secrets schemas: the fields the operator needs, by zod.
const externalSecretsSchemas = {
  SecretStore: z.object({
    spec: z.object({
      provider: z.object({
        aws: z.object({
          service: z.literal('SecretsManager'),
          region: z.string().min(1),
          auth: z.object({ jwt: z.object({ serviceAccountRef: z.object({ name: z.string().min(1) }) }) }),
        }),
      }),
    }),
  }),
  ExternalSecret: z.object({
    spec: z.object({
      refreshInterval: z.string(),
      secretStoreRef: z.object({ kind: z.literal('SecretStore'), name: z.string().min(1) }),
      target: z.object({ name: z.string().min(1), creationPolicy: z.literal('Owner') }),
      data: z
        .array(
          z.object({
            secretKey: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
            remoteRef: z.object({ key: z.string().min(1), property: z.string().min(1) }),
          }),
        )
        .min(1),
    }),
  }),
};

function validateExternalSecrets(object: K8sObject): void {
  if (object.apiVersion !== 'external-secrets.io/v1') throw new Error(`unexpected ${object.apiVersion}`);
  const schema = externalSecretsSchemas[object.kind as keyof typeof externalSecretsSchemas];
  if (!schema) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
  schema.parse(object);
}

describe('every YAML file of the deployment', () => {
  const files = [
    ...filesUnder(path.join(repoRoot, 'k8s'), /\.ya?ml$/),
    ...filesUnder(path.join(repoRoot, '.github'), /\.ya?ml$/),
  ];

  it('parses', () => {
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const errors = parseAllDocuments(readFileSync(file, 'utf8')).flatMap((document) => document.errors);
      expect({ file: path.relative(repoRoot, file), errors }).toEqual({
        file: path.relative(repoRoot, file),
        errors: [],
      });
    }
  });

  it('workflows pass actionlint', () => {
    const workflows = filesUnder(path.join(repoRoot, '.github', 'workflows'), /\.ya?ml$/);
    expect(workflows.length).toBeGreaterThanOrEqual(2);
    run(tool('actionlint'), ['-no-color', ...workflows]);
  });
});

describe.each(ENVIRONMENTS)('the %s overlay', (environment) => {
  let services: K8sObject[];
  let migration: K8sObject[];
  let all: K8sObject[];
  const network = parse(
    readFileSync(path.join(repoRoot, 'k8s', 'overlays', environment, 'common', 'network.yaml'), 'utf8'),
  ) as { data: { publicSubnets: string; dataSubnets: string; vaultSubnets: string } };
  const namespace = `clinic-${environment}`;

  beforeAll(() => {
    services = render(`overlays/${environment}`);
    migration = render(`overlays/${environment}/migrate`);
    all = [...services, ...migration];
  });

  const ofKind = (objects: K8sObject[], kind: string) => objects.filter((object) => object.kind === kind);
  const podTemplates = () =>
    [...ofKind(all, 'Deployment'), ...ofKind(all, 'Job')].map((object) => ({
      name: object.metadata.name,
      template: object.spec.template,
    }));

  it('renders with kustomize, every object valid against its schema and in the namespace', () => {
    expect(
      ofKind(services, 'Deployment')
        .map((object) => object.metadata.name)
        .sort(),
    ).toEqual([...SERVICES].sort());
    expect(ofKind(migration, 'Job').map((object) => object.metadata.name)).toEqual(['clinic-migrate']);
    for (const object of all) {
      expect(() => validateSchema(object)).not.toThrow();
      if (object.kind !== 'Namespace')
        expect(`${object.kind}/${object.metadata.namespace}`).toBe(`${object.kind}/${namespace}`);
    }
    const ns = ofKind(services, 'Namespace')[0];
    expect(ns?.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  it('runs no container as root, privileged, escalating or with a writable root filesystem', () => {
    expect(podTemplates()).toHaveLength(SERVICES.length + 1);
    for (const { name, template } of podTemplates()) {
      const pod = template.spec.securityContext ?? {};
      expect({ name, runAsNonRoot: pod.runAsNonRoot }).toEqual({ name, runAsNonRoot: true });
      for (const container of [...template.spec.containers, ...(template.spec.initContainers ?? [])]) {
        const security = container.securityContext ?? {};
        const user = security.runAsUser ?? pod.runAsUser;
        expect({ name, user: typeof user === 'number' && user > 0 }).toEqual({ name, user: true });
        expect({ name, ...security, runAsUser: undefined }).toMatchObject({
          name,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(security.privileged).not.toBe(true);
        expect(container.image).toMatch(/^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/clinic:/);
        for (const kind of ['requests', 'limits'])
          expect({ name, kind, ...container.resources?.[kind] }).toMatchObject({
            name,
            kind,
            cpu: expect.anything(),
            memory: expect.anything(),
          });
      }
    }
  });

  it('gives every Deployment probes on /readyz and /healthz, an autoscaler, a disruption budget and an IAM role', () => {
    for (const deployment of ofKind(services, 'Deployment')) {
      const name = deployment.metadata.name;
      const [container] = deployment.spec.template.spec.containers;
      expect(container.readinessProbe.httpGet.path).toBe('/readyz');
      expect(container.livenessProbe.httpGet.path).toBe('/healthz');
      const hpa = ofKind(services, 'HorizontalPodAutoscaler').find(
        (object) => object.spec.scaleTargetRef.name === name,
      );
      expect(hpa?.spec.minReplicas).toBeGreaterThanOrEqual(1);
      const pdb = ofKind(services, 'PodDisruptionBudget').find(
        (object) => object.spec.selector.matchLabels['app.kubernetes.io/name'] === name,
      );
      expect(pdb).toBeDefined();
      const account = ofKind(services, 'ServiceAccount').find(
        (object) => object.metadata.name === deployment.spec.template.spec.serviceAccountName,
      );
      expect(account?.metadata.annotations?.['eks.amazonaws.com/role-arn']).toMatch(
        new RegExp(`^arn:aws:iam::\\d{12}:role/clinic-${environment}-${name}$`),
      );
    }
    if (environment === 'prod')
      for (const hpa of ofKind(services, 'HorizontalPodAutoscaler'))
        expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(3);
  });

  it('lets every pod drain and exit on its own: preStop sleep, then SIGTERM, all within the grace period', () => {
    const config = ofKind(services, 'ConfigMap').find((object) => object.metadata.name === 'clinic-config');
    const ms = (name: string) => Number(config?.data?.[name]);
    // The launcher's own rule (config.ts): the deadline leaves time after the 503 delay and the drain.
    expect(ms('DRAIN_DELAY_MS')).toBeGreaterThanOrEqual(1_000);
    expect(ms('DRAIN_TIMEOUT_MS')).toBeGreaterThanOrEqual(1_000);
    expect(ms('SHUTDOWN_TIMEOUT_MS')).toBeGreaterThanOrEqual(
      ms('DRAIN_DELAY_MS') + ms('DRAIN_TIMEOUT_MS') + 5_000,
    );
    for (const deployment of ofKind(services, 'Deployment')) {
      const name = deployment.metadata.name;
      const pod = deployment.spec.template.spec;
      const [container] = pod.containers;
      // The kubelet's own sleep: nothing to find in the image, and it cannot fail for want of a shell.
      const preStopSeconds: unknown = container.lifecycle?.preStop?.sleep?.seconds;
      expect({ name, preStopSeconds }).toEqual({ name, preStopSeconds: expect.any(Number) });
      expect(preStopSeconds).toBeGreaterThanOrEqual(5);
      // The grace period counts from the start of preStop; SIGKILL would come at its end.
      const needed = Number(preStopSeconds) * 1_000 + ms('SHUTDOWN_TIMEOUT_MS');
      expect({ name, grace: pod.terminationGracePeriodSeconds * 1_000 > needed }).toEqual({
        name,
        grace: true,
      });
      // A pod that is draining or lost its database is out of the endpoints within 10 s.
      const probe = container.readinessProbe;
      expect(probe.periodSeconds * probe.failureThreshold).toBeLessThanOrEqual(10);
      expect(container.startupProbe?.httpGet.path).toBe('/healthz');
    }
    const ingress = ofKind(services, 'Ingress')[0];
    expect(ingress?.metadata.annotations?.['alb.ingress.kubernetes.io/healthcheck-path']).toBe('/readyz');
  });

  it("serves every service's metrics on its pod's port 9464 named `metrics`, which no Service exposes", () => {
    for (const name of SERVICES) {
      const deployment = ofKind(all, 'Deployment').find((object) => object.metadata.name === name);
      const container = deployment?.spec.template.spec.containers[0];
      expect(container.ports).toContainEqual({ name: 'metrics', containerPort: 9464, protocol: 'TCP' });
      expect(container.env).toContainEqual({ name: 'METRICS_PORT', value: '9464' });
      expect(deployment?.spec.template.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': name });
    }
    // The PodMonitors scrape the pods directly; a Service port would be one more way in.
    for (const service of ofKind(all, 'Service'))
      for (const port of service.spec.ports) expect([port.name, port.targetPort]).not.toContain('metrics');
  });

  it('exposes only the gateway, through an ALB that keeps SSE streams open for an hour', () => {
    const [ingress, ...others] = ofKind(services, 'Ingress');
    expect(others).toHaveLength(0);
    const attributes: string =
      ingress?.metadata.annotations?.['alb.ingress.kubernetes.io/load-balancer-attributes'] ?? '';
    expect(attributes).toContain('idle_timeout.timeout_seconds=3600');
    // The gateway keeps an idle connection longer than the ALB does, or the ALB's next request on it is a 502.
    const idleSeconds = Number(/idle_timeout\.timeout_seconds=(\d+)/.exec(attributes)?.[1]);
    expect(KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(idleSeconds * 1000);
    expect(ingress?.metadata.annotations?.['alb.ingress.kubernetes.io/ssl-redirect']).toBe('443');
    const backends = ingress?.spec.rules.flatMap(
      (rule: { http: { paths: { backend: { service: { name: string } } }[] } }) =>
        rule.http.paths.map((entry) => entry.backend.service.name),
    );
    expect(backends).toEqual(['gateway']);
    for (const service of ofKind(services, 'Service'))
      expect(service.spec.type ?? 'ClusterIP').toBe('ClusterIP');
  });

  it('hands the vault database URL to patients and the migration only', () => {
    for (const secret of ofKind(all, 'ExternalSecret')) {
      const keys: string[] = secret.spec.data.map((entry: { secretKey: string }) => entry.secretKey);
      expect({ secret: secret.metadata.name, vault: keys.includes('DATABASE_URL_PII_VAULT') }).toEqual({
        secret: secret.metadata.name,
        vault: ['clinic-patients-env', 'clinic-migrate-env'].includes(secret.metadata.name),
      });
    }
  });

  describe('network policies', () => {
    const podOf = (name: string): Endpoint => ({
      pod:
        name === 'migrate'
          ? { 'app.kubernetes.io/name': 'migrate' }
          : { 'app.kubernetes.io/name': name, 'clinic/tier': name === 'gateway' ? 'edge' : 'subgraph' },
      namespace,
      namespaceLabels: { 'kubernetes.io/metadata.name': namespace },
    });
    const labelsOf = (name: string): Record<string, string> => {
      const template = podTemplates().find(
        (entry) => entry.name === (name === 'migrate' ? 'clinic-migrate' : name),
      );
      return template?.template.metadata.labels;
    };
    const policies = () => ofKind(all, 'NetworkPolicy') as unknown as NetworkPolicy[];
    /** An address inside the range: its base address plus 10. */
    const hostIn = (cidr: string) => {
      const parts = (cidr.split('/')[0] ?? '').split('.');
      parts[3] = String(Number(parts[3]) + 10);
      return parts.join('.');
    };
    const otherNamespacePod: Endpoint = {
      pod: { 'app.kubernetes.io/name': 'gateway', 'clinic/tier': 'edge' },
      namespace: 'intruder',
      namespaceLabels: { 'kubernetes.io/metadata.name': 'intruder' },
    };

    it('the evaluated pods carry the labels of the rendered templates', () => {
      for (const name of [...SERVICES, 'migrate']) {
        const endpoint = podOf(name);
        if (endpoint.pod) expect(labelsOf(name)).toMatchObject(endpoint.pod);
      }
    });

    it('deny everything not opened, in both directions', () => {
      const denyAll = policies().find((policy) => policy.metadata.name === 'default-deny-all');
      expect(denyAll?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    });

    it('let only the load balancer subnets (and patients, for clinic names) reach the gateway', () => {
      const alb = hostIn(network.data.publicSubnets);
      expect(inCidr(alb, network.data.publicSubnets)).toBe(true);
      expect(connectionAllowed(policies(), { ip: alb }, podOf('gateway'), 8080)).toBe(true);
      expect(
        connectionAllowed(policies(), { ip: hostIn(network.data.dataSubnets) }, podOf('gateway'), 8080),
      ).toBe(false);
      expect(connectionAllowed(policies(), otherNamespacePod, podOf('gateway'), 8080)).toBe(false);
      expect(connectionAllowed(policies(), podOf('audit'), podOf('gateway'), 8080)).toBe(false);
      // patients reads clinic names through the gateway's public query; no other service calls it.
      expect(connectionAllowed(policies(), podOf('patients'), podOf('gateway'), 8080)).toBe(true);
      expect(connectionAllowed(policies(), podOf('doctors'), podOf('gateway'), 8080)).toBe(false);
    });

    it.each(SUBGRAPHS)('let only the gateway reach the %s subgraph', (name) => {
      expect(connectionAllowed(policies(), podOf('gateway'), podOf(name), 8080)).toBe(true);
      expect(
        connectionAllowed(policies(), { ip: hostIn(network.data.publicSubnets) }, podOf(name), 8080),
      ).toBe(false);
      expect(connectionAllowed(policies(), otherNamespacePod, podOf(name), 8080)).toBe(false);
      for (const other of SUBGRAPHS.filter((subgraph) => subgraph !== name))
        expect(connectionAllowed(policies(), podOf(other), podOf(name), 8080)).toBe(false);
    });

    it('let only the monitoring namespace scrape the metrics port: not the load balancer, outside, or other pods', () => {
      const prometheus: Endpoint = {
        pod: { 'app.kubernetes.io/name': 'prometheus' },
        namespace: 'monitoring',
        namespaceLabels: { 'kubernetes.io/metadata.name': 'monitoring' },
      };
      for (const name of SERVICES) {
        expect({ name, scraped: connectionAllowed(policies(), prometheus, podOf(name), 9464) }).toEqual({
          name,
          scraped: true,
        });
        const refused = [
          { ip: hostIn(network.data.publicSubnets) }, // the ALB, or anything it forwards
          { ip: hostIn(network.data.dataSubnets) },
          { ip: '203.0.113.10' }, // the internet
          otherNamespacePod,
          ...SERVICES.map(podOf), // every app pod, its own kind included
        ].filter((source) => connectionAllowed(policies(), source, podOf(name), 9464));
        expect({ name, refused }).toEqual({ name, refused: [] });
        // Monitoring scrapes metrics; it does not reach the API.
        expect(connectionAllowed(policies(), prometheus, podOf(name), 8080)).toBe(false);
      }
    });

    it('let only patients and the migration reach the vault database', () => {
      const vault = { ip: hostIn(network.data.vaultSubnets) };
      expect(inCidr(vault.ip, network.data.vaultSubnets)).toBe(true);
      const reach = Object.fromEntries(
        [...SERVICES, 'migrate'].map((name) => [
          name,
          connectionAllowed(policies(), podOf(name), vault, 5432),
        ]),
      );
      expect(reach).toEqual({
        gateway: false,
        doctors: false,
        appointments: false,
        patients: true,
        audit: false,
        migrate: true,
      });
    });

    it('let the subgraphs reach the service databases and MSK, the gateway MSK only', () => {
      const data = { ip: hostIn(network.data.dataSubnets) };
      for (const name of SUBGRAPHS) {
        expect(connectionAllowed(policies(), podOf(name), data, 5432)).toBe(true);
        expect(connectionAllowed(policies(), podOf(name), data, 9098)).toBe(true);
      }
      // The gateway reads live-update events from MSK, never a database.
      expect(connectionAllowed(policies(), podOf('gateway'), data, 5432)).toBe(false);
      expect(connectionAllowed(policies(), podOf('gateway'), data, 9098)).toBe(true);
    });

    it('match the terraform network layout', () => {
      const cidr = environment === 'dev' ? '10.40' : '10.50';
      expect(network.data).toEqual({
        publicSubnets: `${cidr}.96.0/22`,
        dataSubnets: `${cidr}.100.0/22`,
        vaultSubnets: `${cidr}.104.0/26`,
      });
    });
  });
});
