/**
 * Resources as the engine would hand them to the policy pack for the staging stack (Pulumi.staging.yaml):
 * gcp provider v9 input shapes, URNs, dependencies and propertyDependencies. Builders return fresh objects,
 * so a test can change one thing and keep the rest of a good stack.
 */
import { AnalyzerResource, Diagnostic, PropertyMap, PropertyValue, UNKNOWN } from "../../tools/analyzer";

export const PROJECT = "cloudrun-staging";
export const STACK = "staging";
const GCP_PROJECT = "acme-backend-staging";
const REGION = "europe-west1";

export const TYPES = {
    service: "gcp:cloudrunv2/service:Service",
    serviceIamMember: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
    serviceAccount: "gcp:serviceaccount/account:Account",
    secret: "gcp:secretmanager/secret:Secret",
    secretIamMember: "gcp:secretmanager/secretIamMember:SecretIamMember",
    connector: "gcp:vpcaccess/connector:Connector",
} as const;

const RUNTIME_SA_EMAIL = `backend-runtime@${GCP_PROJECT}.iam.gserviceaccount.com`;
const IMAGE = `${REGION}-docker.pkg.dev/${GCP_PROJECT}/backend/backend@sha256:${"0123456789abcdef".repeat(4)}`;
const CONNECTOR_ID = `projects/${GCP_PROJECT}/locations/${REGION}/connectors/backend-staging`;
const ACCESSOR_ROLE = "roles/secretmanager.secretAccessor";

/** The env var → Secret Manager secret mapping of Pulumi.staging.yaml. */
export const STAGING_SECRETS: Readonly<Record<string, string>> = {
    DATABASE_URL: "backend-database-url",
    REDIS_URL: "backend-redis-url",
    CLICKHOUSE_URL: "backend-clickhouse-url",
};

export function urnOf(type: string, name: string): string {
    return `urn:pulumi:${STACK}::${PROJECT}::${type}::${name}`;
}

function resource(type: string, name: string, properties: PropertyMap, links: Partial<AnalyzerResource> = {}): AnalyzerResource {
    return { urn: urnOf(type, name), type, name, properties, ...links };
}

export interface ContainerSettings {
    cpu?: string;
    memory?: string;
    timeout?: string;
    /** undefined: none declared. */
    startupProbe?: PropertyMap;
    image?: string;
    port?: number;
    /** Plain env values. */
    env?: Record<string, string>;
    /** Env var → secret id, read at version "1". */
    secretEnv?: Record<string, string>;
}

/** Staging's settings: 2 CPU / 4Gi, 900 s timeout, an HTTP startup probe covering 300 s, secrets pinned. */
export const STAGING_CONTAINER: Readonly<ContainerSettings> = {
    cpu: "2",
    memory: "4Gi",
    timeout: "900s",
    startupProbe: {
        httpGet: { path: "/healthz/startup", port: 8000 },
        initialDelaySeconds: 60,
        periodSeconds: 10,
        timeoutSeconds: 5,
        failureThreshold: 24,
    },
    image: IMAGE,
    port: 8000,
    env: { APP_ENV: "staging", LOG_LEVEL: "info" },
    secretEnv: STAGING_SECRETS,
};

/** The revision that failed in staging: Cloud Run's default 1 CPU / 512Mi, a 300 s timeout, no startup probe. */
export const INCIDENT_CONTAINER: Readonly<ContainerSettings> = {
    ...STAGING_CONTAINER,
    cpu: "1",
    memory: "512Mi",
    timeout: "300s",
    startupProbe: undefined,
};

/** A gcp:cloudrunv2 Service's inputs, staging's unless `settings` says otherwise. */
export function serviceProperties(settings: ContainerSettings = STAGING_CONTAINER, serviceAccount = RUNTIME_SA_EMAIL): PropertyMap {
    const s = { ...STAGING_CONTAINER, ...settings };
    const envs: PropertyValue[] = [
        ...Object.entries(s.env ?? {}).map(([name, value]) => ({ name, value })),
        ...Object.entries(s.secretEnv ?? {}).map(([name, secret]) => ({
            name,
            valueSource: { secretKeyRef: { secret, version: "1" } },
        })),
    ];
    return {
        name: "backend",
        location: REGION,
        project: GCP_PROJECT,
        ingress: "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
        deletionProtection: false,
        labels: { team: "backend", env: "staging" },
        template: {
            serviceAccount,
            timeout: s.timeout,
            maxInstanceRequestConcurrency: 40,
            scaling: { minInstanceCount: 1, maxInstanceCount: 10 },
            vpcAccess: { connector: CONNECTOR_ID, egress: "PRIVATE_RANGES_ONLY" },
            containers: [{
                image: s.image,
                ports: { containerPort: s.port },
                resources: { limits: { cpu: s.cpu, memory: s.memory }, cpuIdle: false, startupCpuBoost: true },
                startupProbe: s.startupProbe,
                livenessProbe: { httpGet: { path: "/healthz/live", port: s.port }, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 },
                envs,
            }],
        },
    };
}

export function serviceResource(settings: ContainerSettings = STAGING_CONTAINER): AnalyzerResource {
    return resource(TYPES.service, "backend", serviceProperties(settings));
}

export interface StackSettings extends ContainerSettings {
    /**
     * Preview before anything exists: each grant's secretId and member are unknown, and only its
     * propertyDependencies say which Secret and Account they come from.
     */
    unknownGrantRefs?: boolean;
    /** First preview: the runtime account's email (so the service's serviceAccount) is not known yet either. */
    unknownAccountEmail?: boolean;
}

/** Service, runtime service account, secrets with accessor grants, connector and invoker, as staging has them. */
export function stagingStack(settings: StackSettings = {}): AnalyzerResource[] {
    const secretEnv = settings.secretEnv ?? STAGING_SECRETS;
    const email = settings.unknownAccountEmail ? UNKNOWN : RUNTIME_SA_EMAIL;
    const account = resource(TYPES.serviceAccount, "backend-runtime", {
        accountId: "backend-runtime",
        displayName: "backend runtime",
        project: GCP_PROJECT,
        email,
        member: settings.unknownAccountEmail ? UNKNOWN : `serviceAccount:${RUNTIME_SA_EMAIL}`,
    });
    const secrets = Object.values(secretEnv).map((secretId) => resource(TYPES.secret, secretId, {
        secretId,
        project: GCP_PROJECT,
        replication: { auto: {} },
    }));
    const grants = secrets.map((secret) => secretGrant(secret, account, settings.unknownGrantRefs ?? false));
    const connector = resource(TYPES.connector, "backend-staging", {
        name: "backend-staging",
        project: GCP_PROJECT,
        region: REGION,
        network: "staging-vpc",
        ipCidrRange: "10.8.0.0/28",
        minInstances: 2,
        maxInstances: 6,
        machineType: "e2-standard-4",
    });
    const serviceDependencies = [account, ...secrets, ...grants, connector].map((r) => r.urn);
    const service = resource(TYPES.service, "backend", serviceProperties({ ...settings, secretEnv }, email), {
        dependencies: serviceDependencies,
        propertyDependencies: { template: [account.urn, ...secrets.map((s) => s.urn), connector.urn] },
    });
    const invoker = resource(TYPES.serviceIamMember, "backend-invoker", {
        project: GCP_PROJECT,
        location: REGION,
        name: "backend",
        role: "roles/run.invoker",
        member: `serviceAccount:api-gateway@${GCP_PROJECT}.iam.gserviceaccount.com`,
    }, { dependencies: [service.urn], propertyDependencies: { name: [service.urn], location: [service.urn] } });
    return [account, ...secrets, ...grants, connector, service, invoker];
}

function secretGrant(secret: AnalyzerResource, account: AnalyzerResource, unknownRefs: boolean): AnalyzerResource {
    const { secretId } = secret.properties as { secretId: string };
    const { member } = account.properties as { member: string };
    return resource(TYPES.secretIamMember, `${secretId}-accessor`, {
        project: GCP_PROJECT,
        secretId: unknownRefs ? UNKNOWN : secretId,
        role: ACCESSOR_ROLE,
        member: unknownRefs ? UNKNOWN : member,
    }, {
        dependencies: [secret.urn, account.urn],
        propertyDependencies: { secretId: [secret.urn], member: [account.urn] },
    });
}

/** Diagnostics of one policy. */
export function fromPolicy(diagnostics: readonly Diagnostic[], policyName: string): Diagnostic[] {
    return diagnostics.filter((d) => d.policyName === policyName);
}

/** Mandatory diagnostics: what fails a preview. */
export function mandatory(diagnostics: readonly Diagnostic[]): Diagnostic[] {
    return diagnostics.filter((d) => d.enforcementLevel === "mandatory");
}

/** One line per diagnostic, for assertion messages. */
export function summarize(diagnostics: readonly Diagnostic[]): string {
    return diagnostics.length === 0
        ? "(no diagnostics)"
        : diagnostics.map((d) => `[${d.enforcementLevel}] ${d.policyName}: ${d.message.replace(/\s+/g, " ").slice(0, 300)}`).join("\n");
}
