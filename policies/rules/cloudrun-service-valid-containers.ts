/**
 * Container layouts Cloud Run rejects: more than ten containers, a multi-container service without exactly
 * one ingress container (the one that declares ports), and a container port outside 1-65535.
 */
import { CLOUD_RUN_DOCS, CONTAINER_LIMITS, CONTAINER_PORT_LIMITS } from "../lib/cloud-run-limits";
import { Finding, needsKnown, problem } from "../lib/findings";
import { PackResourcePolicy } from "../lib/pack-policy";
import { PropNode, asList, at, isAbsent, isUnknown, zeroAsAbsent } from "../lib/props";
import { ALL_WORKLOADS, validateWorkloads } from "../lib/validation";
import { ContainerView, WorkloadView, countOf, ingressContainer } from "../lib/workload";

function portFindings(container: ContainerView, view: WorkloadView): Finding[] {
    // v2 declares one ports object; v1 a list of them.
    const ports: PropNode[] = view.generation === "v1"
        ? (isUnknown(container.ports) ? [container.ports] : (asList(container.ports) ?? []).map((p) => zeroAsAbsent(at(p, "containerPort"))))
        : [container.containerPort];
    return ports.flatMap((port): Finding[] => {
        if (isUnknown(port)) {
            return [needsKnown(port)];
        }
        if (isAbsent(port)) {
            return [];
        }
        const value = countOf(port);
        if (value === undefined) {
            return [problem(`${container.label}: containerPort is not a whole number`, port)];
        }
        return value >= CONTAINER_PORT_LIMITS.min && value <= CONTAINER_PORT_LIMITS.max
            ? []
            : [problem(`${container.label}: containerPort ${value} is outside ${CONTAINER_PORT_LIMITS.min} to ${CONTAINER_PORT_LIMITS.max}`, port)];
    });
}

function containerFindings(view: WorkloadView): Finding[] {
    if (isUnknown(view.containerList)) {
        return [needsKnown(view.containerList)];
    }
    const findings: Finding[] = view.containers.flatMap((c) => (isUnknown(c.node) ? [needsKnown(c.node)] : portFindings(c, view)));
    if (view.containers.length > CONTAINER_LIMITS.maxContainers) {
        findings.push(problem(`${view.containers.length} containers exceed Cloud Run's ${CONTAINER_LIMITS.maxContainers} per instance`));
    }
    if (view.kind === "service") {
        const ingress = ingressContainer(view);
        if (ingress.kind === "none") {
            findings.push(problem(`cannot tell the ingress container: ${ingress.reason}`));
        } else if (ingress.kind === "unknown") {
            findings.push(needsKnown(ingress.node));
        }
    }
    return findings;
}

export const cloudrunServiceValidContainers: PackResourcePolicy = {
    name: "cloudrun-service-valid-containers",
    description:
        `Stops container layouts Cloud Run rejects: more than ${CONTAINER_LIMITS.maxContainers} containers, a multi-container service without exactly one ` +
        `container declaring ports (the ingress container), or a containerPort outside ${CONTAINER_PORT_LIMITS.min}-${CONTAINER_PORT_LIMITS.max}.`,
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "In a multi-container service set ports on the one container that receives requests and on no sidecar; " +
        `use a containerPort from ${CONTAINER_PORT_LIMITS.min} to ${CONTAINER_PORT_LIMITS.max}; keep at most ${CONTAINER_LIMITS.maxContainers} containers.`,
    url: CLOUD_RUN_DOCS.multiContainer,
    validateResource: validateWorkloads(ALL_WORKLOADS, containerFindings),
};
