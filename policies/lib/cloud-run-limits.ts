/**
 * Cloud Run's own limits, in one place.
 *
 * Both the stack-config schema (infra/config.ts) and every policy in this pack read these tables, so a
 * limit changes in exactly one line. Pure data and pure functions: no imports, safe to load on every
 * preview. Each table names the Cloud Run page it comes from.
 */

/** Cloud Run documentation pages the limits and the policies point at. */
export const CLOUD_RUN_DOCS = {
    cpu: "https://cloud.google.com/run/docs/configuring/services/cpu",
    memory: "https://cloud.google.com/run/docs/configuring/services/memory-limits",
    healthChecks: "https://cloud.google.com/run/docs/configuring/healthchecks",
    requestTimeout: "https://cloud.google.com/run/docs/configuring/request-timeout",
    containerContract: "https://cloud.google.com/run/docs/container-contract",
    secrets: "https://cloud.google.com/run/docs/configuring/services/secrets",
    serviceIdentity: "https://cloud.google.com/run/docs/securing/service-identity",
    ingress: "https://cloud.google.com/run/docs/securing/ingress",
    invokerIam: "https://cloud.google.com/run/docs/securing/managing-access",
    images: "https://cloud.google.com/run/docs/deploying#images",
    vpcConnectors: "https://cloud.google.com/run/docs/configuring/vpc-connectors",
    directVpc: "https://cloud.google.com/run/docs/configuring/vpc-direct-vpc",
    cloudSql: "https://cloud.google.com/sql/docs/postgres/connect-run",
} as const;

// ---------------------------------------------------------------------------------------------------
// CPU and memory (configuring/services/cpu, services/memory-limits)
// ---------------------------------------------------------------------------------------------------

/** CPU bounds. Above 1 CPU only the whole values listed are accepted. */
export const CPU_LIMITS = {
    min: 0.08,
    max: 8,
    wholeValues: [1, 2, 4, 6, 8] as readonly number[],
    fractionalStep: 0.01,
} as const;

/** Memory bounds in MiB. The minimum depends on the execution environment. */
export const MEMORY_LIMITS_MIB = { max: 32 * 1024, minGen1: 128, minGen2: 512 } as const;

/** Memory range (MiB) that each whole CPU value accepts. */
export const MEMORY_RANGE_BY_CPU_MIB: Readonly<Record<number, { min: number; max: number }>> = {
    1: { min: 0, max: 4 * 1024 },
    2: { min: 0, max: 8 * 1024 },
    4: { min: 2 * 1024, max: 16 * 1024 },
    6: { min: 4 * 1024, max: 24 * 1024 },
    8: { min: 4 * 1024, max: 32 * 1024 },
};

/**
 * What resources.cpuIdle means when it is unset: true only while `resources` itself is unset. Once a
 * container sets resources (limits), an unset cpuIdle means CPU is always allocated.
 */
export const CPU_IDLE_DEFAULTS = { resourcesUnset: true, resourcesSet: false } as const;

/** Extra rules for CPU below 1: memory caps and the settings a fractional CPU requires. */
export const FRACTIONAL_CPU_RULES = {
    /** Memory above this (MiB) needs at least 0.5 CPU. */
    over512MiNeedsCpu: 0.5,
    /** Memory above this (MiB) needs a whole CPU. */
    over1GiNeedsCpu: 1,
    requiredConcurrency: 1,
    requiredCpuIdle: true,
    requiredExecutionEnvironment: "gen1",
} as const;

/** Execution environments as the v2 API spells them; an unset value lets Cloud Run choose. */
export type ExecutionEnvironment = "gen1" | "gen2";
export const EXECUTION_ENVIRONMENTS: Readonly<Record<string, ExecutionEnvironment>> = {
    EXECUTION_ENVIRONMENT_GEN1: "gen1",
    EXECUTION_ENVIRONMENT_GEN2: "gen2",
    gen1: "gen1",
    gen2: "gen2",
};

/** Cloud Run's default limits when a container declares none. */
export const DEFAULT_RESOURCES = { cpu: "1", memory: "512Mi" } as const;

const QUANTITY_RE = /^(\d+(?:\.\d+)?)(m)?$/;

/**
 * Parses a CPU quantity as Cloud Run accepts it ("2", 2, "0.5", "1000m"). Undefined when it is not one.
 */
export function parseCpu(value: unknown): number | undefined {
    if (typeof value === "number") {
        return Number.isFinite(value) && value > 0 ? value : undefined;
    }
    if (typeof value !== "string") {
        return undefined;
    }
    const match = QUANTITY_RE.exec(value.trim());
    if (!match) {
        return undefined;
    }
    const n = Number(match[1]) / (match[2] ? 1000 : 1);
    return n > 0 ? n : undefined;
}

const MEMORY_RE = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/;
const BYTES_PER_UNIT: Readonly<Record<string, number>> = {
    "": 1,
    Ki: 1024,
    Mi: 1024 ** 2,
    Gi: 1024 ** 3,
    Ti: 1024 ** 4,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
};

/** Parses a Kubernetes-style memory quantity ("512Mi", "2Gi", "1G") into MiB. Undefined when it is not one. */
export function parseMemoryMiB(value: unknown): number | undefined {
    if (typeof value !== "string") {
        return undefined;
    }
    const match = MEMORY_RE.exec(value.trim());
    if (!match) {
        return undefined;
    }
    const mib = (Number(match[1]) * BYTES_PER_UNIT[match[2] ?? ""]) / 1024 ** 2;
    return mib > 0 ? mib : undefined;
}

/** Formats MiB the way people write it: "2Gi" when whole GiB, else "512Mi". */
export function formatMiB(mib: number): string {
    return mib % 1024 === 0 ? `${mib / 1024}Gi` : `${Math.round(mib)}Mi`;
}

/** One way a CPU/memory combination breaks Cloud Run's rules. */
export interface ResourceProblem {
    field: "cpu" | "memory" | "concurrency" | "cpuIdle" | "executionEnvironment";
    message: string;
}

/** What resourceProblems needs to know about a revision. Unset fields are not checked. */
export interface ResourceSpec {
    cpu: unknown;
    memory: unknown;
    executionEnvironment?: ExecutionEnvironment;
    concurrency?: number;
    cpuIdle?: boolean;
}

/** The list of CPU values Cloud Run accepts, as text for error messages. */
export const CPU_ALLOWED_TEXT = `${CPU_LIMITS.min} to 0.99 in steps of ${CPU_LIMITS.fractionalStep} (gen1 only), or one of ${CPU_LIMITS.wholeValues.join(", ")}`;

/**
 * Every way a CPU/memory combination breaks Cloud Run's rules (empty when Cloud Run accepts it).
 * Messages say what was given and what is allowed.
 */
export function resourceProblems(spec: ResourceSpec): ResourceProblem[] {
    const problems: ResourceProblem[] = [];
    const cpu = parseCpu(spec.cpu);
    const memory = parseMemoryMiB(spec.memory);
    if (cpu === undefined) {
        problems.push({ field: "cpu", message: `cpu ${show(spec.cpu)} is not a CPU quantity; allowed: ${CPU_ALLOWED_TEXT}` });
    }
    if (memory === undefined) {
        problems.push({
            field: "memory",
            message: `memory ${show(spec.memory)} is not a memory quantity; use Mi or Gi, e.g. "512Mi" or "2Gi"`,
        });
    }
    if (cpu !== undefined) {
        problems.push(...cpuProblems(cpu, spec));
    }
    if (memory !== undefined) {
        const min = spec.executionEnvironment === "gen2" ? MEMORY_LIMITS_MIB.minGen2 : MEMORY_LIMITS_MIB.minGen1;
        if (memory < min || memory > MEMORY_LIMITS_MIB.max) {
            problems.push({
                field: "memory",
                message: `memory ${show(spec.memory)} is outside ${formatMiB(min)} to ${formatMiB(MEMORY_LIMITS_MIB.max)}` +
                    (spec.executionEnvironment === "gen2" ? " (gen2 minimum)" : ""),
            });
        } else if (cpu !== undefined) {
            problems.push(...memoryForCpuProblems(cpu, memory, spec.memory));
        }
    }
    return problems;
}

function cpuProblems(cpu: number, spec: ResourceSpec): ResourceProblem[] {
    if (cpu < CPU_LIMITS.min || cpu > CPU_LIMITS.max) {
        return [{ field: "cpu", message: `cpu ${show(spec.cpu)} is outside ${CPU_LIMITS.min} to ${CPU_LIMITS.max}; allowed: ${CPU_ALLOWED_TEXT}` }];
    }
    if (cpu >= 1) {
        return CPU_LIMITS.wholeValues.includes(cpu)
            ? []
            : [{ field: "cpu", message: `cpu ${show(spec.cpu)} is not accepted above 1; allowed: ${CPU_LIMITS.wholeValues.join(", ")}` }];
    }
    const problems: ResourceProblem[] = [];
    if (Math.abs(Math.round(cpu * 100) - cpu * 100) > 1e-9) {
        problems.push({ field: "cpu", message: `cpu ${show(spec.cpu)} below 1 must be a multiple of ${CPU_LIMITS.fractionalStep}` });
    }
    const rules = FRACTIONAL_CPU_RULES;
    if (spec.concurrency !== undefined && spec.concurrency !== rules.requiredConcurrency) {
        problems.push({ field: "concurrency", message: `cpu below 1 requires concurrency ${rules.requiredConcurrency}, got ${spec.concurrency}` });
    }
    if (spec.cpuIdle !== undefined && spec.cpuIdle !== rules.requiredCpuIdle) {
        problems.push({ field: "cpuIdle", message: "cpu below 1 requires cpuIdle true (CPU allocated only during requests)" });
    }
    if (spec.executionEnvironment !== undefined && spec.executionEnvironment !== rules.requiredExecutionEnvironment) {
        problems.push({
            field: "executionEnvironment",
            message: `cpu below 1 requires the gen1 execution environment, got ${spec.executionEnvironment}`,
        });
    }
    return problems;
}

function memoryForCpuProblems(cpu: number, memoryMiB: number, given: unknown): ResourceProblem[] {
    if (cpu < 1) {
        const maxMiB = cpu < FRACTIONAL_CPU_RULES.over512MiNeedsCpu ? 512 : 1024;
        return memoryMiB > maxMiB
            ? [{ field: "memory", message: `memory ${show(given)} needs more CPU than ${cpu}: at most ${formatMiB(maxMiB)} below 1 CPU (${maxMiB === 512 ? "over 512Mi needs 0.5 CPU" : "over 1Gi needs 1 CPU"})` }]
            : [];
    }
    const range = MEMORY_RANGE_BY_CPU_MIB[cpu];
    if (!range || (memoryMiB >= range.min && memoryMiB <= range.max)) {
        return [];
    }
    const minCpu = CPU_LIMITS.wholeValues.find((c) => memoryMiB <= MEMORY_RANGE_BY_CPU_MIB[c].max);
    const hint = memoryMiB > range.max
        ? `${show(given)} needs at least ${minCpu} CPU`
        : `${cpu} CPU needs at least ${formatMiB(range.min)}`;
    return [{
        field: "memory",
        message: `memory ${show(given)} with cpu ${cpu}: ${cpu} CPU accepts ${formatMiB(Math.max(range.min, MEMORY_LIMITS_MIB.minGen1))} to ${formatMiB(range.max)} (${hint})`,
    }];
}

// ---------------------------------------------------------------------------------------------------
// Probes (configuring/healthchecks; v2 API Probe)
// ---------------------------------------------------------------------------------------------------

/** Startup probe bounds. maxWindowSeconds caps failureThreshold × periodSeconds: the reading safe everywhere. */
export const STARTUP_PROBE_LIMITS = {
    maxInitialDelaySeconds: 240,
    minPeriodSeconds: 1,
    maxPeriodSeconds: 240,
    minFailureThreshold: 1,
    maxWindowSeconds: 240,
    defaults: { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 },
} as const;

/** The probe Cloud Run runs when a service declares no startup probe: TCP, 240 s × 1. */
export const DEFAULT_STARTUP_PROBE = { tcpSocket: {}, timeoutSeconds: 240, periodSeconds: 240, failureThreshold: 1 } as const;

/** Liveness probe bounds. */
export const LIVENESS_PROBE_LIMITS = {
    maxInitialDelaySeconds: 3600,
    minPeriodSeconds: 1,
    maxPeriodSeconds: 3600,
    defaults: { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 },
} as const;

/** The longest startup a probe within the bounds can cover: the whole initial delay plus the whole window. */
export const MAX_STARTUP_BUDGET_SECONDS = STARTUP_PROBE_LIMITS.maxInitialDelaySeconds + STARTUP_PROBE_LIMITS.maxWindowSeconds;

/** Timing fields of a probe; unset fields take Cloud Run's defaults. */
export interface ProbeTiming {
    initialDelaySeconds?: number;
    periodSeconds?: number;
    timeoutSeconds?: number;
    failureThreshold?: number;
}

/** The timing Cloud Run applies, defaults filled in. */
export function effectiveStartupTiming(probe: ProbeTiming): Required<ProbeTiming> {
    const d = STARTUP_PROBE_LIMITS.defaults;
    return {
        initialDelaySeconds: probe.initialDelaySeconds ?? d.initialDelaySeconds,
        periodSeconds: probe.periodSeconds ?? d.periodSeconds,
        timeoutSeconds: probe.timeoutSeconds ?? d.timeoutSeconds,
        failureThreshold: probe.failureThreshold ?? d.failureThreshold,
    };
}

/** How long a startup probe lets a container start: initialDelay + failureThreshold × period. */
export function startupWindowSeconds(probe: ProbeTiming): number {
    const t = effectiveStartupTiming(probe);
    return t.initialDelaySeconds + t.failureThreshold * t.periodSeconds;
}

/**
 * A startup probe timing whose window (initialDelay + failureThreshold × period) covers `seconds` within the
 * bounds: the failure window takes up to maxWindowSeconds, the rest becomes initial delay, so a fast start is
 * still noticed within one period. `seconds` must be 1 to MAX_STARTUP_BUDGET_SECONDS.
 */
export function startupTimingCovering(
    seconds: number,
    options: { periodSeconds: number; timeoutSeconds: number; minFailureThreshold: number },
): Required<ProbeTiming> {
    const coveredByWindow = Math.min(seconds, STARTUP_PROBE_LIMITS.maxWindowSeconds);
    return {
        initialDelaySeconds: seconds - coveredByWindow,
        periodSeconds: options.periodSeconds,
        timeoutSeconds: options.timeoutSeconds,
        failureThreshold: Math.max(options.minFailureThreshold, Math.ceil(coveredByWindow / options.periodSeconds)),
    };
}

/** Every way a startup probe's timing breaks Cloud Run's bounds (empty when it is accepted). */
export function startupProbeBoundProblems(probe: ProbeTiming): string[] {
    const t = effectiveStartupTiming(probe);
    const l = STARTUP_PROBE_LIMITS;
    const problems: string[] = [];
    if (t.initialDelaySeconds < 0 || t.initialDelaySeconds > l.maxInitialDelaySeconds) {
        problems.push(`initialDelaySeconds ${t.initialDelaySeconds} is outside 0 to ${l.maxInitialDelaySeconds}`);
    }
    if (t.periodSeconds < l.minPeriodSeconds || t.periodSeconds > l.maxPeriodSeconds) {
        problems.push(`periodSeconds ${t.periodSeconds} is outside ${l.minPeriodSeconds} to ${l.maxPeriodSeconds}`);
    }
    if (t.timeoutSeconds < 1 || t.timeoutSeconds > t.periodSeconds) {
        problems.push(`timeoutSeconds ${t.timeoutSeconds} must be 1 to periodSeconds (${t.periodSeconds})`);
    }
    if (t.failureThreshold < l.minFailureThreshold) {
        problems.push(`failureThreshold ${t.failureThreshold} must be at least ${l.minFailureThreshold}`);
    }
    if (t.failureThreshold * t.periodSeconds > l.maxWindowSeconds) {
        problems.push(
            `failureThreshold × periodSeconds = ${t.failureThreshold * t.periodSeconds}s exceeds ${l.maxWindowSeconds}s; ` +
            "use a shorter period or add initialDelaySeconds instead",
        );
    }
    return problems;
}

// ---------------------------------------------------------------------------------------------------
// Request handling and scaling
// ---------------------------------------------------------------------------------------------------

/** Request timeout (template.timeout, e.g. "600s"). */
export const REQUEST_TIMEOUT_LIMITS = { minSeconds: 1, defaultSeconds: 300, maxSeconds: 3600 } as const;

/** Requests one instance serves at once. */
export const CONCURRENCY_LIMITS = { min: 1, default: 80, max: 1000 } as const;

/** Container port. */
export const CONTAINER_PORT_LIMITS = { min: 1, max: 65535, default: 8080 } as const;

const DURATION_RE = /^(\d+(?:\.\d{1,9})?)s$/;

/** Parses a protobuf Duration string ("600s", "1.5s") into seconds. Undefined when it is not one. */
export function parseDurationSeconds(value: unknown): number | undefined {
    if (typeof value !== "string") {
        return undefined;
    }
    const match = DURATION_RE.exec(value.trim());
    return match ? Number(match[1]) : undefined;
}

// ---------------------------------------------------------------------------------------------------
// Environment and secrets (container-contract; configuring/services/secrets)
// ---------------------------------------------------------------------------------------------------

/** Names Cloud Run sets itself; a revision that sets one is rejected. */
export const RESERVED_ENV_NAMES: readonly string[] = ["PORT", "K_SERVICE", "K_REVISION", "K_CONFIGURATION"];

/** Env variable names and sizes Cloud Run accepts. */
export const ENV_LIMITS = { nameRe: /^[A-Za-z_][A-Za-z0-9_]*$/, maxVariables: 1000, maxValueLength: 32768 } as const;

/** The role a runtime service account needs on each secret it reads. */
export const SECRET_ACCESSOR_ROLE = "roles/secretmanager.secretAccessor";

/** Secret ids (Secret Manager) and versions ("latest" or a positive number). */
export const SECRET_LIMITS = { idRe: /^[A-Za-z0-9_-]{1,255}$/, versionRe: /^(latest|[1-9][0-9]*)$/ } as const;

/** The floating secret version: the value read at instance start can change under a running service. */
export const SECRET_VERSION_LATEST = "latest";

const SECRET_PATH_RE = /^projects\/([^/]+)\/secrets\/([^/]+)$/;
/** A JSON-schema pattern for a secret named bare or by path (policy config such as externalSecrets). */
export const SECRET_NAME_PATTERN = `^(${inner(SECRET_LIMITS.idRe)}|projects/[^/]+/secrets/${inner(SECRET_LIMITS.idRe)})$`;


/** A secret named either bare ("db-url") or by path ("projects/p/secrets/db-url"). */
export interface SecretName {
    project?: string;
    secretId: string;
}

/** Splits a secret reference into project and id. Undefined when it is neither form. */
export function parseSecretName(value: unknown): SecretName | undefined {
    if (typeof value !== "string" || value === "") {
        return undefined;
    }
    const path = SECRET_PATH_RE.exec(value);
    if (path) {
        return { project: path[1], secretId: path[2] };
    }
    return value.includes("/") ? undefined : { secretId: value };
}

// ---------------------------------------------------------------------------------------------------
// Identity and exposure (securing/service-identity, securing/ingress, managing-access)
// ---------------------------------------------------------------------------------------------------

/** The Compute Engine default service account, which Cloud Run uses when none is set. */
export const DEFAULT_COMPUTE_SA_RE = /^\d+-compute@developer\.gserviceaccount\.com$/;

/** Members that make a service public. */
export const PUBLIC_MEMBERS: readonly string[] = ["allUsers", "allAuthenticatedUsers"];

/** The role that lets a member call a service. */
export const INVOKER_ROLE = "roles/run.invoker";

/** Ingress settings of the v2 API. */
export const INGRESS_VALUES = [
    "INGRESS_TRAFFIC_ALL",
    "INGRESS_TRAFFIC_INTERNAL_ONLY",
    "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
] as const;
export type Ingress = (typeof INGRESS_VALUES)[number];

/** The ingress Cloud Run applies when none is set: reachable from the internet. */
export const DEFAULT_INGRESS: Ingress = "INGRESS_TRAFFIC_ALL";

/** The v1 API's `run.googleapis.com/ingress` annotation values, as v2 ingress settings. */
export const INGRESS_BY_V1_ANNOTATION: Readonly<Record<string, Ingress>> = {
    all: "INGRESS_TRAFFIC_ALL",
    internal: "INGRESS_TRAFFIC_INTERNAL_ONLY",
    "internal-and-cloud-load-balancing": "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
};

// ---------------------------------------------------------------------------------------------------
// VPC (configuring/vpc-connectors, vpc-direct-vpc)
// ---------------------------------------------------------------------------------------------------

/** Serverless VPC Access connector limits. */
export const CONNECTOR_LIMITS = {
    nameRe: /^[a-z][-a-z0-9]{0,23}[a-z0-9]$/,
    ipCidrPrefixLength: 28,
    minInstances: { min: 2, max: 9 },
    maxInstances: { min: 3, max: 10 },
    minThroughput: { min: 200, max: 900 },
    maxThroughput: { min: 300, max: 1000 },
    throughputStep: 100,
    machineTypes: ["e2-micro", "f1-micro", "e2-standard-4"] as readonly string[],
    defaultMachineType: "e2-micro",
} as const;

/** A JSON-schema pattern for a connector named bare or by id (policy config such as externalConnectors). */
export const CONNECTOR_REF_PATTERN = `^(${inner(CONNECTOR_LIMITS.nameRe)}|projects/[^/]+/locations/[^/]+/connectors/${inner(CONNECTOR_LIMITS.nameRe)})$`;

/** Egress settings for VPC access. */
export const VPC_EGRESS_VALUES = ["ALL_TRAFFIC", "PRIVATE_RANGES_ONLY"] as const;
export type VpcEgress = (typeof VPC_EGRESS_VALUES)[number];

/** Direct VPC egress needs a subnet at least this large (prefix length at most). */
export const DIRECT_VPC_MAX_PREFIX_LENGTH = 26;

/** Sizing and naming of a connector; unset fields are not checked. */
export interface ConnectorSpec {
    name?: unknown;
    ipCidrRange?: unknown;
    minInstances?: unknown;
    maxInstances?: unknown;
    minThroughput?: unknown;
    maxThroughput?: unknown;
    machineType?: unknown;
}

/** One way a connector breaks Cloud Run's rules. */
export interface ConnectorProblem {
    field: keyof ConnectorSpec;
    message: string;
}

const CIDR_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** The prefix length of an IPv4 CIDR ("10.8.0.0/28" → 28). Undefined when it is not one. */
export function cidrPrefixLength(value: unknown): number | undefined {
    const match = typeof value === "string" ? CIDR_RE.exec(value) : null;
    if (!match || match.slice(1, 5).some((o) => Number(o) > 255) || Number(match[5]) > 32) {
        return undefined;
    }
    return Number(match[5]);
}

/** Every way a connector's name, range, sizing or machine type breaks the limits. */
export function connectorProblems(spec: ConnectorSpec): ConnectorProblem[] {
    const l = CONNECTOR_LIMITS;
    const problems: ConnectorProblem[] = [];
    if (spec.name !== undefined && (typeof spec.name !== "string" || !l.nameRe.test(spec.name))) {
        problems.push({ field: "name", message: `name ${show(spec.name)} must match ${l.nameRe.source} (2-25 chars, lowercase, digits, hyphens)` });
    }
    if (spec.ipCidrRange !== undefined && cidrPrefixLength(spec.ipCidrRange) !== l.ipCidrPrefixLength) {
        problems.push({ field: "ipCidrRange", message: `ipCidrRange ${show(spec.ipCidrRange)} must be an unused IPv4 /${l.ipCidrPrefixLength}, e.g. "10.8.0.0/28"` });
    }
    if (spec.machineType !== undefined && (typeof spec.machineType !== "string" || !l.machineTypes.includes(spec.machineType))) {
        problems.push({ field: "machineType", message: `machineType ${show(spec.machineType)} must be one of ${l.machineTypes.join(", ")}` });
    }
    const usesInstances = spec.minInstances !== undefined || spec.maxInstances !== undefined;
    const usesThroughput = spec.minThroughput !== undefined || spec.maxThroughput !== undefined;
    if (usesInstances || !usesThroughput) {
        problems.push(...rangePairProblems("minInstances", "maxInstances", spec.minInstances, spec.maxInstances, l.minInstances, l.maxInstances, 1));
    }
    if (usesThroughput) {
        problems.push(...rangePairProblems("minThroughput", "maxThroughput", spec.minThroughput, spec.maxThroughput, l.minThroughput, l.maxThroughput, l.throughputStep));
    }
    return problems;
}

function rangePairProblems(
    minField: keyof ConnectorSpec, maxField: keyof ConnectorSpec, min: unknown, max: unknown,
    minBounds: { min: number; max: number }, maxBounds: { min: number; max: number }, step: number,
): ConnectorProblem[] {
    const problems: ConnectorProblem[] = [];
    const check = (field: keyof ConnectorSpec, value: unknown, bounds: { min: number; max: number }) => {
        if (value === undefined) {
            return;
        }
        if (typeof value !== "number" || !Number.isInteger(value) || value < bounds.min || value > bounds.max || value % step !== 0) {
            problems.push({ field, message: `${field} ${show(value)} must be ${bounds.min} to ${bounds.max}${step > 1 ? ` in steps of ${step}` : ""}` });
        }
    };
    check(minField, min, minBounds);
    check(maxField, max, maxBounds);
    if (typeof min === "number" && typeof max === "number" && max <= min) {
        problems.push({ field: maxField, message: `${maxField} ${max} must be greater than ${minField} ${min}` });
    }
    return problems;
}

/** Shows a value in a message: strings quoted, everything else as JSON. */
export function show(value: unknown): string {
    if (value === undefined) {
        return "(unset)";
    }
    try {
        return JSON.stringify(value) ?? String(value);
    } catch {
        return String(value);
    }
}

/** A whole-string regex's body without its ^ and $ anchors, to compose larger patterns from it. */
function inner(re: RegExp): string {
    return re.source.replace(/^\^/, "").replace(/\$$/, "");
}
