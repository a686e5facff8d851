/**
 * Team requirement: a revision that started with Cloud Run's default 1 CPU / 512Mi starved the backend during
 * startup. The main container (a service's ingress container; a job's or worker pool's first container, or
 * every container with everyContainer) must declare CPU and memory limits at or above a floor.
 */
import { CLOUD_RUN_DOCS, CPU_LIMITS, DEFAULT_RESOURCES, MEMORY_LIMITS_MIB, formatMiB, parseCpu, parseMemoryMiB } from "../lib/cloud-run-limits";
import { definePolicyConfig } from "../lib/config";
import { Finding, needsKnown, problem } from "../lib/findings";
import { PackResourcePolicy } from "../lib/pack-policy";
import { PropNode, isAbsent, isUnknown, zeroAsAbsent } from "../lib/props";
import { ALL_WORKLOADS, checkMainContainers, validateWorkloads } from "../lib/validation";
import { ContainerView } from "../lib/workload";

/** A positive Kubernetes quantity (no lookahead: the engine's validator is RE2). */
const POSITIVE_MEMORY_PATTERN = "^([1-9][0-9]*(\\.[0-9]+)?|0\\.[0-9]*[1-9][0-9]*)(Ki|Mi|Gi|Ti|k|M|G|T)?$";

const config = definePolicyConfig("cloudrun-service-resource-floor", {
    minCpu: {
        type: "number",
        default: 2,
        exclusiveMinimum: 0,
        maximum: CPU_LIMITS.max,
        description: `Smallest CPU limit the main container may declare (at most ${CPU_LIMITS.max}).`,
    },
    minMemory: {
        type: "string",
        default: "2Gi",
        pattern: POSITIVE_MEMORY_PATTERN,
        // Form first: an error about the pattern quotes this description.
        description: `A positive memory quantity such as "2Gi" or "512Mi" (at most ${formatMiB(MEMORY_LIMITS_MIB.max)}): ` +
            "the smallest memory limit the main container may declare.",
    },
    everyContainer: {
        type: "boolean",
        default: false,
        description: "Apply the floor to every container (sidecars too), not only the main one.",
    },
}, (cfg) => {
    const mib = parseMemoryMiB(cfg.minMemory);
    return mib === undefined || mib > MEMORY_LIMITS_MIB.max ? [`minMemory must be a memory quantity up to ${formatMiB(MEMORY_LIMITS_MIB.max)}`] : [];
});

function limitBelow(
    container: ContainerView, field: "cpu" | "memory", node: PropNode, cloudRunDefault: string,
    parse: (value: unknown) => number | undefined, minimum: number, minimumText: string, format: (n: number) => string,
): Finding[] {
    const fix = `set resources.limits.${field} to at least "${minimumText}"`;
    const set = zeroAsAbsent(node);
    if (isUnknown(set)) {
        return [needsKnown(set)];
    }
    if (isAbsent(set)) {
        return [problem(`${container.label}: ${field} limit is unset, so Cloud Run gives it the default ${cloudRunDefault}; ${fix}`, set)];
    }
    const value = parse(set.value);
    if (value === undefined) {
        return [problem(`${container.label}: ${field} limit is not a ${field} quantity; ${fix}`, set)];
    }
    return value < minimum ? [problem(`${container.label}: ${field} limit ${format(value)} is below the floor "${minimumText}"; ${fix}`, set)] : [];
}

export const cloudrunServiceResourceFloor: PackResourcePolicy = {
    name: "cloudrun-service-resource-floor",
    description:
        "Team requirement: stops revisions whose main container would start with too little CPU or memory (unset limits mean 1 CPU / 512Mi). " +
        "Declare resources.limits.cpu and resources.limits.memory at or above the floor.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        `On the ingress container (a job's or worker pool's first container) set resources: { limits: { cpu: "${config.defaults.minCpu}", memory: "${config.defaults.minMemory}" } } or more ` +
        "(at least minCpu and minMemory; everyContainer extends the floor to sidecars). " +
        "Pick a CPU/memory pair Cloud Run accepts (see cloudrun-service-valid-resources).",
    url: CLOUD_RUN_DOCS.cpu,
    configSchema: config.schema,
    validateResource: validateWorkloads(ALL_WORKLOADS, (view, args) => {
        const { minCpu, minMemory, everyContainer } = config.read(args);
        const minMemoryMiB = parseMemoryMiB(minMemory) ?? 0;
        return checkMainContainers(view, everyContainer, (container) => [
            ...limitBelow(container, "cpu", container.cpu, `${DEFAULT_RESOURCES.cpu} CPU`, parseCpu, minCpu, String(minCpu), String),
            ...limitBelow(container, "memory", container.memory, DEFAULT_RESOURCES.memory, parseMemoryMiB, minMemoryMiB, minMemory, formatMiB),
        ]);
    }),
};
