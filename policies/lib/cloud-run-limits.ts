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
    connectorThroughput: "https://cloud.google.com/vpc/docs/serverless-vpc-access#scaling",
    directVpc: "https://cloud.google.com/run/docs/configuring/vpc-direct-vpc",
    concurrency: "https://cloud.google.com/run/docs/about-concurrency",
    instances: "https://cloud.google.com/run/docs/configuring/max-instances",
    multiContainer: "https://cloud.google.com/run/docs/deploying#sidecars",
    gpu: "https://cloud.google.com/run/docs/configuring/services/gpu",
    jobEnv: "https://cloud.google.com/run/docs/configuring/jobs/environment-variables",
    cloudSql: "https://cloud.google.com/sql/docs/postgres/connect-run",
    /** Pricing, whose "Regional price tiers" list every region Cloud Run runs in (CLOUD_RUN_REGION_TIERS). */
    pricing: "https://cloud.google.com/run/pricing",
} as const;

// ---------------------------------------------------------------------------------------------------
// CPU and memory (configuring/services/cpu, services/memory-limits)
// ---------------------------------------------------------------------------------------------------

/** CPU bounds. Above 1 CPU only the whole values listed are accepted; below 1, steps of 0.001 (current CPU page). */
export const CPU_LIMITS = {
    min: 0.08,
    max: 8,
    wholeValues: [1, 2, 4, 6, 8] as readonly number[],
    fractionalStep: 0.001,
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
    /** An unset (or 0) concurrency is accepted: below 1 CPU Cloud Run then uses 1 (API reference). */
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

/**
 * Parses a Kubernetes-style memory quantity ("512Mi", "2Gi", "1G") into MiB; a bare number is bytes (the provider
 * turns it into the same string). Undefined when it is not one.
 */
export function parseMemoryMiB(value: unknown): number | undefined {
    if (typeof value === "number") {
        return Number.isFinite(value) && value > 0 ? value / 1024 ** 2 : undefined;
    }
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

/**
 * What a GPU needs, by the accelerator named in template.nodeSelector.accelerator (services/gpu page): the
 * container with the GPU must have at least this CPU and memory, and CPU always allocated (cpuIdle false).
 */
export const GPU_REQUIREMENTS: Readonly<Record<string, { minCpu: number; minMemoryMiB: number; cpuIdle: false }>> = {
    "nvidia-l4": { minCpu: 4, minMemoryMiB: 16 * 1024, cpuIdle: false },
};

/** The resources.limits key that gives a container a GPU. */
export const GPU_LIMIT_KEY = "nvidia.com/gpu";

/** Every way a GPU container's resources fall short of what its accelerator needs (cpu/memory undefined: unknown). */
export function gpuProblems(accelerator: string, spec: { cpu?: unknown; memory?: unknown; cpuIdle?: boolean }): ResourceProblem[] {
    const needs = GPU_REQUIREMENTS[accelerator];
    if (!needs) {
        return [];
    }
    const problems: ResourceProblem[] = [];
    const cpu = spec.cpu === undefined ? undefined : parseCpu(spec.cpu);
    const memory = spec.memory === undefined ? undefined : parseMemoryMiB(spec.memory);
    if (cpu !== undefined && cpu < needs.minCpu) {
        problems.push({ field: "cpu", message: `an ${accelerator} GPU needs at least ${needs.minCpu} CPU, got ${cpu}` });
    }
    if (memory !== undefined && memory < needs.minMemoryMiB) {
        problems.push({ field: "memory", message: `an ${accelerator} GPU needs at least ${formatMiB(needs.minMemoryMiB)} of memory, got ${formatMiB(memory)}` });
    }
    if (spec.cpuIdle === true) {
        problems.push({ field: "cpuIdle", message: `an ${accelerator} GPU needs CPU always allocated (cpuIdle false, instance-based billing)` });
    }
    return problems;
}

/** One way a CPU/memory combination breaks Cloud Run's rules. */
export interface ResourceProblem {
    field: "cpu" | "memory" | "concurrency" | "cpuIdle" | "executionEnvironment";
    message: string;
}

/**
 * What resourceProblems needs to know about a revision. `cpu` / `memory` undefined: not known (yet), so only
 * the checks that do not need them run. The other fields: unset means "not checked".
 */
export interface ResourceSpec {
    cpu?: unknown;
    memory?: unknown;
    executionEnvironment?: ExecutionEnvironment;
    /** Requests per instance; undefined or 0 (unset) lets Cloud Run choose. */
    concurrency?: number;
    cpuIdle?: boolean;
}

/** The list of CPU values Cloud Run accepts, as text for error messages. */
export const CPU_ALLOWED_TEXT = `${CPU_LIMITS.min} to below 1 in steps of ${CPU_LIMITS.fractionalStep} (gen1 only), or one of ${CPU_LIMITS.wholeValues.join(", ")}`;

/**
 * Every way a CPU/memory combination breaks Cloud Run's rules (empty when Cloud Run accepts it). Messages
 * show parsed numbers only, never the given text: a policy's message must not echo a value that could be
 * secret.
 */
export function resourceProblems(spec: ResourceSpec): ResourceProblem[] {
    const problems: ResourceProblem[] = [];
    const cpu = spec.cpu === undefined ? undefined : parseCpu(spec.cpu);
    const memory = spec.memory === undefined ? undefined : parseMemoryMiB(spec.memory);
    if (spec.cpu !== undefined && cpu === undefined) {
        problems.push({ field: "cpu", message: `cpu is not a CPU quantity (a number such as 2, "2" or "1000m"); allowed: ${CPU_ALLOWED_TEXT}` });
    }
    if (spec.memory !== undefined && memory === undefined) {
        problems.push({ field: "memory", message: 'memory is not a memory quantity; use Mi or Gi, e.g. "512Mi" or "2Gi"' });
    }
    if (cpu !== undefined) {
        problems.push(...cpuProblems(cpu, spec));
    }
    if (memory !== undefined) {
        const min = spec.executionEnvironment === "gen2" ? MEMORY_LIMITS_MIB.minGen2 : MEMORY_LIMITS_MIB.minGen1;
        if (memory < min || memory > MEMORY_LIMITS_MIB.max) {
            problems.push({
                field: "memory",
                message: `memory ${formatMiB(memory)} is outside ${formatMiB(min)} to ${formatMiB(MEMORY_LIMITS_MIB.max)}` +
                    (spec.executionEnvironment === "gen2" ? " (gen2 minimum)" : ""),
            });
        } else if (cpu !== undefined) {
            problems.push(...memoryForCpuProblems(cpu, memory));
        }
    }
    return problems;
}

function cpuProblems(cpu: number, spec: ResourceSpec): ResourceProblem[] {
    if (cpu < CPU_LIMITS.min || cpu > CPU_LIMITS.max) {
        return [{ field: "cpu", message: `cpu ${cpu} is outside ${CPU_LIMITS.min} to ${CPU_LIMITS.max}; allowed: ${CPU_ALLOWED_TEXT}` }];
    }
    if (cpu >= 1) {
        return CPU_LIMITS.wholeValues.includes(cpu)
            ? []
            : [{ field: "cpu", message: `cpu ${cpu} is not accepted above 1; allowed: ${CPU_LIMITS.wholeValues.join(", ")}` }];
    }
    const problems: ResourceProblem[] = [];
    const steps = cpu / CPU_LIMITS.fractionalStep;
    if (Math.abs(Math.round(steps) - steps) > 1e-6) {
        problems.push({ field: "cpu", message: `cpu ${cpu} below 1 must be a multiple of ${CPU_LIMITS.fractionalStep}` });
    }
    const rules = FRACTIONAL_CPU_RULES;
    if (spec.concurrency !== undefined && spec.concurrency !== 0 && spec.concurrency !== rules.requiredConcurrency) {
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

function memoryForCpuProblems(cpu: number, memoryMiB: number): ResourceProblem[] {
    const given = formatMiB(memoryMiB);
    if (cpu < 1) {
        const maxMiB = cpu < FRACTIONAL_CPU_RULES.over512MiNeedsCpu ? 512 : 1024;
        return memoryMiB > maxMiB
            ? [{ field: "memory", message: `memory ${given} needs more CPU than ${cpu}: at most ${formatMiB(maxMiB)} below 1 CPU (${maxMiB === 512 ? "over 512Mi needs 0.5 CPU" : "over 1Gi needs 1 CPU"})` }]
            : [];
    }
    const range = MEMORY_RANGE_BY_CPU_MIB[cpu];
    if (!range || (memoryMiB >= range.min && memoryMiB <= range.max)) {
        return [];
    }
    const minCpu = CPU_LIMITS.wholeValues.find((c) => memoryMiB <= MEMORY_RANGE_BY_CPU_MIB[c].max);
    const hint = memoryMiB > range.max
        ? `${given} needs at least ${minCpu} CPU`
        : `${cpu} CPU needs at least ${formatMiB(range.min)}`;
    return [{
        field: "memory",
        message: `memory ${given} with cpu ${cpu}: ${cpu} CPU accepts ${formatMiB(Math.max(range.min, MEMORY_LIMITS_MIB.minGen1))} to ${formatMiB(range.max)} (${hint})`,
    }];
}

// ---------------------------------------------------------------------------------------------------
// Probes (configuring/healthchecks; v2 API Probe)
// ---------------------------------------------------------------------------------------------------

/** Startup probe bounds (healthchecks page; v2 API Probe). */
export const STARTUP_PROBE_LIMITS = {
    maxInitialDelaySeconds: 240,
    minPeriodSeconds: 1,
    maxPeriodSeconds: 240,
    minFailureThreshold: 1,
    defaults: { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 },
} as const;

/**
 * A startup window (failureThreshold × periodSeconds) safe everywhere: the jobs and worker-pool pages cap it at
 * 240 s; no services page states a cap. Not a rule Cloud Run enforces on services: this program keeps to it,
 * and the pack's cap on services is a team setting.
 */
export const SAFE_STARTUP_WINDOW_SECONDS = 240;

/** The probe Cloud Run runs when a service declares no startup probe: TCP, 240 s × 1. */
export const DEFAULT_STARTUP_PROBE = { tcpSocket: {}, timeoutSeconds: 240, periodSeconds: 240, failureThreshold: 1 } as const;

/** Liveness probe bounds. */
export const LIVENESS_PROBE_LIMITS = {
    maxInitialDelaySeconds: 3600,
    minPeriodSeconds: 1,
    maxPeriodSeconds: 3600,
    minFailureThreshold: 1,
    defaults: { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 },
} as const;

export type ProbeKind = "startup" | "liveness";
const PROBE_LIMITS = { startup: STARTUP_PROBE_LIMITS, liveness: LIVENESS_PROBE_LIMITS } as const;

/** The longest startup a probe within the safe window can cover: the whole initial delay plus the whole window. */
export const MAX_STARTUP_BUDGET_SECONDS = STARTUP_PROBE_LIMITS.maxInitialDelaySeconds + SAFE_STARTUP_WINDOW_SECONDS;

/** Timing fields of a probe; unset fields take Cloud Run's defaults. */
export interface ProbeTiming {
    initialDelaySeconds?: number;
    periodSeconds?: number;
    timeoutSeconds?: number;
    failureThreshold?: number;
}

export const PROBE_TIMING_FIELDS = ["initialDelaySeconds", "periodSeconds", "timeoutSeconds", "failureThreshold"] as const;

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
 * A startup probe timing whose window (initialDelay + failureThreshold × period) covers `seconds`: the failure
 * window takes up to SAFE_STARTUP_WINDOW_SECONDS, the rest becomes initial delay, so a fast start is still
 * noticed within one period. `seconds` must be 1 to MAX_STARTUP_BUDGET_SECONDS.
 */
export function startupTimingCovering(
    seconds: number,
    options: { periodSeconds: number; timeoutSeconds: number; minFailureThreshold: number },
): Required<ProbeTiming> {
    const coveredByWindow = Math.min(seconds, SAFE_STARTUP_WINDOW_SECONDS);
    return {
        initialDelaySeconds: seconds - coveredByWindow,
        periodSeconds: options.periodSeconds,
        timeoutSeconds: options.timeoutSeconds,
        failureThreshold: Math.max(options.minFailureThreshold, Math.ceil(coveredByWindow / options.periodSeconds)),
    };
}

/**
 * Every way a probe's timing breaks Cloud Run's bounds (empty when it is accepted). Fields named in `unknown`
 * are not known yet: only the checks that need them are skipped (an unknown initialDelaySeconds does not hide
 * timeoutSeconds > periodSeconds). Unset fields take Cloud Run's defaults.
 */
export function probeBoundProblems(kind: ProbeKind, probe: ProbeTiming, unknown: ReadonlySet<string> = new Set()): string[] {
    const l = PROBE_LIMITS[kind];
    const known = (field: keyof ProbeTiming) => !unknown.has(field);
    const value = (field: keyof ProbeTiming) => probe[field] ?? l.defaults[field];
    const problems: string[] = [];
    if (known("initialDelaySeconds") && (value("initialDelaySeconds") < 0 || value("initialDelaySeconds") > l.maxInitialDelaySeconds)) {
        problems.push(`initialDelaySeconds ${value("initialDelaySeconds")} is outside 0 to ${l.maxInitialDelaySeconds}`);
    }
    if (known("periodSeconds") && (value("periodSeconds") < l.minPeriodSeconds || value("periodSeconds") > l.maxPeriodSeconds)) {
        problems.push(`periodSeconds ${value("periodSeconds")} is outside ${l.minPeriodSeconds} to ${l.maxPeriodSeconds}`);
    }
    if (known("timeoutSeconds") && value("timeoutSeconds") < 1) {
        problems.push(`timeoutSeconds ${value("timeoutSeconds")} must be at least 1`);
    } else if (known("timeoutSeconds") && known("periodSeconds") && value("timeoutSeconds") > value("periodSeconds")) {
        problems.push(`timeoutSeconds ${value("timeoutSeconds")} must be at most periodSeconds (${value("periodSeconds")})`);
    }
    if (known("failureThreshold") && value("failureThreshold") < l.minFailureThreshold) {
        problems.push(`failureThreshold ${value("failureThreshold")} must be at least ${l.minFailureThreshold}`);
    }
    return problems;
}

/** Startup-probe bounds: probeBoundProblems("startup", ...). */
export function startupProbeBoundProblems(probe: ProbeTiming): string[] {
    return probeBoundProblems("startup", probe);
}

// ---------------------------------------------------------------------------------------------------
// Request handling and scaling
// ---------------------------------------------------------------------------------------------------

/** Request timeout (template.timeout, e.g. "600s"). */
export const REQUEST_TIMEOUT_LIMITS = { minSeconds: 1, defaultSeconds: 300, maxSeconds: 3600 } as const;

/** The most instances a service scales out to when no maximum is set (configuring/max-instances: "By default, Cloud Run services are configured to scale out to a maximum of 100 instances"). */
export const DEFAULT_SERVICE_MAX_INSTANCES = 100;

/** Tasks of a job execution when taskCount is unset (v2 API); parallelism unset or 0 runs as many of them at once as possible. */
export const DEFAULT_JOB_TASK_COUNT = 1;

/** Requests one instance serves at once (about-concurrency). 0 is proto3's "unset": Cloud Run then chooses. */
export const CONCURRENCY_LIMITS = { min: 1, default: 80, max: 1000 } as const;

/** Container port. 0 is proto3's "unset" (outputs carry zero values): the default applies. */
export const CONTAINER_PORT_LIMITS = { min: 1, max: 65535, default: 8080 } as const;

/** Containers per instance: the ingress container plus sidecars (deploying#sidecars). */
export const CONTAINER_LIMITS = { maxContainers: 10 } as const;

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

/**
 * Names Cloud Run sets itself; a revision that sets one is rejected (container-contract). PORT is injected into a
 * service's ingress container only: a sidecar may set it (Google's multi-container examples do).
 */
export const RESERVED_ENV_NAMES: readonly string[] = ["PORT", "K_SERVICE", "K_REVISION", "K_CONFIGURATION"];
export const INGRESS_ONLY_RESERVED_ENV_NAMES: readonly string[] = ["PORT"];

/**
 * A job's container contract variables (container-contract#jobs): "The environment variables defined in the
 * container runtime contract are reserved and cannot be set" (configuring/jobs/environment-variables).
 */
export const JOB_RESERVED_ENV_NAMES: readonly string[] = [
    "CLOUD_RUN_JOB", "CLOUD_RUN_EXECUTION", "CLOUD_RUN_TASK_INDEX", "CLOUD_RUN_TASK_ATTEMPT", "CLOUD_RUN_TASK_COUNT",
];

/** Env variable names and sizes Cloud Run accepts. */
export const ENV_LIMITS = { nameRe: /^[A-Za-z_][A-Za-z0-9_]*$/, maxVariables: 1000, maxValueLength: 32768 } as const;
/** ENV_LIMITS.nameRe in words, for errors. */
export const ENV_NAME_WORDS = 'an env variable name such as "DATABASE_URL" (letters, digits and "_", not starting with a digit)';

/** The role a runtime service account needs on each secret it reads. */
export const SECRET_ACCESSOR_ROLE = "roles/secretmanager.secretAccessor";

/** Secret ids (Secret Manager) and versions: a positive number, "latest", or a version alias. */
export const SECRET_LIMITS = {
    idRe: /^[A-Za-z0-9_-]{1,255}$/,
    versionRe: /^(latest|[1-9][0-9]*|[A-Za-z][A-Za-z0-9_-]{0,62})$/,
} as const;

/** Project ids (6-30 lowercase letters, digits, hyphens; legacy domain-scoped ids have "domain:") or numbers. */
export const PROJECT_REF_RE = /^(?:[a-z0-9.-]{1,63}:)?[a-z][-a-z0-9]{4,28}[a-z0-9]$|^[0-9]{1,20}$/;
/** Regions and zones ("europe-west1"). */
export const LOCATION_RE = /^[a-z]+(?:-[a-z0-9]+){1,3}$/;

/** The floating secret version: the value read at instance start can change under a running service. */
export const SECRET_VERSION_LATEST = "latest";

const SECRET_PATH_RE = /^projects\/([^/]+)\/(?:locations\/([^/]+)\/)?secrets\/([^/]+)$/;
/** A JSON-schema pattern for a secret named bare or by path (policy config such as externalSecrets). */
export const SECRET_NAME_PATTERN = `^(${inner(SECRET_LIMITS.idRe)}|projects/[^/]+/(locations/[^/]+/)?secrets/${inner(SECRET_LIMITS.idRe)})$`;
/** SECRET_NAME_PATTERN in words, for errors. */
export const SECRET_NAME_WORDS = 'a secret id such as "db-url" (1-255 letters, digits, "-" or "_"), or its path ' +
    '"projects/<project>/secrets/<id>" or "projects/<project>/locations/<region>/secrets/<id>"';


/** A secret named bare ("db-url") or by path ("projects/p/secrets/db-url"; regional: "projects/p/locations/l/secrets/db-url"). */
export interface SecretName {
    project?: string;
    /** Regional secrets only. */
    location?: string;
    secretId: string;
}

/**
 * Splits a secret reference into project, location and id. Undefined unless every part is a well-formed id,
 * so a parsed name is safe to show in a message.
 */
export function parseSecretName(value: unknown): SecretName | undefined {
    if (typeof value !== "string" || value === "") {
        return undefined;
    }
    const path = SECRET_PATH_RE.exec(value);
    if (path) {
        const [, project, location, secretId] = path;
        const ok = PROJECT_REF_RE.test(project) && SECRET_LIMITS.idRe.test(secretId) && (location === undefined || LOCATION_RE.test(location));
        return ok ? { project, secretId, ...(location !== undefined ? { location } : {}) } : undefined;
    }
    return SECRET_LIMITS.idRe.test(value) ? { secretId: value } : undefined;
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

/**
 * minThroughput / maxThroughput count 100 Mbps per connector instance whatever the machine type: the API field
 * docs say they refer "to the expected throughput when using an e2-micro machine type", their ranges (200-900,
 * 300-1000 in steps of 100) are the instance ranges (2-9, 3-10) times 100, and the API derives them from the
 * instance counts when those are set (Terraform provider 6.0 upgrade guide).
 */
export const CONNECTOR_THROUGHPUT_UNIT_MBPS = 100;

/** Serverless VPC Access connector limits. */
export const CONNECTOR_LIMITS = {
    nameRe: /^[a-z][-a-z0-9]{0,23}[a-z0-9]$/,
    ipCidrPrefixLength: 28,
    minInstances: { min: 2, max: 9 },
    maxInstances: { min: 3, max: 10 },
    minThroughput: { min: 200, max: 900 },
    maxThroughput: { min: 300, max: 1000 },
    throughputStep: CONNECTOR_THROUGHPUT_UNIT_MBPS,
    machineTypes: ["e2-micro", "f1-micro", "e2-standard-4"] as readonly string[],
    defaultMachineType: "e2-micro",
} as const;

/**
 * What a connector of each machine type carries, in Mbps, from its smallest (2 instances) to its largest size
 * (10 instances): Google's "Throughput and scaling" table (CLOUD_RUN_DOCS.connectorThroughput). That section of
 * the page could not be read here; the figures come from third-party copies of the table that link to it
 * (javiercanadillas/cloudrun-direct-vpc-egress README.md, whose "43200" for e2-standard-4 is a typo for 3200).
 * Google states no per-instance figure; each range is exactly 2 and 10 times the per-instance value below.
 */
export const CONNECTOR_THROUGHPUT_MBPS: Readonly<Record<string, { min: number; max: number }>> = {
    "f1-micro": { min: 100, max: 500 },
    "e2-micro": { min: 200, max: 1000 },
    "e2-standard-4": { min: 3200, max: 16000 },
};

/** Mbps one connector instance of the machine type carries (its table range over 2..10 instances). */
export function connectorInstanceMbps(machineType: string): number | undefined {
    const range = Object.prototype.hasOwnProperty.call(CONNECTOR_THROUGHPUT_MBPS, machineType) ? CONNECTOR_THROUGHPUT_MBPS[machineType] : undefined;
    return range && range.max / CONNECTOR_LIMITS.maxInstances.max;
}

/** A JSON-schema pattern for a connector named bare or by id (policy config such as externalConnectors). */
export const CONNECTOR_REF_PATTERN = `^(${inner(CONNECTOR_LIMITS.nameRe)}|projects/[^/]+/locations/[^/]+/connectors/${inner(CONNECTOR_LIMITS.nameRe)})$`;
/** CONNECTOR_REF_PATTERN in words, for errors. */
export const CONNECTOR_REF_WORDS = 'a connector name such as "backend-egress" (2-25 lowercase letters, digits or hyphens, starting with a letter, ' +
    'not ending with a hyphen), or its id "projects/<project>/locations/<region>/connectors/<name>"';

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

/** An IPv4 CIDR range taken apart: the network address it names, and whether the given address had host bits set. */
export interface Ipv4Cidr {
    prefixLength: number;
    /** The network address with the prefix ("10.8.0.5/28" -> "10.8.0.0/28"). */
    network: string;
    /** True when the address is not the network address (bits set below the prefix). */
    hostBitsSet: boolean;
}

/** Parses an IPv4 CIDR ("10.8.0.5/28"). Undefined when it is not one. */
export function parseIpv4Cidr(value: unknown): Ipv4Cidr | undefined {
    const prefixLength = cidrPrefixLength(value);
    if (prefixLength === undefined) {
        return undefined;
    }
    // Arithmetic, not bitwise operators: JavaScript's are signed 32-bit, and 10.x.x.x and above overflow them.
    const address = (value as string).split("/")[0].split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
    const hostCount = 2 ** (32 - prefixLength);
    const network = address - (address % hostCount);
    const octets = [3, 2, 1, 0].map((i) => Math.floor(network / 256 ** i) % 256);
    return { prefixLength, network: `${octets.join(".")}/${prefixLength}`, hostBitsSet: network !== address };
}

/** Every way a connector's name, range, sizing or machine type breaks the limits. */
export function connectorProblems(spec: ConnectorSpec): ConnectorProblem[] {
    const l = CONNECTOR_LIMITS;
    const problems: ConnectorProblem[] = [];
    if (spec.name !== undefined && (typeof spec.name !== "string" || !l.nameRe.test(spec.name))) {
        problems.push({ field: "name", message: `name must match ${l.nameRe.source} (2-25 chars: lowercase letters, digits, hyphens)` });
    }
    if (spec.ipCidrRange !== undefined && cidrPrefixLength(spec.ipCidrRange) !== l.ipCidrPrefixLength) {
        const prefix = cidrPrefixLength(spec.ipCidrRange);
        problems.push({ field: "ipCidrRange", message: `ipCidrRange ${prefix === undefined ? "is not an IPv4 CIDR range" : `is a /${prefix}`}; it must be an unused IPv4 /${l.ipCidrPrefixLength}, e.g. "10.8.0.0/28"` });
    }
    if (spec.machineType !== undefined && (typeof spec.machineType !== "string" || !l.machineTypes.includes(spec.machineType))) {
        problems.push({ field: "machineType", message: `machineType must be one of ${l.machineTypes.join(", ")}` });
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
            problems.push({ field, message: `${field}${typeof value === "number" ? ` ${value}` : ""} must be ${bounds.min} to ${bounds.max}${step > 1 ? ` in steps of ${step}` : ""}` });
        }
    };
    check(minField, min, minBounds);
    check(maxField, max, maxBounds);
    if (typeof min === "number" && typeof max === "number" && max <= min) {
        problems.push({ field: maxField, message: `${maxField} ${max} must be greater than ${minField} ${min}` });
    }
    return problems;
}

/** A whole-string regex's body without its ^ and $ anchors, to compose larger patterns from it. */
function inner(re: RegExp): string {
    return re.source.replace(/^\^/, "").replace(/\$$/, "");
}

/**
 * The regions Cloud Run runs in, each with its price tier. Source: the "Regional price tiers" section of
 * https://cloud.google.com/run/pricing (stored copy harvested 2025-08-19, read 2026-11-24); asia-south1 moved
 * from Tier 2 (older locations page) to Tier 1 there. asia-southeast3 and us-east7 appear on that page only
 * for instance-based billing, jobs and worker pools, in neither tier list: their tier is unknown.
 * Config validation rejects a region not listed here; the cost estimate prices by the tier.
 */
export const CLOUD_RUN_REGION_TIERS: Readonly<Record<string, 1 | 2 | undefined>> = {
    "asia-east1": 1, "asia-northeast1": 1, "asia-northeast2": 1, "asia-south1": 1, "europe-north1": 1,
    "europe-north2": 1, "europe-southwest1": 1, "europe-west1": 1, "europe-west4": 1, "europe-west8": 1,
    "europe-west9": 1, "me-west1": 1, "northamerica-south1": 1, "us-central1": 1, "us-east1": 1, "us-east4": 1,
    "us-east5": 1, "us-south1": 1, "us-west1": 1, "us-west8": 1,
    "africa-south1": 2, "asia-east2": 2, "asia-northeast3": 2, "asia-southeast1": 2, "asia-southeast2": 2,
    "asia-south2": 2, "australia-southeast1": 2, "australia-southeast2": 2, "europe-central2": 2,
    "europe-west10": 2, "europe-west12": 2, "europe-west2": 2, "europe-west3": 2, "europe-west6": 2,
    "me-central1": 2, "me-central2": 2, "northamerica-northeast1": 2, "northamerica-northeast2": 2,
    "southamerica-east1": 2, "southamerica-west1": 2, "us-west2": 2, "us-west3": 2, "us-west4": 2,
    "asia-southeast3": undefined, "us-east7": undefined,
};

/** Cloud Run's regions, sorted (for messages and "did you mean"). */
export const CLOUD_RUN_REGIONS: readonly string[] = Object.keys(CLOUD_RUN_REGION_TIERS).sort();
