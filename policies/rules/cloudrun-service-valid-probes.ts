/**
 * Probes Cloud Run rejects, on every container of every service, job and worker pool (sidecars too): timing
 * outside the bounds, not exactly one handler, and a container that others wait for (dependsOn) without the
 * startup probe that tells Cloud Run it has started.
 */
import { CLOUD_RUN_DOCS, LIVENESS_PROBE_LIMITS, ProbeKind, STARTUP_PROBE_LIMITS, probeBoundProblems } from "../lib/cloud-run-limits";
import { Finding, needsKnown, problem } from "../lib/findings";
import { PackResourcePolicy } from "../lib/pack-policy";
import { PROBE_HANDLERS, probeHandlersSet, readProbeTiming } from "../lib/probes";
import { PropNode, asList, asString, at, isAbsent, isUnknown } from "../lib/props";
import { nameText } from "../lib/safe-text";
import { ALL_WORKLOADS, checkEveryContainer, validateWorkloads } from "../lib/validation";
import { ContainerView, V1_ANNOTATIONS, WorkloadView } from "../lib/workload";

function probeFindings(container: ContainerView, probe: PropNode, kind: ProbeKind): Finding[] {
    if (isUnknown(probe)) {
        return [needsKnown(probe)];
    }
    if (isAbsent(probe)) {
        return [];
    }
    const label = `${container.label}: ${kind} probe`;
    const handlers = probeHandlersSet(probe);
    const read = readProbeTiming(probe);
    return [
        ...(handlers.length === 1 ? [] : [problem(`${label} must set exactly one of ${PROBE_HANDLERS.join(", ")}; found ${handlers.length ? handlers.join(", ") : "none"}`, probe)]),
        ...read.notNumbers.map((field) => problem(`${label} ${field} is not a number`, probe)),
        ...probeBoundProblems(kind, read.timing, new Set([...read.unknown, ...read.notNumbers])).map((p) => problem(`${label} ${p} (Cloud Run rejects it)`, probe)),
        ...read.unknownNodes.map(needsKnown),
    ];
}

/** The names each container waits for: v2 `dependsOns`, v1 the container-dependencies annotation (JSON). */
function dependencies(view: WorkloadView): { byContainer: Map<ContainerView, PropNode[]>; unknown: PropNode[]; malformed: boolean } {
    const byContainer = new Map<ContainerView, PropNode[]>();
    const unknown: PropNode[] = [];
    if (view.generation === "v2") {
        for (const container of view.containers) {
            if (isUnknown(container.dependsOn)) {
                unknown.push(container.dependsOn);
            } else {
                byContainer.set(container, asList(container.dependsOn) ?? []);
            }
        }
        return { byContainer, unknown, malformed: false };
    }
    const annotation = at(view.templateAnnotations, V1_ANNOTATIONS.containerDependencies);
    if (isUnknown(annotation)) {
        return { byContainer, unknown: [annotation], malformed: false };
    }
    const text = asString(annotation);
    if (text === undefined || text === "") {
        return { byContainer, unknown, malformed: false };
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        return { byContainer, unknown, malformed: true };
    }
    for (const container of view.containers) {
        const own = asString(container.name);
        const list = own !== undefined && typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>)[own] : undefined;
        byContainer.set(container, Array.isArray(list) ? list.map((value, i) => ({ value, path: [...annotation.path, own ?? "", String(i)] })) : []);
    }
    return { byContainer, unknown, malformed: false };
}

function dependsOnFindings(view: WorkloadView): Finding[] {
    if (isUnknown(view.containerList)) {
        return [];
    }
    const deps = dependencies(view);
    const findings: Finding[] = deps.unknown.map(needsKnown);
    if (deps.malformed) {
        findings.push(problem(`the ${V1_ANNOTATIONS.containerDependencies} annotation is not a JSON map of container names`));
    }
    for (const [container, names] of deps.byContainer) {
        for (const nameNode of names) {
            if (isUnknown(nameNode)) {
                findings.push(needsKnown(nameNode));
                continue;
            }
            const target = view.containers.find((c) => c !== container && typeof nameNode.value === "string" && asString(c.name) === nameNode.value);
            const shown = nameText(nameNode.value, "container") ?? "(a name that is not a container name)";
            // A container whose name is not known yet may be the one named.
            const unnamed = view.containers.find((c) => c !== container && (isUnknown(c.node) || isUnknown(c.name)));
            if (!target && unnamed) {
                findings.push(needsKnown(isUnknown(unnamed.node) ? unnamed.node : unnamed.name));
            } else if (!target) {
                findings.push(problem(`${container.label} depends on ${shown}, which is not another container of this ${view.noun}`));
            } else if (isUnknown(target.startupProbe)) {
                findings.push(needsKnown(target.startupProbe));
            } else if (isAbsent(target.startupProbe)) {
                findings.push(problem(`${container.label} depends on ${target.label}, which has no startup probe; ` +
                    "Cloud Run requires one on every container another container depends on"));
            }
        }
    }
    return findings;
}

export const cloudrunServiceValidProbes: PackResourcePolicy = {
    name: "cloudrun-service-valid-probes",
    description:
        "Stops probes Cloud Run rejects on any container of a service, job or worker pool: timing outside the bounds, not exactly one handler, " +
        "or a container others depend on without a startup probe. Fix the probe to Cloud Run's bounds.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        `Give each probe exactly one of ${PROBE_HANDLERS.join(", ")}. Startup: initialDelaySeconds 0-${STARTUP_PROBE_LIMITS.maxInitialDelaySeconds}, ` +
        `periodSeconds ${STARTUP_PROBE_LIMITS.minPeriodSeconds}-${STARTUP_PROBE_LIMITS.maxPeriodSeconds}. Liveness: initialDelaySeconds 0-${LIVENESS_PROBE_LIMITS.maxInitialDelaySeconds}, ` +
        `periodSeconds ${LIVENESS_PROBE_LIMITS.minPeriodSeconds}-${LIVENESS_PROBE_LIMITS.maxPeriodSeconds}. Both: timeoutSeconds 1 to periodSeconds, failureThreshold at least 1. ` +
        "Add a startup probe to every container named in another container's dependsOn.",
    url: CLOUD_RUN_DOCS.healthChecks,
    validateResource: validateWorkloads(ALL_WORKLOADS, (view) => [
        ...checkEveryContainer(view, (container) => [
            ...probeFindings(container, container.startupProbe, "startup"),
            ...probeFindings(container, container.livenessProbe, "liveness"),
        ]),
        ...dependsOnFindings(view),
    ]),
};
