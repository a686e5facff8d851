/**
 * Random property trees through every policy, via the same harness as real requests (protobuf request,
 * @pulumi/policy's server and proxy). Trees follow the real shapes (services v1/v2, jobs, worker pools,
 * containers, env, resources, probes, every IAM form, connectors, secrets, grants) but any node may be missing,
 * null, the wrong type or an unknown sentinel, and secret markers (secret-wrapped, as the engine sends secret
 * values) stand at random paths. No policy may crash: the only exception allowed is the deliberate
 * UnknownValueError, which the server turns into a "can't run" advisory, and only when something is unknown.
 * No diagnostic may contain a marker.
 *
 * Seeded and sized from the environment: PACK_FUZZ_RUNS (runs per property, default 1000; the scheduled CI job
 * runs 10000) and PACK_FUZZ_SEED (default 20261124), so a failure replays with the same two numbers.
 */
import { expect } from "chai";
import fc from "fast-check";
import {
    Diagnostic, DIGEST_IMAGE, T, TestResource, Tree, UNKNOWN, analyzeResource, analyzerInfo, analyzeStack, configurePack, secretValue, urnOf,
} from "../helpers/policy-harness";

const RUNS = Number(process.env.PACK_FUZZ_RUNS ?? 1_000);
const SEED = Number(process.env.PACK_FUZZ_SEED ?? 20_261_124);
/** A credential-like value no name, enum or quantity pattern accepts: it must never appear in a message. */
const MARKER = "<s3cr3t-marker 7f3a>";
const SENTINELS = Object.values(UNKNOWN);

// ---------------------------------------------------------------------------------------------------
// Generators biased toward the real shapes
// ---------------------------------------------------------------------------------------------------

const unknown = fc.constantFrom(...SENTINELS);
const junk: fc.Arbitrary<unknown> = fc.oneof(
    fc.constant(null), unknown, fc.integer({ min: -5, max: 100_000 }), fc.double(), fc.string({ maxLength: 12 }), fc.boolean(),
    fc.constant([]), fc.constant({}), fc.array(fc.oneof(fc.string({ maxLength: 6 }), unknown, fc.constant(null)), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
);

/** The real shape most of the time, anything else sometimes. */
function maybe<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
    return fc.oneof({ weight: 5, arbitrary }, { weight: 1, arbitrary: junk });
}

/** A record whose every key may be absent. */
function shape(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Tree> {
    return fc.record(fields, { requiredKeys: [] }) as fc.Arbitrary<Tree>;
}

const port = maybe(fc.oneof(fc.constantFrom(8000, 8080, 9090), fc.integer({ min: 0, max: 70_000 })));
const seconds = maybe(fc.oneof(fc.constantFrom(0, 1, 5, 10, 240, 241, 480), fc.integer({ min: -10, max: 4000 })));
const probe = maybe(shape({
    httpGet: maybe(shape({ path: maybe(fc.constantFrom("/healthz", "")), port })),
    tcpSocket: maybe(shape({ port })),
    grpc: maybe(shape({ port, service: maybe(fc.string({ maxLength: 5 })) })),
    initialDelaySeconds: seconds,
    periodSeconds: seconds,
    timeoutSeconds: seconds,
    failureThreshold: seconds,
}));
const envName = maybe(fc.constantFrom("DATABASE_URL", "REDIS_URL", "CLICKHOUSE_URL", "PORT", "K_SERVICE", "DB_PASSWORD", "API_KEY", "LOG_LEVEL", "1BAD", ""));
const envValue = maybe(fc.oneof(
    fc.constantFrom("redis://localhost:6379", "postgres://u:hunter2@10.0.0.3/db", "postgresql:///app?host=/cloudsql/p:r:i&sslmode=require",
        "http://[::1]:80", "127.0.0.1", "info", "", "x".repeat(40_000)),
    fc.string({ maxLength: 20 }),
));
const secretName = maybe(fc.constantFrom("backend-database-url", "backend-redis-url", "projects/acme/secrets/backend-redis-url", "missing", "", "a/b", "db"));
const version = maybe(fc.constantFrom("1", "3", "latest", ""));
const env = maybe(shape({
    name: envName,
    value: envValue,
    valueSource: maybe(shape({ secretKeyRef: maybe(shape({ secret: secretName, version })) })),
    valueFrom: maybe(shape({ secretKeyRef: maybe(shape({ name: secretName, key: version })) })),
}));
const limits = maybe(shape({
    cpu: maybe(fc.constantFrom("1", "2", "4", "3", "0.5", "0.08", "1000m", "abc", "9", 2)),
    memory: maybe(fc.constantFrom("128Mi", "512Mi", "2Gi", "4Gi", "1G", "64Gi", "lots", "0")),
}));
const image = maybe(fc.constantFrom(DIGEST_IMAGE, "nginx:latest", "repo@sha256:abc", ""));
const v2Container = maybe(shape({
    name: maybe(fc.constantFrom("api", "sidecar")),
    image,
    ports: maybe(shape({ containerPort: port, name: maybe(fc.constantFrom("http1", "h2c")) })),
    resources: maybe(shape({ limits, cpuIdle: maybe(fc.boolean()), startupCpuBoost: maybe(fc.boolean()) })),
    startupProbe: probe,
    livenessProbe: probe,
    envs: maybe(fc.array(env, { maxLength: 5 })),
}));
const v1Container = maybe(shape({
    image,
    ports: maybe(fc.array(maybe(shape({ containerPort: port })), { maxLength: 2 })),
    resources: maybe(shape({ limits })),
    startupProbe: probe,
    livenessProbe: probe,
    envs: maybe(fc.array(env, { maxLength: 5 })),
}));
const connectorRef = maybe(fc.constantFrom("projects/acme/locations/europe-west1/connectors/backend", "backend", "projects/x/locations/us-central1/connectors/c", "", "a/b"));
const location = maybe(fc.constantFrom("europe-west1", "us-central1"));
const project = maybe(fc.constantFrom("acme", "123456", "other"));
const serviceAccount = maybe(fc.constantFrom("backend-runtime@acme.iam.gserviceaccount.com", "123-compute@developer.gserviceaccount.com", ""));

const v2ServiceProps = shape({
    location, project,
    ingress: maybe(fc.constantFrom("INGRESS_TRAFFIC_ALL", "INGRESS_TRAFFIC_INTERNAL_ONLY", "INTERNAL")),
    invokerIamDisabled: maybe(fc.boolean()),
    template: maybe(shape({
        containers: maybe(fc.array(v2Container, { maxLength: 3 })),
        timeout: maybe(fc.constantFrom("300s", "600s", "3600s", "4000s", "10m", "1.5s")),
        serviceAccount,
        executionEnvironment: maybe(fc.constantFrom("EXECUTION_ENVIRONMENT_GEN1", "EXECUTION_ENVIRONMENT_GEN2", "gen3")),
        maxInstanceRequestConcurrency: maybe(fc.integer({ min: 0, max: 1001 })),
        vpcAccess: maybe(shape({
            connector: connectorRef,
            egress: maybe(fc.constantFrom("ALL_TRAFFIC", "PRIVATE_RANGES_ONLY", "x")),
            networkInterfaces: maybe(fc.array(maybe(shape({ network: maybe(fc.string({ maxLength: 5 })) })), { maxLength: 2 })),
        })),
        volumes: maybe(fc.array(maybe(shape({ secret: maybe(shape({ secret: secretName })) })), { maxLength: 2 })),
    })),
});
const annotations = maybe(fc.dictionary(
    fc.constantFrom("run.googleapis.com/ingress", "run.googleapis.com/vpc-access-connector", "run.googleapis.com/execution-environment",
        "run.googleapis.com/cpu-throttling", "run.googleapis.com/secrets", "run.googleapis.com/invoker-iam-disabled", "other"),
    maybe(fc.constantFrom("all", "internal", "gen1", "true", "false", "backend", "db:projects/acme/secrets/backend-database-url", "db:", ":")),
    { maxKeys: 4 },
));
const v1ServiceProps = shape({
    location, project,
    metadata: maybe(shape({ annotations })),
    template: maybe(shape({
        metadata: maybe(shape({ annotations })),
        spec: maybe(shape({
            containers: maybe(fc.array(v1Container, { maxLength: 3 })),
            timeoutSeconds: seconds,
            serviceAccountName: serviceAccount,
            containerConcurrency: maybe(fc.integer({ min: 0, max: 1001 })),
            volumes: maybe(fc.array(maybe(shape({ secret: maybe(shape({ secretName: secretName })) })), { maxLength: 2 })),
        })),
    })),
});
const jobProps = shape({
    location, project,
    template: maybe(shape({
        taskCount: maybe(fc.integer({ min: 0, max: 10 })),
        template: maybe(shape({
            containers: maybe(fc.array(v2Container, { maxLength: 3 })),
            timeout: maybe(fc.constantFrom("600s", "3600s", "x")),
            serviceAccount,
            vpcAccess: maybe(shape({ connector: connectorRef, networkInterfaces: maybe(fc.array(maybe(shape({ network: maybe(fc.string({ maxLength: 5 })) })), { maxLength: 2 })) })),
            volumes: maybe(fc.array(maybe(shape({ secret: maybe(shape({ secret: secretName })), cloudSqlInstance: maybe(shape({ instances: maybe(fc.array(fc.string({ maxLength: 6 }), { maxLength: 2 })) })) })), { maxLength: 2 })),
        })),
    })),
});
const count = maybe(fc.integer({ min: -1, max: 12 }));
const workerPoolProps = shape({
    location, project, name: maybe(fc.constantFrom("worker", "")),
    scaling: maybe(shape({ minInstanceCount: count, maxInstanceCount: count, manualInstanceCount: count, scalingMode: maybe(fc.constantFrom("MANUAL", "AUTOMATIC")) })),
    template: maybe(shape({
        containers: maybe(fc.array(v2Container, { maxLength: 3 })),
        serviceAccount,
        nodeSelector: maybe(shape({ accelerator: maybe(fc.constantFrom("nvidia-l4", "x")) })),
        vpcAccess: maybe(shape({ connector: connectorRef })),
    })),
});
const member = maybe(fc.constantFrom("allUsers", "allAuthenticatedUsers", "ALLUSERS", "serviceAccount:backend-runtime@acme.iam.gserviceaccount.com", "user:a@b.c", MARKER));
const role = maybe(fc.constantFrom("roles/run.invoker", "roles/secretmanager.secretAccessor", "roles/viewer"));
const iamProps = shape({
    role, member,
    members: maybe(fc.array(member, { maxLength: 3 })),
    policyData: maybe(fc.oneof(
        fc.constantFrom("{", "null", "[]", "{\"bindings\": 3}"),
        fc.array(shape({ role, members: maybe(fc.array(member, { maxLength: 3 })) }), { maxLength: 3 }).map((bindings) => JSON.stringify({ bindings })),
    )),
    secretId: secretName,
    name: maybe(fc.constantFrom("backend", "")),
    location,
});
const connectorProps = shape({
    name: maybe(fc.constantFrom("backend", "Bad_Name", "a", "backend-staging-connector-too-long")),
    region: location, project,
    ipCidrRange: maybe(fc.constantFrom("10.8.0.0/28", "10.8.0.0/24", "300.1.1.1/28", "x")),
    network: maybe(fc.constantFrom("default", "")),
    subnet: maybe(shape({ name: maybe(fc.string({ maxLength: 5 })) })),
    minInstances: maybe(fc.integer({ min: 0, max: 12 })),
    maxInstances: maybe(fc.integer({ min: 0, max: 12 })),
    minThroughput: maybe(fc.integer({ min: 0, max: 1100 })),
    maxThroughput: maybe(fc.integer({ min: 0, max: 1100 })),
    machineType: maybe(fc.constantFrom("e2-micro", "f1-micro", "n1-standard-1")),
});
const accountProps = shape({ accountId: maybe(fc.constantFrom("backend-runtime", "deployer")), project, email: serviceAccount, member });
const secretProps = shape({ secretId: secretName, project, name: secretName, location });

/** Any tree at all, for the rare input that follows no known shape. */
const wild = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }) as fc.Arbitrary<Tree>;

const PROPS_BY_TYPE: Record<string, fc.Arbitrary<Tree>> = {
    [T.v2Service]: v2ServiceProps,
    [T.v1Service]: v1ServiceProps,
    [T.connector]: connectorProps,
    [T.v2IamMember]: iamProps, [T.v2IamBinding]: iamProps, [T.v2IamPolicy]: iamProps,
    [T.v1IamMember]: iamProps, [T.v1IamBinding]: iamProps, [T.v1IamPolicy]: iamProps,
    [T.secret]: secretProps,
    [T.secretIamMember]: iamProps,
    [T.secretIamBinding]: iamProps,
    [T.secretIamPolicy]: iamProps,
    [T.regionalSecret]: secretProps,
    [T.projectIamMember]: iamProps, [T.projectIamBinding]: iamProps, [T.projectIamPolicy]: iamProps,
    [T.account]: accountProps,
    [T.v2Job]: jobProps,
    [T.v2WorkerPool]: workerPoolProps,
};

/** A small seeded PRNG (mulberry32): which leaves get a marker is part of the generated case. */
function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** The tree with about one leaf in five replaced by the marker, secret-wrapped as the engine sends secret values. */
function withMarkers(tree: unknown, random: () => number): unknown {
    if (Array.isArray(tree)) {
        return tree.map((item) => withMarkers(item, random));
    }
    if (typeof tree === "object" && tree !== null) {
        return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, withMarkers(v, random)]));
    }
    return random() < 0.2 ? secretValue(MARKER) : tree;
}

const markerSeed = fc.integer({ min: 0, max: 2 ** 31 - 1 });

function resourceOf(types: readonly string[]): fc.Arbitrary<{ type: string; props: Tree }> {
    return fc.constantFrom(...types).chain((type) =>
        fc.tuple(fc.oneof({ weight: 12, arbitrary: PROPS_BY_TYPE[type] }, { weight: 1, arbitrary: wild }), markerSeed, fc.boolean())
            .map(([props, seed, marked]) => ({ type, props: marked ? withMarkers(props, prng(seed)) as Tree : props })));
}

/** A stack: resources of every kind, linked by random (sometimes dangling) property dependencies. */
const stack: fc.Arbitrary<TestResource[]> = fc.array(resourceOf(Object.keys(PROPS_BY_TYPE)), { minLength: 1, maxLength: 7 }).chain((drafts) => {
    const urns = drafts.map((d, i) => urnOf(d.type, `r${i}`));
    const depList = fc.subarray([...urns, urnOf(T.secret, "not-in-stack")]);
    return fc.tuple(...drafts.map(() => fc.tuple(
        fc.record({ template: depList, secretId: depList, member: depList, members: depList, policyData: depList }, { requiredKeys: [] }),
        depList,
    ))).map((deps) => drafts.map((d, i) => ({
        type: d.type, name: `r${i}`, props: d.props, propertyDependencies: deps[i][0] as Record<string, string[]>, dependencies: deps[i][1],
    })));
});

// ---------------------------------------------------------------------------------------------------
// Invariants
// ---------------------------------------------------------------------------------------------------

function containsSentinel(value: unknown): boolean {
    if (typeof value === "string") {
        // Also inside text: policyData is JSON text whose parsed members are read like props.
        return SENTINELS.some((sentinel) => value.includes(sentinel));
    }
    if (Array.isArray(value)) {
        return value.some(containsSentinel);
    }
    return typeof value === "object" && value !== null && Object.values(value).some(containsSentinel);
}

function expectWellFormed(diagnostics: Diagnostic[], names: ReadonlySet<string>): void {
    for (const d of diagnostics) {
        expect(names.has(d.policyName), d.policyName).to.equal(true);
        expect(d.message).to.be.a("string").and.not.equal("");
        expect(d.message.includes(MARKER), `${d.policyName} echoed a secret: ${d.message}`).to.equal(false);
        expect(d.message.includes("s3cr3t"), `${d.policyName} echoed part of a secret`).to.equal(false);
        if (d.cantRun) {
            expect(d.enforcementLevel).to.equal("advisory");
        }
    }
}

describe("property-based: random trees through every policy", function () {
    this.timeout(600_000);
    let names: ReadonlySet<string>;
    let stackPolicies: ReadonlySet<string>;

    before(async function () {
        const info = await analyzerInfo();
        names = new Set(info.policies.map((p) => p.name));
        stackPolicies = new Set(info.policies.filter((p) => p.policyType === "stack").map((p) => p.name));
        await configurePack({});
    });

    const groups: [string, string[]][] = [
        ["Cloud Run v2 services", [T.v2Service]],
        ["Cloud Run v1 services", [T.v1Service]],
        ["VPC connectors", [T.connector]],
        ["Cloud Run IAM members, bindings and policies", [T.v2IamMember, T.v2IamBinding, T.v2IamPolicy, T.v1IamMember, T.v1IamBinding, T.v1IamPolicy]],
        ["Cloud Run jobs and worker pools", [T.v2Job, T.v2WorkerPool]],
    ];
    for (const [label, types] of groups) {
        it(`analyze: ${RUNS} ${label} without a crash, advising only when something is unknown`, async function () {
            await fc.assert(fc.asyncProperty(resourceOf(types), async ({ type, props }) => {
                const diagnostics = await analyzeResource({ type, name: "fuzz", props }, "keep");
                expectWellFormed(diagnostics, names);
                if (!containsSentinel(props)) {
                    expect(diagnostics.filter((d) => d.cantRun)).to.deep.equal([]);
                }
            }), { numRuns: RUNS, seed: SEED });
        });
    }

    it(`analyzeStack: ${RUNS} random stacks without a crash, advising only when something is unknown`, async function () {
        await fc.assert(fc.asyncProperty(stack, async (resources) => {
            const diagnostics = await analyzeStack(resources, "keep");
            expectWellFormed(diagnostics, names);
            expect(diagnostics.every((d) => stackPolicies.has(d.policyName))).to.equal(true);
            if (!containsSentinel(resources.map((r) => r.props))) {
                expect(diagnostics.filter((d) => d.cantRun)).to.deep.equal([]);
            }
        }), { numRuns: RUNS, seed: SEED });
    });

    it("runs under non-default config too (thresholds and lists changed)", async function () {
        await configurePack({
            "cloudrun-service-resource-floor": { minCpu: 0.5, minMemory: "1Gi" },
            "cloudrun-service-startup-probe": { minFailureThreshold: 1, expectedStartupSeconds: 480, probePortMustMatch: false },
            "cloudrun-invoker-not-public": { publicServices: ["backend"] },
            "cloudrun-service-identity-and-ingress": { publicServices: ["backend"] },
            "cloudrun-service-env": { credentialNameSuffixes: [] },
            "cloudrun-service-required-secret-env": { requiredSecretEnv: [] },
            "cloudrun-secret-accessor-grants": { externalGrants: [{ secret: "*", member: "*" }] },
            "cloudrun-connector-in-stack": { externalConnectors: ["backend"] },
        });
        try {
            await fc.assert(fc.asyncProperty(resourceOf([T.v2Service, T.v1Service]), stack, async ({ type, props }, resources) => {
                expectWellFormed(await analyzeResource({ type, name: "fuzz", props }, "keep"), names);
                expectWellFormed(await analyzeStack(resources, "keep"), names);
            }), { numRuns: Math.max(1, Math.round(RUNS / 10)), seed: SEED });
        } finally {
            await configurePack({});
        }
    });
});
