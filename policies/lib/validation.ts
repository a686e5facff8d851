/**
 * Glue between @pulumi/policy's validateResource callbacks and the pure checks of each rule: pick the
 * resource types, unwrap the props once, run the check, report its findings.
 */
import { ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";
import { ContainerView, ServiceView, servingContainer, serviceView } from "./cloud-run-service";
import { Finding, needsKnown, problem, reportFindings } from "./findings";
import { PropNode, isUnknown, rootOf } from "./props";

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

/** Runs `check` on Cloud Run services, v1 and v2 alike. */
export function validateServices(check: (view: ServiceView, args: ResourceValidationArgs) => Finding[]): ResourceValidation {
    return (args, reportViolation) => {
        const view = serviceView(args.type, rootOf(args.props));
        if (view) {
            reportFindings(check(view, args), reportViolation);
        }
    };
}

/** Runs `check` on the serving container, or says why there is none to check. */
export function checkServingContainer(view: ServiceView, check: (container: ContainerView) => Finding[]): Finding[] {
    const serving = servingContainer(view);
    switch (serving.kind) {
        case "found":
            return check(serving.container);
        case "unknown":
            return [needsKnown(serving.node)];
        case "none":
            return [problem(`cannot find the serving container: ${serving.reason}`)];
    }
}

/** Runs `check` on every container; an unknown container list is a value still needed. */
export function checkEveryContainer(view: ServiceView, check: (container: ContainerView) => Finding[]): Finding[] {
    return isUnknown(view.containerList) ? [needsKnown(view.containerList)] : view.containers.flatMap(check);
}
