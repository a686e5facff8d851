/**
 * The stack config schema: the single source of truth for what Pulumi.<stack>.yaml may say.
 *
 * `parseStagingPlan` turns the raw config map into one typed plan before any resource exists; components
 * receive only that plan. Every input is validated where it is declared, Cloud Run's limits come from the
 * shared table in policies/lib/cloud-run-limits.ts, and every problem is reported at once, naming the full key
 * (`cloudrun-staging:service.resources.memory`), what was given and what is allowed.
 */
import { closest, distance } from "fastest-levenshtein";
import { z } from "zod";
import {
    CLOUD_RUN_DOCS, CLOUD_RUN_REGIONS, CONCURRENCY_LIMITS, CONNECTOR_LIMITS, CONTAINER_PORT_LIMITS,
    DIRECT_VPC_MAX_PREFIX_LENGTH, ENV_LIMITS, INGRESS_VALUES, MAX_STARTUP_BUDGET_SECONDS, PUBLIC_MEMBERS,
    REQUEST_TIMEOUT_LIMITS, RESERVED_ENV_NAMES, SECRET_LIMITS, VPC_EGRESS_VALUES, cidrPrefixLength, connectorProblems,
    parseCpu, parseIpv4Cidr, resourceProblems,
} from "../policies/lib/cloud-run-limits";
import { STAGING_CONNECTOR_REQUIREMENTS, connectorFloorProblems } from "../policies/lib/connector-sizing";
import { DEFAULT_TRAFFIC } from "../policies/lib/cloud-run-pricing";

/** Cloud Run service names: lowercase, digits and hyphens, at most 49 characters. */
const SERVICE_NAME_RE = /^[a-z]([-a-z0-9]{0,47}[a-z0-9])?$/;
/** Service account ids: 6 to 30 characters. */
const ACCOUNT_ID_RE = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;
/** Artifact Registry repository ids. */
const REPOSITORY_ID_RE = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** GCP label keys and values. */
const LABEL_KEY_RE = /^[a-z][a-z0-9_-]{0,62}$/;
const LABEL_VALUE_RE = /^[a-z0-9_-]{0,63}$/;
/** IAM members an invoker list may name (never allUsers / allAuthenticatedUsers). */
const MEMBER_RE = /^(user|serviceAccount|group|domain|principal|principalSet):.+$/;
/** An image pinned by digest. */
const DIGEST_REF_RE = /^[^\s@]+@sha256:[a-f0-9]{64}$/;
const CONNECTOR_ID_RE = /^projects\/[^/]+\/locations\/[^/]+\/connectors\/[^/]+$/;
/** The stack file in messages; parseStagingPlan puts in the stack's name when it knows it. */
const STACK_FILE = "Pulumi.<stack>.yaml";
/** The team's connector floors: this program deploys staging, so the pack's staging defaults. */
const TEAM_CONNECTOR = STAGING_CONNECTOR_REQUIREMENTS;

/**
 * Google's project ID rules (https://cloud.google.com/resource-manager/docs/creating-managing-projects): 6 to 30
 * characters; lowercase letters, digits, hyphens; starts with a letter; no trailing hyphen. Not checked: the
 * restricted strings (an open list: "such as google, null, undefined, and ssl") and legacy domain-scoped ids
 * (example.com:my-project).
 */
const PROJECT_ID_RULE = "6 to 30 characters of lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen";
const PROJECT_ID_LENGTH = { min: 6, max: 30 } as const;

/**
 * Shows a stack config value in an error: strings quoted, everything else as JSON. Secure values never reach the
 * schema as text (they are placeholders); plain env values are never shown (mayHoldSecret).
 */
function show(value: unknown): string {
    if (value === undefined) {
        return "(unset)";
    }
    try {
        return JSON.stringify(value) ?? String(value);
    } catch {
        return String(value);
    }
}

/**
 * Each field carries `allowed` (what values pass, also the error text) and a description; the README's config
 * reference is generated from them (tools/gen-docs.ts), so docs cannot drift from the schema.
 */
function allowedValues<T extends z.ZodType>(schema: T, allowed: string): T {
    return schema.meta({ allowed });
}

/** Integers that may arrive as YAML numbers or as quoted digits. */
function integer(what: string, min: number, max: number) {
    const allowed = `${what}: an integer from ${min} to ${max}`;
    return allowedValues(z.preprocess(
        (v) => (typeof v === "string" && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
        z.number({ error: `expected ${allowed}` }).superRefine((n, ctx) => {
            if (!Number.isInteger(n) || n < min || n > max) {
                ctx.addIssue({ code: "custom", message: `expected ${allowed}; got ${show(n)}` });
            }
        }),
    ), `integer ${min} to ${max}`);
}

function pattern(re: RegExp, allowed: string) {
    return allowedValues(z.string({ error: `expected ${allowed}` }).regex(re, { error: `expected ${allowed}` }), allowed);
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
    return allowedValues(z.enum(values, { error: `expected one of ${values.join(", ")}` }), values.join(" | "));
}

/** Each project ID rule a value breaks, in words ("it has uppercase letters"). */
function projectIdProblems(id: string): string[] {
    const problems: string[] = [];
    if (id.length < PROJECT_ID_LENGTH.min || id.length > PROJECT_ID_LENGTH.max) {
        problems.push(`it is ${id.length} characters long`);
    }
    if (/[A-Z]/.test(id)) {
        problems.push("it has uppercase letters");
    }
    const others = [...new Set(id.replace(/[A-Za-z0-9-]/g, ""))];
    if (others.length > 0) {
        problems.push(`it has ${others.map((c) => JSON.stringify(c)).join(", ")}`);
    }
    if (!/^[A-Za-z]/.test(id)) {
        problems.push("it does not start with a letter");
    }
    if (id.endsWith("-")) {
        problems.push("it ends with a hyphen");
    }
    return problems;
}

/** The candidate closest to a misspelt word, when it is close enough to be what was meant. */
function didYouMean(word: string, candidates: readonly string[]): string | undefined {
    const suggestion = candidates.length > 0 ? closest(word, candidates as string[]) : undefined;
    return suggestion && distance(word, suggestion) <= Math.max(2, Math.floor(word.length / 3)) ? suggestion : undefined;
}

function flag() {
    return allowedValues(z.boolean({ error: "expected true or false" }), "true | false");
}

const envName = pattern(ENV_LIMITS.nameRe, "an env name made of letters, digits and _ (not starting with a digit)")
    .refine((name) => !RESERVED_ENV_NAMES.includes(name), {
        error: `is reserved by Cloud Run (${RESERVED_ENV_NAMES.join(", ")}); Cloud Run sets it itself`,
    });

const plainEnvValue = allowedValues(z.union([z.string(), z.number(), z.boolean()], { error: "expected a plain string, number or boolean" })
    .transform(String)
    .refine((v) => v.length <= ENV_LIMITS.maxValueLength, { error: `expected at most ${ENV_LIMITS.maxValueLength} characters` }),
`string, at most ${ENV_LIMITS.maxValueLength} characters`);

const serviceSchema = z.strictObject({
    name: pattern(SERVICE_NAME_RE, "a Cloud Run service name: lowercase letters, digits, hyphens, at most 49 characters")
        .describe("Cloud Run service name."),
    runtimeServiceAccountId: pattern(ACCOUNT_ID_RE, "a service account id: 6-30 lowercase letters, digits, hyphens").optional()
        .describe('Id of the dedicated runtime service account (default "<name>-runtime").'),
    port: integer("a container port", CONTAINER_PORT_LIMITS.min, CONTAINER_PORT_LIMITS.max)
        .describe("Port the app listens on; Cloud Run sends requests and probes there and sets PORT to it."),
    resources: z.strictObject({
        cpu: allowedValues(z.union([z.string(), z.number()], { error: 'expected a CPU value such as 2 or "2"' }), "1, 2, 4, 6, 8 (memory must fit the CPU)")
            .describe("CPU limit."),
        memory: allowedValues(z.string({ error: 'expected a memory quantity such as "2Gi" or "512Mi"' }), '512Mi to 32Gi, within what the CPU accepts (e.g. 2 CPU: up to 8Gi)')
            .describe("Memory limit."),
    }, { error: "expected an object with cpu and memory" }).superRefine((resources, ctx) => {
        // This program deploys gen2 only, so fractional CPU (gen1 only) is rejected here too.
        for (const problem of resourceProblems({ ...resources, executionEnvironment: "gen2" })) {
            const field = problem.field === "memory" ? "memory" : "cpu";
            ctx.addIssue({ code: "custom", path: [field], message: `${problem.message}; got ${show(resources[field])}` });
        }
    }).describe("Container limits, checked against Cloud Run's CPU/memory table."),
    cpuIdle: flag().default(false)
        .describe("true: CPU only while serving requests; false: always allocated (background work)."),
    startupCpuBoost: flag().default(true).describe("Extra CPU while the container starts."),
    scaling: z.strictObject({
        minInstances: integer("a minimum instance count", 0, 1000).default(0).describe("Instances kept warm."),
        maxInstances: integer("a maximum instance count", 1, 1000).default(10).describe("Upper bound on instances (at least minInstances)."),
        concurrency: integer("requests per instance", CONCURRENCY_LIMITS.min, CONCURRENCY_LIMITS.max).default(CONCURRENCY_LIMITS.default)
            .describe("Requests one instance serves at once."),
    }).prefault({}).describe("Autoscaling."),
    requestTimeoutSeconds: integer("a request timeout in seconds", REQUEST_TIMEOUT_LIMITS.minSeconds, REQUEST_TIMEOUT_LIMITS.maxSeconds)
        .describe("Request timeout (the policy pack asks for at least 600)."),
    startupBudgetSeconds: integer("a startup budget in seconds", 1, MAX_STARTUP_BUDGET_SECONDS)
        .describe("Longest time the app may take to listen; the startup probe window is derived to cover it."),
    probes: z.strictObject({
        startupPath: pattern(/^\/\S*$/, 'an HTTP path starting with "/"').describe("HTTP path of the startup probe."),
        livenessPath: pattern(/^\/\S*$/, 'an HTTP path starting with "/"').describe("HTTP path of the liveness probe."),
    }).describe("Probe paths (both HTTP on the container port)."),
    env: allowedValues(z.record(envName, plainEnvValue, { error: "expected a map of NAME: value" }), "map of NAME: string").default({})
        .describe("Plain (non-secret) environment variables, NAME: value. Secrets go under secrets."),
    ingress: oneOf(INGRESS_VALUES).default("INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER").describe("Where requests may come from."),
    invokers: allowedValues(z.array(
        pattern(MEMBER_RE, "an IAM member such as serviceAccount:x@p.iam.gserviceaccount.com")
            .refine((m) => !PUBLIC_MEMBERS.includes(m), { error: "public invokers are not allowed" }),
        { error: "expected a list of IAM members" },
    ), "list of user:, serviceAccount:, group:, domain: members").default([]).describe("IAM members granted roles/run.invoker (never allUsers / allAuthenticatedUsers)."),
    traffic: z.strictObject({
        requestsPerMonth: integer("requests a month", 0, 1e12).describe("Requests the service receives a month."),
        meanRequestMs: integer("a mean request duration in milliseconds", 1, REQUEST_TIMEOUT_LIMITS.maxSeconds * 1000)
            .describe("Mean time a request takes, in milliseconds."),
    }, { error: "expected an object with requestsPerMonth and meanRequestMs" }).optional()
        .describe("Expected traffic, read only by the cost estimate (npm run check, policy cloudrun-service-monthly-cost). " +
            `Unset: ${DEFAULT_TRAFFIC.requestsPerMonth.toLocaleString("en-US")} requests a month of ${DEFAULT_TRAFFIC.meanRequestMs} ms are assumed, and the estimate says so.`),
    deletionProtection: flag().default(true).describe("Refuse to delete the service."),
    labels: allowedValues(z.record(pattern(LABEL_KEY_RE, "a label key"), pattern(LABEL_VALUE_RE, "a label value: lowercase letters, digits, _ and -")),
        "map of GCP labels").default({}).describe("Labels on the service, its revisions and the resources created for it."),
}, { error: "expected an object describing the service" }).describe("The Cloud Run service.");

const buildSchema = z.strictObject({
    context: allowedValues(z.string({ error: "expected a directory path" }).min(1, { error: "expected a directory path" }), "directory")
        .describe("Build context, relative to the project root."),
    dockerfile: allowedValues(z.string({ error: "expected a Dockerfile path relative to the context" }), "path in the context").default("Dockerfile")
        .describe("Dockerfile, relative to the context."),
    requiredPaths: allowedValues(z.array(z.string({ error: "expected a path" }), { error: "expected a list of paths" }), "list of paths in the context").default([])
        .describe("Paths the app needs at run time; each must exist and survive .dockerignore, checked before building."),
    platform: allowedValues(z.string({ error: 'expected a platform such as "linux/amd64"' }), "os/arch").default("linux/amd64")
        .describe("Target platform (Cloud Run runs linux/amd64)."),
    repositoryId: pattern(REPOSITORY_ID_RE, "a repository id: lowercase letters, digits, hyphens").optional()
        .describe("Artifact Registry repository the program creates (default: the service name)."),
}).describe("Build and push with Docker, deploy by digest.");

const imageSchema = z.strictObject({
    build: buildSchema.optional(),
    ref: pattern(DIGEST_REF_RE, "an image reference pinned by digest: <repository>@sha256:<64 hex>").optional()
        .describe("A prebuilt image, deployed as given."),
}, { error: "expected an object with either build or ref" }).superRefine((image, ctx) => {
    if ((image.build === undefined) === (image.ref === undefined)) {
        ctx.addIssue({ code: "custom", message: "set exactly one of build {context, dockerfile, requiredPaths} or ref (digest-pinned)" });
    }
}).describe("The image: exactly one of build or ref.");

const secretMappingSchema = z.strictObject({
    secretId: pattern(SECRET_LIMITS.idRe, "a secret id: letters, digits, _ and -, at most 255").describe("Secret Manager secret id."),
    version: z.preprocess((v) => (typeof v === "number" ? String(v) : v),
        pattern(SECRET_LIMITS.versionRe, 'a version number such as "3", "latest", or a version alias'))
        .describe('Version to read at instance start: a number (pinned; bump it after rotating), "latest", or a version alias.'),
    mode: oneOf(["create", "reuse"] as const)
        .describe("create: this stack owns the secret (values added out of band); reuse: it exists already (list it in the pack's externalSecrets)."),
    project: allowedValues(z.string({ error: "expected a project id" }), "project id").optional()
        .describe("Project holding a reused secret (default: gcp:project)."),
}).describe("One mapping per env var name.");

/** A connector field checked on its own by the shared connector rules, and by `moreProblems` (the program's own). */
function connectorField(field: "name" | "ipCidrRange", what: string, allowed: string, moreProblems: (value: string) => string[] = () => []) {
    return allowedValues(z.string({ error: `expected ${what}` }).superRefine((value, ctx) => {
        for (const message of [...connectorProblems({ [field]: value }).map((p) => p.message), ...moreProblems(value)]) {
            ctx.addIssue({ code: "custom", message: `${message}; got ${show(value)}` });
        }
    }), allowed);
}

/**
 * A /28 given by a host address ("10.8.0.5/28") is not the range its owner meant: say which network it is. Checked
 * here rather than in the pack's connector rule: Google documents no rejection of it, so it is a config mistake.
 */
function hostBitsProblems(range: string): string[] {
    const cidr = parseIpv4Cidr(range);
    return cidr?.prefixLength === CONNECTOR_LIMITS.ipCidrPrefixLength && cidr.hostBitsSet
        ? [`ipCidrRange has host bits set; the network address is ${cidr.network}: use ${cidr.network} if it is unused, or another unused /${cidr.prefixLength}`]
        : [];
}

const connectorSchema = z.strictObject({
    name: connectorField("name", "a connector name", `matches ${CONNECTOR_LIMITS.nameRe.source}`).describe("Connector name."),
    ipCidrRange: connectorField("ipCidrRange", 'an unused /28 such as "10.8.0.0/28"',
        `an unused IPv4 /${CONNECTOR_LIMITS.ipCidrPrefixLength} given by its network address, e.g. 10.8.0.0/28`, hostBitsProblems)
        .describe("The connector's own subnet range."),
    network: allowedValues(z.string({ error: "expected a VPC network name" }), "network name").describe("VPC network."),
    minInstances: allowedValues(integer("a connector minimum instance count", CONNECTOR_LIMITS.minInstances.min, CONNECTOR_LIMITS.minInstances.max),
        `integer ${CONNECTOR_LIMITS.minInstances.min} to ${CONNECTOR_LIMITS.minInstances.max}, team minimum ${TEAM_CONNECTOR.minMinInstances}`)
        .default(TEAM_CONNECTOR.minMinInstances)
        .describe("Minimum connector instances (kept warm)."),
    maxInstances: allowedValues(integer("a connector maximum instance count", CONNECTOR_LIMITS.maxInstances.min, CONNECTOR_LIMITS.maxInstances.max),
        `integer ${CONNECTOR_LIMITS.maxInstances.min} to ${CONNECTOR_LIMITS.maxInstances.max}, team minimum ${TEAM_CONNECTOR.minMaxInstances}`)
        .default(TEAM_CONNECTOR.minMaxInstances)
        .describe("Maximum connector instances (above minInstances); size for peak egress: the pack's vpcaccess-connector-capacity checks it against the service's maxInstances."),
    machineType: allowedValues(oneOf(CONNECTOR_LIMITS.machineTypes as [string, ...string[]]), `${CONNECTOR_LIMITS.machineTypes.join(" | ")}; team allows ${TEAM_CONNECTOR.allowedMachineTypes.join(", ")}`)
        .default(TEAM_CONNECTOR.allowedMachineTypes[0])
        .describe("Connector machine type."),
}).superRefine((connector, ctx) => {
    // Sizing is checked as a pair (max above min); name and range were checked where declared.
    const { minInstances, maxInstances, machineType } = connector;
    for (const problem of connectorProblems({ minInstances, maxInstances })) {
        ctx.addIssue({ code: "custom", path: [problem.field], message: problem.message });
    }
    // The team's floors, the same the pack's vpcaccess-connector-capacity applies under the staging profile.
    for (const problem of connectorFloorProblems({ minInstances, maxInstances, machineType }, TEAM_CONNECTOR)) {
        ctx.addIssue({
            code: "custom", path: [problem.field],
            message: `${problem.message}; ${problem.fix} in ${STACK_FILE} (team requirement, checked again by the pack's vpcaccess-connector-capacity)`,
        });
    }
}).describe("Create a Serverless VPC Access connector.");

const vpcSchema = z.strictObject({
    createConnector: connectorSchema.optional(),
    reuseConnector: pattern(CONNECTOR_ID_RE, "a connector id: projects/<p>/locations/<region>/connectors/<name>").optional()
        .describe("Reuse an existing connector (list it in the pack's externalConnectors, and its size in externalConnectorSizes)."),
    direct: z.strictObject({
        network: allowedValues(z.string({ error: "expected a VPC network name" }), "network name").describe("VPC network."),
        subnetwork: allowedValues(z.string({ error: "expected a subnetwork name" }), "subnetwork name").describe("Subnet the revision joins."),
        subnetRange: allowedValues(z.string().refine((r) => (cidrPrefixLength(r) ?? 99) <= DIRECT_VPC_MAX_PREFIX_LENGTH,
            { error: `expected an IPv4 range of /${DIRECT_VPC_MAX_PREFIX_LENGTH} or larger` }), `/${DIRECT_VPC_MAX_PREFIX_LENGTH} or larger`).optional()
            .describe("The subnet's range, when known, to check it is large enough."),
    }).optional().describe("Direct VPC egress (no connector)."),
    egress: oneOf(VPC_EGRESS_VALUES).default("PRIVATE_RANGES_ONLY").describe("Which traffic goes through the VPC."),
}, { error: "expected an object with createConnector, reuseConnector or direct" }).superRefine((vpc, ctx) => {
    const chosen = [vpc.createConnector, vpc.reuseConnector, vpc.direct].filter((v) => v !== undefined).length;
    if (chosen !== 1) {
        ctx.addIssue({ code: "custom", message: "set exactly one of createConnector, reuseConnector or direct" });
    }
}).describe("VPC egress: exactly one of createConnector, reuseConnector or direct.");

const stackConfigShape = {
    service: serviceSchema,
    image: imageSchema,
    secrets: z.record(envName, secretMappingSchema, { error: "expected a map of ENV_NAME: {secretId, version, mode}" }).default({})
        .describe("Env vars mapped from Secret Manager, ENV_NAME: {secretId, version, mode}; each gets an accessor grant on that secret only."),
    vpc: vpcSchema,
};

/**
 * The provider's keys this program needs (`gcp:project`, `gcp:region`). Not strict: other gcp:* keys are the
 * provider's business. Missing keys are reported by parseStagingPlan with the command that sets them.
 */
export const providerConfigSchema = z.object({
    project: allowedValues(z.string().superRefine((id, ctx) => {
        const problems = projectIdProblems(id);
        if (problems.length > 0) {
            ctx.addIssue({ code: "custom", message: `${show(id)} is not a project ID (${problems.join("; ")}); a project ID is ${PROJECT_ID_RULE}. ` +
                "Use the project's ID, not its name (`gcloud projects list` shows both): `pulumi config set gcp:project <project-id>`" });
        }
    }), "project ID: 6-30 lowercase letters, digits, hyphens; starts with a letter; no trailing hyphen")
        .describe("Google Cloud project every resource is created in."),
    region: allowedValues(z.string().superRefine((region, ctx) => {
        if (!CLOUD_RUN_REGIONS.includes(region)) {
            const suggestion = didYouMean(region, CLOUD_RUN_REGIONS);
            ctx.addIssue({ code: "custom", message: `${show(region)} is not a region Cloud Run runs in; ` +
                (suggestion ? `did you mean "${suggestion}"? ` : "") +
                `Cloud Run's regions are CLOUD_RUN_REGION_TIERS in policies/lib/cloud-run-limits.ts, from ${CLOUD_RUN_DOCS.pricing}; ` +
                "if Cloud Run has added this region since, add it there with its price tier" });
        }
    }), `a Cloud Run region, e.g. europe-west1 (the ${CLOUD_RUN_REGIONS.length} in CLOUD_RUN_REGION_TIERS, policies/lib/cloud-run-limits.ts)`)
        .describe("Region of the service, its connector and its image repository."),
});

/** The top-level keys of the project namespace (`<project>:<key>`), as Pulumi.yaml declares them. */
export const STACK_CONFIG_KEYS = Object.keys(stackConfigShape);

/** Everything under the project's config namespace. Each top-level key is one `<project>:<key>` entry. */
export const stackConfigSchema = z.strictObject(stackConfigShape).superRefine((config, ctx) => {
    const s = config.service;
    if (s.scaling.maxInstances < s.scaling.minInstances) {
        ctx.addIssue({ code: "custom", path: ["service", "scaling", "maxInstances"],
            message: `maxInstances ${s.scaling.maxInstances} must be at least minInstances ${s.scaling.minInstances}` });
    }
    for (const name of Object.keys(config.secrets)) {
        if (name in s.env) {
            ctx.addIssue({ code: "custom", path: ["service", "env", name],
                message: `${name} is also mapped from Secret Manager under secrets; keep only the secret mapping` });
        }
    }
});

export type StackConfig = z.output<typeof stackConfigSchema>;

/** One env var mapped from Secret Manager, as the components receive it. */
export interface SecretMapping {
    envName: string;
    secretId: string;
    version: string;
    mode: "create" | "reuse";
    project: string;
}

/** The image to deploy: built from a context, or a digest-pinned reference. */
export type ImagePlan =
    | { kind: "build"; context: string; dockerfile: string; requiredPaths: string[]; platform: string; repositoryId: string }
    | { kind: "ref"; ref: string };

/** How the revision reaches the VPC. */
export type VpcPlan =
    | { kind: "create-connector"; egress: string; connector: z.output<typeof connectorSchema> }
    | { kind: "reuse-connector"; egress: string; connectorId: string }
    | { kind: "direct"; egress: string; network: string; subnetwork: string };

/** The one parsed, typed plan the components receive. */
export interface StagingPlan {
    project: string;
    region: string;
    service: Omit<StackConfig["service"], "resources" | "runtimeServiceAccountId"> & {
        resources: { cpu: string; memory: string };
        runtimeServiceAccountId: string;
    };
    image: ImagePlan;
    secrets: SecretMapping[];
    vpc: VpcPlan;
}

/** Raised when stack config is invalid; lists every problem, each naming its key, under the file they are in. */
export class StackConfigError extends Error {
    constructor(readonly problems: string[], readonly stackFile?: string) {
        super(`Invalid stack config${stackFile ? ` in ${stackFile}` : ""}: ${problems.length} problem${problems.length === 1 ? "" : "s"}\n` +
            problems.map((p) => `  - ${p}`).join("\n"));
        this.name = "StackConfigError";
    }
}

/** Inputs to parseStagingPlan: the raw config map (`pulumi.runtime.allConfig()`) and which keys are secure. */
export interface RawStackConfig {
    namespace: string;
    values: Record<string, string>;
    /** Keys whose value is or contains a secure value (the runtime knows only the top-level key). */
    secretKeys?: readonly string[];
    /**
     * Where the secure values are, when the stack file tells (`<ns>:service.env.API_TOKEN`): errors then name the
     * exact key path instead of the whole top-level key.
     */
    securePaths?: readonly string[];
    /** The stack file the values come from (`Pulumi.staging.yaml`), named in the error. */
    stackFile?: string;
    /** The stack's name, so messages name its file (Pulumi.<stack>.yaml) when stackFile is not given. */
    stack?: string;
}

/**
 * Parses and validates the whole stack config into a plan, or throws StackConfigError listing every problem.
 */
export function parseStagingPlan(raw: RawStackConfig): StagingPlan {
    const ns = raw.namespace;
    const problems: string[] = [];
    const required = (key: string): string => {
        const value = raw.values[key];
        if (value === undefined || value.trim() === "") {
            problems.push(`${key}: missing; set it with \`pulumi config set ${key} <value>\``);
        }
        return value ?? "";
    };
    const provider = { project: required("gcp:project"), region: required("gcp:region") };
    // Only what is set and not secure is checked here (a message would show a secure value).
    const checkable = Object.fromEntries(Object.entries(provider)
        .filter(([name, value]) => value.trim() !== "" && !raw.secretKeys?.includes(`gcp:${name}`)));
    const providerResult = providerConfigSchema.partial().safeParse(checkable);
    if (!providerResult.success) {
        problems.push(...providerResult.error.issues.flatMap((issue) => describeIssue("gcp", issue)));
    }

    const own: Record<string, unknown> = {};
    const secureKeys = new Set<string>();
    for (const [key, value] of Object.entries(raw.values)) {
        if (!key.startsWith(`${ns}:`)) {
            continue;
        }
        const name = key.slice(ns.length + 1);
        if (raw.secretKeys?.includes(key)) {
            // Secret values never go into resource inputs or state: they belong in Secret Manager. The key is not
            // validated further (a message could show a decrypted value) nor reported missing.
            problems.push(...secureValueProblems(ns, key, raw));
            secureKeys.add(name);
            continue;
        }
        own[name] = parseConfigValue(value);
    }

    const result = stackConfigSchema.safeParse(own, { reportInput: true });
    if (!result.success) {
        const issues = result.error.issues.filter((issue) => !secureKeys.has(String(issue.path[0])));
        problems.push(...issues.flatMap((issue) => describeIssue(ns, issue)));
    }
    if (problems.length > 0 || !result.success) {
        const stackFile = raw.stackFile ?? (raw.stack === undefined ? undefined : `Pulumi.${raw.stack}.yaml`);
        throw new StackConfigError(stackFile === undefined ? problems : problems.map((p) => p.replaceAll(STACK_FILE, stackFile)), stackFile);
    }
    return toPlan(result.data, provider.project, provider.region);
}

/** One problem per secure value under `key`, at its exact path when known, with the fix. */
function secureValueProblems(ns: string, key: string, raw: RawStackConfig): string[] {
    const known = (raw.securePaths ?? []).filter((p) => p === key || p.startsWith(`${key}.`) || p.startsWith(`${key}[`));
    const file = raw.stackFile ?? "the stack file";
    return (known.length > 0 ? known : [key]).map((where) => {
        const envName = where.startsWith(`${ns}:service.env.`) ? where.slice(`${ns}:service.env.`.length) : undefined;
        const mapping = envName && ENV_LIMITS.nameRe.test(envName)
            ? `map it as ${ns}:secrets.${envName} {secretId, version, mode}`
            : `map it under ${ns}:secrets`;
        return `${where}: is a secure value; this program never writes secret values into resources. ` +
            `Remove it from ${file}, store it in Secret Manager and ${mapping}`;
    });
}

/** Structured config arrives as JSON text; plain values as strings. */
function parseConfigValue(value: string): unknown {
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}

function toPlan(config: StackConfig, project: string, region: string): StagingPlan {
    const { resources, runtimeServiceAccountId, ...service } = config.service;
    const image: ImagePlan = config.image.ref !== undefined
        ? { kind: "ref", ref: config.image.ref }
        : { kind: "build", ...config.image.build!, repositoryId: config.image.build!.repositoryId ?? service.name };
    const vpc = config.vpc;
    const vpcPlan: VpcPlan = vpc.createConnector
        ? { kind: "create-connector", egress: vpc.egress, connector: vpc.createConnector }
        : vpc.reuseConnector
            ? { kind: "reuse-connector", egress: vpc.egress, connectorId: vpc.reuseConnector }
            : { kind: "direct", egress: vpc.egress, network: vpc.direct!.network, subnetwork: vpc.direct!.subnetwork };
    return {
        project,
        region,
        service: {
            ...service,
            resources: { cpu: String(parseCpu(resources.cpu)), memory: resources.memory },
            runtimeServiceAccountId: runtimeServiceAccountId ?? `${service.name}-runtime`.slice(0, 30),
        },
        image,
        secrets: Object.entries(config.secrets).map(([envName, s]) => ({
            envName, secretId: s.secretId, version: s.version, mode: s.mode, project: s.project ?? project,
        })),
        vpc: vpcPlan,
    };
}

/** One line per problem: `<ns>:<path>: <what is wrong>; got <value>` (+ a "did you mean" for unknown keys). */
function describeIssue(ns: string, issue: z.core.$ZodIssue): string[] {
    const path = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
        const known = knownKeysAt(stackConfigSchema, path);
        return issue.keys.map((key) => {
            const where = keyName(ns, [...path, key]);
            const suggestion = didYouMean(key, known);
            const hint = suggestion ? `did you mean "${suggestion}"? ` : "";
            return `${where}: unknown key; ${hint}known keys here: ${known.join(", ")}`;
        });
    }
    if (issue.code === "invalid_key") {
        // A record key that failed its own schema (e.g. a reserved env name): the key is the last path segment.
        return [`${keyName(ns, path)}: ${issue.issues.map((i) => i.message).join("; ")}`];
    }
    const hasInput = "input" in issue && issue.code !== "custom";
    if (hasInput && issue.input === undefined) {
        return [`${keyName(ns, path)}: missing (${issue.message})`];
    }
    const given = hasInput && !mayHoldSecret(path) && !issue.message.includes(show(issue.input)) ? `; got ${show(issue.input)}` : "";
    return [`${keyName(ns, path)}: ${issue.message}${given}`];
}

/**
 * Plain env values may be secrets set in clear text by mistake (a token, a URL with a password): an error names
 * their key and what is wrong, never the value, which would land in CI logs.
 */
function mayHoldSecret(path: readonly string[]): boolean {
    return path[0] === "service" && path[1] === "env";
}

function keyName(ns: string, path: string[]): string {
    return path.length === 0 ? `${ns}:*` : `${ns}:${path.join(".")}`;
}

/** The keys an object schema declares at a path, looking through optional/default/refine wrappers. */
function knownKeysAt(schema: z.ZodType, path: string[]): string[] {
    let current: z.ZodType | undefined = unwrapSchema(schema);
    for (const segment of path) {
        const def = current?._zod.def as { type: string; shape?: Record<string, z.ZodType>; valueType?: z.ZodType } | undefined;
        if (def?.type === "object" && def.shape) {
            current = def.shape[segment] ? unwrapSchema(def.shape[segment]) : undefined;
        } else if (def?.type === "record" && def.valueType) {
            current = unwrapSchema(def.valueType);
        } else {
            return [];
        }
    }
    const def = current?._zod.def as { type: string; shape?: Record<string, unknown> } | undefined;
    return def?.type === "object" && def.shape ? Object.keys(def.shape) : [];
}

function unwrapSchema(schema: z.ZodType): z.ZodType {
    let current = schema;
    for (;;) {
        const def = current._zod.def as { type: string; innerType?: z.ZodType; in?: z.ZodType };
        const inner = def.innerType ?? (def.type === "pipe" ? def.in : undefined);
        if (!inner) {
            return current;
        }
        current = inner;
    }
}
