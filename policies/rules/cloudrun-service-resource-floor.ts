/**
 * A revision that starts with Cloud Run's default 1 CPU / 512Mi starved the backend during startup. Every
 * container must declare CPU and memory limits at or above a floor.
 */
import { CLOUD_RUN_DOCS, DEFAULT_RESOURCES, parseCpu, parseMemoryMiB, show } from "../lib/cloud-run-limits";
import { ContainerView } from "../lib/cloud-run-service";
import { definePolicyConfig } from "../lib/config";
import { Finding, needsKnown, problem } from "../lib/findings";
import { PackResourcePolicy } from "../lib/pack-policy";
import { PropNode, isAbsent, isUnknown } from "../lib/props";
import { checkEveryContainer, validateServices } from "../lib/validation";

const config = definePolicyConfig({
    minCpu: {
        type: "number",
        default: 2,
        exclusiveMinimum: 0,
        description: "Smallest CPU limit a container may declare.",
    },
    minMemory: {
        type: "string",
        default: "2Gi",
        pattern: "^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$",
        description: "Smallest memory limit a container may declare, as a quantity such as \"2Gi\".",
    },
});

interface Floor {
    minCpu: number;
    minMemoryText: string;
    minMemoryMiB: number;
}

function belowFloor(container: ContainerView, floor: Floor): Finding[] {
    return [
        ...limitBelow(container, "cpu", container.cpu, `${DEFAULT_RESOURCES.cpu} CPU`, parseCpu, floor.minCpu, String(floor.minCpu)),
        ...limitBelow(container, "memory", container.memory, DEFAULT_RESOURCES.memory, parseMemoryMiB, floor.minMemoryMiB, floor.minMemoryText),
    ];
}

function limitBelow(
    container: ContainerView, field: "cpu" | "memory", node: PropNode, cloudRunDefault: string,
    parse: (value: unknown) => number | undefined, minimum: number, minimumText: string,
): Finding[] {
    const fix = `set resources.limits.${field} to at least "${minimumText}"`;
    if (isUnknown(node)) {
        return [needsKnown(node)];
    }
    if (isAbsent(node)) {
        return [problem(`${container.label}: ${field} limit is unset, so Cloud Run gives it the default ${cloudRunDefault}; ${fix}`)];
    }
    const value = parse(node.value);
    if (value === undefined) {
        return [problem(`${container.label}: ${field} limit ${show(node.value)} is not a ${field} quantity; ${fix}`)];
    }
    return value < minimum ? [problem(`${container.label}: ${field} limit ${show(node.value)} is below the floor "${minimumText}"; ${fix}`)] : [];
}

export const cloudrunServiceResourceFloor: PackResourcePolicy = {
    name: "cloudrun-service-resource-floor",
    description:
        "Stops Cloud Run revisions that would start with too little CPU or memory (unset limits mean 1 CPU / 512Mi). " +
        "Declare resources.limits.cpu and resources.limits.memory at or above the floor on every container.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        `On each container set resources: { limits: { cpu: "${config.defaults.minCpu}", memory: "${config.defaults.minMemory}" } } or more ` +
        "(at least minCpu and minMemory). " +
        "Pick a CPU/memory pair Cloud Run accepts (see cloudrun-service-valid-resources).",
    url: CLOUD_RUN_DOCS.cpu,
    configSchema: config.schema,
    validateResource: validateServices((view, args) => {
        const { minCpu, minMemory } = config.read(args);
        const minMemoryMiB = parseMemoryMiB(minMemory);
        const floor = minMemoryMiB === undefined
            ? { minCpu, minMemoryText: config.defaults.minMemory, minMemoryMiB: parseMemoryMiB(config.defaults.minMemory) ?? 0 }
            : { minCpu, minMemoryText: minMemory, minMemoryMiB };
        return checkEveryContainer(view, (container) => belowFloor(container, floor));
    }),
};
