/**
 * Scaling settings Cloud Run rejects: requests per instance outside 1-1000, and a minimum instance count above
 * the maximum, in the revision template or at service level (services and worker pools). 0 is proto3's
 * "unset", which engine outputs carry for fields a program left out.
 */
import { CLOUD_RUN_DOCS, CONCURRENCY_LIMITS } from "../lib/cloud-run-limits";
import { Finding, needsKnown, problem } from "../lib/findings";
import { PackResourcePolicy } from "../lib/pack-policy";
import { PropNode, isAbsent, isUnknown } from "../lib/props";
import { ALL_WORKLOADS, validateWorkloads } from "../lib/validation";
import { WorkloadView, countOf } from "../lib/workload";

function concurrencyFindings(view: WorkloadView): Finding[] {
    const node = view.concurrency;
    if (isUnknown(node)) {
        return [needsKnown(node)];
    }
    if (isAbsent(node)) {
        return [];
    }
    const value = countOf(node);
    if (value === undefined) {
        return [problem(`${view.fields.concurrency} is not a whole number`, node)];
    }
    return value === 0 || (value >= CONCURRENCY_LIMITS.min && value <= CONCURRENCY_LIMITS.max)
        ? []
        : [problem(`${view.fields.concurrency} ${value} is outside ${CONCURRENCY_LIMITS.min} to ${CONCURRENCY_LIMITS.max}`, node)];
}

/** min <= max when both are set (a max of 0 is unset: no maximum). */
function boundsFindings(where: string, min: PropNode, max: PropNode, manual?: PropNode): Finding[] {
    const pending = [min, max, ...(manual ? [manual] : [])].filter(isUnknown);
    const findings: Finding[] = [];
    const values = { min: countOf(min), max: countOf(max), manual: manual ? countOf(manual) : undefined };
    for (const [field, node] of [["minimum", min], ["maximum", max], ["manual instance count", manual]] as const) {
        if (node && !isAbsent(node) && !isUnknown(node) && countOf(node) === undefined) {
            findings.push(problem(`${where} ${field} is not a whole number`, node));
        }
    }
    for (const [field, value] of Object.entries(values)) {
        if (value !== undefined && value < 0) {
            findings.push(problem(`${where} ${field} instance count ${value} is negative`));
        }
    }
    if (values.min !== undefined && values.max !== undefined && values.max > 0 && values.min > values.max) {
        findings.push(problem(`${where} minimum instance count ${values.min} is above the maximum ${values.max}; Cloud Run rejects it`, min));
    }
    return [...findings, ...pending.map(needsKnown)];
}

function scalingFindings(view: WorkloadView): Finding[] {
    const templateWhere = view.generation === "v1" ? "the autoscaling annotations' (minScale/maxScale)" : `${view.fields.template}.scaling`;
    return [
        ...(view.kind === "service" ? concurrencyFindings(view) : []),
        ...boundsFindings(templateWhere, view.templateScaling.min, view.templateScaling.max),
        ...boundsFindings("scaling", view.scaling.min, view.scaling.max, view.scaling.manual),
    ];
}

export const cloudrunServiceValidScaling: PackResourcePolicy = {
    name: "cloudrun-service-valid-scaling",
    description:
        `Stops scaling settings Cloud Run rejects: requests per instance outside ${CONCURRENCY_LIMITS.min}-${CONCURRENCY_LIMITS.max}, or a minimum ` +
        "instance count above the maximum (revision template or service-level scaling). Keep min <= max and concurrency in range.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        `Set maxInstanceRequestConcurrency (v1: containerConcurrency) between ${CONCURRENCY_LIMITS.min} and ${CONCURRENCY_LIMITS.max}, or leave it unset; ` +
        "make minInstanceCount at most maxInstanceCount in template.scaling and in the service-level scaling block (v1: autoscaling.knative.dev/minScale <= maxScale).",
    url: CLOUD_RUN_DOCS.instances,
    validateResource: validateWorkloads(ALL_WORKLOADS, scalingFindings),
};
