/**
 * CPU/memory combinations Cloud Run rejects at deploy time (e.g. 4 CPU with 1Gi, 0.5 CPU with concurrency
 * 80) fail `pulumi up` after the preview looked clean. The rules themselves live in cloud-run-limits.
 */
import {
    CLOUD_RUN_DOCS, CONCURRENCY_LIMITS, CPU_ALLOWED_TEXT, CPU_IDLE_DEFAULTS, CPU_LIMITS, DEFAULT_RESOURCES,
    EXECUTION_ENVIRONMENTS, ExecutionEnvironment, FRACTIONAL_CPU_RULES, MEMORY_RANGE_BY_CPU_MIB, ResourceSpec, formatMiB,
    parseCpu, resourceProblems, show,
} from "../lib/cloud-run-limits";
import { ContainerView, ServiceView } from "../lib/cloud-run-service";
import { Finding, needsKnown, problem } from "../lib/findings";
import { PackResourcePolicy } from "../lib/pack-policy";
import { PropNode, asBoolean, asNumber, isAbsent, isUnknown } from "../lib/props";
import { checkEveryContainer, validateServices } from "../lib/validation";

/** A field's value for the rules: its own, or Cloud Run's default when unset (remembering which). */
interface Effective<T> {
    value: T | undefined;
    defaulted: boolean;
}

function effective<T>(node: PropNode, read: (node: PropNode) => T | undefined, fallback: T | undefined): Effective<T> {
    return isAbsent(node) ? { value: fallback, defaulted: fallback !== undefined } : { value: read(node), defaulted: false };
}

function containerProblems(view: ServiceView, container: ContainerView, environment: ExecutionEnvironment | undefined): Finding[] {
    if (isUnknown(container.limits) || isUnknown(container.cpu) || isUnknown(container.memory)) {
        return [needsKnown([container.limits, container.cpu, container.memory].find(isUnknown) ?? container.limits)];
    }
    if (isAbsent(container.limits)) {
        return []; // Cloud Run's defaults are a valid pair; the floor is another policy's concern.
    }
    const cpu = effective(container.cpu, (n) => n.value, DEFAULT_RESOURCES.cpu as unknown);
    const memory = effective(container.memory, (n) => n.value, DEFAULT_RESOURCES.memory as unknown);
    const fractional = (parseCpu(cpu.value) ?? Infinity) < 1;

    // Concurrency, cpuIdle and the execution environment matter only below 1 CPU.
    const settings = [view.concurrency, container.cpuIdle, view.executionEnvironment];
    const pending = fractional ? settings.filter(isUnknown).map(needsKnown) : [];
    const concurrency = effective(view.concurrency, asNumber, CONCURRENCY_LIMITS.default);
    // v1 throttles CPU by default, so an unset annotation is not the v2 "resources set" default.
    const cpuIdle = effective(container.cpuIdle, asBoolean, view.generation === "v2" ? CPU_IDLE_DEFAULTS.resourcesSet : undefined);

    const spec: ResourceSpec = {
        cpu: cpu.value,
        memory: memory.value,
        concurrency: concurrency.value,
        cpuIdle: cpuIdle.value,
        executionEnvironment: environment,
    };
    const defaulted = new Set<string>([
        ...(cpu.defaulted ? ["cpu"] : []),
        ...(memory.defaulted ? ["memory"] : []),
        ...(concurrency.defaulted ? ["concurrency"] : []),
        ...(cpuIdle.defaulted ? ["cpuIdle"] : []),
    ]);
    const problems = resourceProblems(spec).map((p) =>
        problem(`${container.label}: ${p.message}${defaulted.has(p.field) ? ` (${p.field} is unset, so Cloud Run's default applies)` : ""}`));
    return [...problems, ...pending];
}

function executionEnvironment(node: PropNode): { value: ExecutionEnvironment | undefined; findings: Finding[] } {
    if (isAbsent(node) || isUnknown(node)) {
        return { value: undefined, findings: [] };
    }
    const value = node.value;
    if (value === "gen1" || value === "gen2") {
        return { value, findings: [] };
    }
    return {
        value: undefined,
        findings: [problem(`executionEnvironment ${show(value)} is not one of ${Object.keys(EXECUTION_ENVIRONMENTS).join(", ")}`)],
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
        "Stops CPU/memory settings Cloud Run rejects at deploy time (CPU values, memory per CPU, fractional-CPU rules). " +
        "Choose a CPU value and memory limit from Cloud Run's table.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        `Use a CPU value Cloud Run accepts (${CPU_ALLOWED_TEXT}) and a memory limit that CPU accepts: ${memoryTableText()}. ` +
        `Below 1 CPU also set concurrency ${FRACTIONAL_CPU_RULES.requiredConcurrency}, cpuIdle true and the ${FRACTIONAL_CPU_RULES.requiredExecutionEnvironment} execution environment.`,
    url: CLOUD_RUN_DOCS.memory,
    validateResource: validateServices((view) => {
        const environment = executionEnvironment(view.executionEnvironment);
        return [
            ...environment.findings,
            ...checkEveryContainer(view, (container) => containerProblems(view, container, environment.value)),
        ];
    }),
};
