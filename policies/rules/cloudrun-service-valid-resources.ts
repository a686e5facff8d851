/**
 * CPU/memory combinations Cloud Run rejects at deploy time (e.g. 4 CPU with 1Gi, 64Gi on any CPU, an L4 GPU
 * with 2 CPU) fail `pulumi up` after the preview looked clean. Every container of every service, job and
 * worker pool. The rules themselves live in cloud-run-limits.
 */
import {
    CLOUD_RUN_DOCS, CPU_ALLOWED_TEXT, CPU_IDLE_DEFAULTS, CPU_LIMITS, DEFAULT_RESOURCES, EXECUTION_ENVIRONMENTS, ExecutionEnvironment,
    FRACTIONAL_CPU_RULES, GPU_REQUIREMENTS, MEMORY_RANGE_BY_CPU_MIB, ResourceSpec, formatMiB, gpuProblems, parseCpu, resourceProblems,
} from "../lib/cloud-run-limits";
import { Finding, needsKnown, problem } from "../lib/findings";
import { PackResourcePolicy } from "../lib/pack-policy";
import { PropNode, asBoolean, asString, isAbsent, isUnknown, zeroAsAbsent } from "../lib/props";
import { enumText } from "../lib/safe-text";
import { ALL_WORKLOADS, checkEveryContainer, validateWorkloads } from "../lib/validation";
import { ContainerView, V1_ANNOTATIONS, WorkloadView, countOf, ingressContainer } from "../lib/workload";

/** A limit's value for the rules: its own, Cloud Run's default when unset, or undefined while unknown. */
function limitValue(node: PropNode, fallback: string): { value: unknown; defaulted: boolean } {
    const set = zeroAsAbsent(node);
    if (isUnknown(set)) {
        return { value: undefined, defaulted: false };
    }
    return isAbsent(set) ? { value: fallback, defaulted: true } : { value: set.value, defaulted: false };
}

function containerProblems(view: WorkloadView, container: ContainerView, environment: ExecutionEnvironment | undefined): Finding[] {
    if (isUnknown(container.node) || isUnknown(container.resources) || isUnknown(container.limits)) {
        return [needsKnown([container.node, container.resources, container.limits].find(isUnknown) ?? container.limits)];
    }
    const pending: Finding[] = [container.cpu, container.memory].filter(isUnknown).map(needsKnown);
    if (isAbsent(zeroAsAbsent(container.limits)) && !gpuAccelerator(view, container)) {
        return pending; // Cloud Run's defaults are a valid pair; the floor is another policy's concern.
    }
    const cpu = limitValue(container.cpu, DEFAULT_RESOURCES.cpu);
    const memory = limitValue(container.memory, DEFAULT_RESOURCES.memory);
    const fractional = (parseCpu(cpu.value) ?? Infinity) < 1;

    // Concurrency, cpuIdle and the execution environment matter only below 1 CPU, and only for services
    // (jobs and worker pools serve no requests and have no cpuIdle).
    const service = view.kind === "service";
    const settings = service ? [view.concurrency, container.cpuIdle, view.executionEnvironment] : [view.executionEnvironment];
    if (fractional) {
        pending.push(...settings.filter(isUnknown).map(needsKnown));
    }
    // 0 or unset concurrency lets Cloud Run choose (1 below 1 CPU), so neither is a violation.
    const concurrency = service ? countOf(zeroAsAbsent(view.concurrency)) : undefined;
    // v1 throttles CPU by default, so an unset annotation is not the v2 "resources set" default.
    const cpuIdleNode = container.cpuIdle;
    const cpuIdle = !service ? undefined
        : isAbsent(cpuIdleNode) ? (view.generation === "v2" ? CPU_IDLE_DEFAULTS.resourcesSet : undefined) : asBoolean(cpuIdleNode);
    const cpuIdleDefaulted = service && isAbsent(cpuIdleNode) && view.generation === "v2";

    const spec: ResourceSpec = {
        cpu: cpu.value,
        memory: memory.value,
        concurrency,
        cpuIdle,
        executionEnvironment: environment,
    };
    const defaulted = new Set<string>([
        ...(cpu.defaulted ? ["cpu"] : []),
        ...(memory.defaulted ? ["memory"] : []),
        ...(cpuIdleDefaulted ? ["cpuIdle"] : []),
    ]);
    const note = (field: string) => (defaulted.has(field) ? ` (${field} is unset, so Cloud Run's default applies)` : "");
    const fieldNode = (field: string): PropNode | undefined =>
        ({ cpu: container.cpu, memory: container.memory, cpuIdle: cpuIdleNode, concurrency: view.concurrency } as Record<string, PropNode>)[field];
    const problems = resourceProblems(service ? spec : { cpu: spec.cpu, memory: spec.memory, executionEnvironment: environment })
        .map((p) => problem(`${container.label}: ${p.message}${note(p.field)}`, fieldNode(p.field)));
    const accelerator = gpuAccelerator(view, container);
    if (accelerator && isUnknown(cpuIdleNode) && service) {
        pending.push(needsKnown(cpuIdleNode));
    }
    const gpu = accelerator
        ? gpuProblems(accelerator, { cpu: cpu.value, memory: memory.value, cpuIdle }).map((p) => problem(`${container.label}: ${p.message}${note(p.field)}`, fieldNode(p.field)))
        : [];
    return [...problems, ...gpu, ...pending];
}

/**
 * The accelerator a container's GPU is: the template's nodeSelector.accelerator, for the container that
 * declares a GPU limit (or, when none declares one, the ingress container of a service).
 */
function gpuAccelerator(view: WorkloadView, container: ContainerView): string | undefined {
    const accelerator = enumText(asString(view.accelerator), Object.keys(GPU_REQUIREMENTS));
    if (!accelerator) {
        return undefined;
    }
    const withGpu = view.containers.filter((c) => !isAbsent(zeroAsAbsent(c.gpu)));
    if (withGpu.length > 0) {
        return withGpu.includes(container) ? accelerator : undefined;
    }
    const ingress = ingressContainer(view);
    const main = ingress.kind === "found" ? ingress.container : view.containers[0];
    return main === container ? accelerator : undefined;
}

function executionEnvironment(view: WorkloadView): { value: ExecutionEnvironment | undefined; findings: Finding[] } {
    const set = zeroAsAbsent(view.executionEnvironment);
    if (isAbsent(set) || isUnknown(set)) {
        return { value: undefined, findings: [] };
    }
    const value = enumText(set.value, ["gen1", "gen2"] as const);
    if (value) {
        return { value, findings: [] };
    }
    return {
        value: undefined,
        findings: [problem(view.generation === "v2"
            ? `${view.fields.template}.executionEnvironment is not one of ${Object.keys(EXECUTION_ENVIRONMENTS).filter((k) => k.startsWith("EXECUTION")).join(", ")}`
            : `the ${V1_ANNOTATIONS.executionEnvironment} annotation is not one of gen1, gen2`)],
    };
}

/** "1 CPU: up to 4Gi, ..." from the limits table. */
function memoryTableText(): string {
    return CPU_LIMITS.wholeValues
        .map((cpu) => {
            const range = MEMORY_RANGE_BY_CPU_MIB[cpu];
            return range.min > 0 ? `${cpu} CPU ${formatMiB(range.min)}-${formatMiB(range.max)}` : `${cpu} CPU up to ${formatMiB(range.max)}`;
        })
        .join(", ");
}

export const cloudrunServiceValidResources: PackResourcePolicy = {
    name: "cloudrun-service-valid-resources",
    description:
        "Stops CPU/memory settings Cloud Run rejects at deploy time (CPU values, memory per CPU, fractional-CPU rules, GPU minimums) on any container " +
        "of a service, job or worker pool. Choose a CPU value and memory limit from Cloud Run's table.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        `Use a CPU value Cloud Run accepts (${CPU_ALLOWED_TEXT}) and a memory limit that CPU accepts: ${memoryTableText()}. ` +
        `Below 1 CPU also leave concurrency unset or set it to ${FRACTIONAL_CPU_RULES.requiredConcurrency}, set cpuIdle true and the ${FRACTIONAL_CPU_RULES.requiredExecutionEnvironment} execution environment. ` +
        `An nvidia-l4 GPU needs at least ${GPU_REQUIREMENTS["nvidia-l4"].minCpu} CPU, ${formatMiB(GPU_REQUIREMENTS["nvidia-l4"].minMemoryMiB)} and cpuIdle false.`,
    url: CLOUD_RUN_DOCS.memory,
    validateResource: validateWorkloads(ALL_WORKLOADS, (view) => {
        const environment = executionEnvironment(view);
        return [
            ...environment.findings,
            // The GPU minimums depend on which accelerator; everything else is decided without it.
            ...(isUnknown(view.accelerator) ? [needsKnown(view.accelerator)] : []),
            ...checkEveryContainer(view, (container) => containerProblems(view, container, environment.value)),
        ];
    }),
};
