/**
 * Glue between @pulumi/policy's validateResource callbacks and the pure checks of each rule: pick the
 * resource types, unwrap the props once, run the check, report its findings.
 */
import { ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";
import { Finding, needsKnown, reportFindings } from "./findings";
import { PropNode, isUnknown, rootOf } from "./props";
import { ContainerView, WorkloadKind, WorkloadView, ingressContainer, isWorkloadType, mainContainers, workloadView } from "./workload";

/** Runs `check` on resources of the given types; other types are not this policy's business. */
export function validateTypes(
    types: readonly string[],
    check: (root: PropNode, args: ResourceValidationArgs) => Finding[],
): ResourceValidation {
    return (args, reportViolation) => {
        if (types.includes(args.type)) {
            reportFindings(check(rootOf(args.props), args), reportViolation);
        }
    };
}

export const ALL_WORKLOADS: readonly WorkloadKind[] = ["service", "job", "workerPool"];

/** Runs `check` on Cloud Run workloads of the given kinds (v1 and v2 services, jobs, worker pools). */
export function validateWorkloads(
    kinds: readonly WorkloadKind[],
    check: (view: WorkloadView, args: ResourceValidationArgs) => Finding[],
): ResourceValidation {
    return (args, reportViolation) => {
        // Most resources of a stack are not workloads: no property is read for them.
        if (!isWorkloadType(args.type)) {
            return;
        }
        const view = workloadView(args.type, rootOf(args.props));
        if (view && kinds.includes(view.kind)) {
            reportFindings(check(view, args), reportViolation);
        }
    };
}

/**
 * Runs `check` on a service's ingress container. No finding when there is none to check: which container
 * serves is cloudrun-service-valid-containers' verdict, reported once there.
 */
export function checkIngressContainer(view: WorkloadView, check: (container: ContainerView) => Finding[]): Finding[] {
    const ingress = ingressContainer(view);
    switch (ingress.kind) {
        case "found":
            return check(ingress.container);
        case "unknown":
            return [needsKnown(ingress.node)];
        case "none":
            return [];
    }
}

/** Runs `check` on the containers team requirements look at (see mainContainers). */
export function checkMainContainers(view: WorkloadView, everyContainer: boolean, check: (container: ContainerView) => Finding[]): Finding[] {
    const main = mainContainers(view, everyContainer);
    return [...main.containers.flatMap(check), ...(main.unknown ? [needsKnown(main.unknown)] : [])];
}

/** Runs `check` on every container; an unknown container list is a value still needed. */
export function checkEveryContainer(view: WorkloadView, check: (container: ContainerView) => Finding[]): Finding[] {
    return isUnknown(view.containerList) ? [needsKnown(view.containerList)] : view.containers.flatMap(check);
}
