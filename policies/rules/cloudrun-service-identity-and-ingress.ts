/**
 * Who a revision runs as and who can reach it. The default compute service account is Editor on the project
 * (services, jobs and worker pools); an unset ingress or a disabled invoker check exposes a service to the
 * internet unless the team lists it as public.
 */
import { CLOUD_RUN_DOCS, DEFAULT_COMPUTE_SA_RE, DEFAULT_INGRESS, INGRESS_BY_V1_ANNOTATION, INGRESS_VALUES } from "../lib/cloud-run-limits";
import { definePolicyConfig } from "../lib/config";
import { Finding, needsKnown, problem } from "../lib/findings";
import { PackResourcePolicy } from "../lib/pack-policy";
import { asString, isAbsent, isUnknown, zeroAsAbsent } from "../lib/props";
import { PUBLIC_SERVICES_PROPERTY, listedPublic } from "../lib/public-services";
import { NAME_PATTERNS } from "../lib/safe-text";
import { ALL_WORKLOADS, validateWorkloads } from "../lib/validation";
import { WorkloadView, pendingServiceAccount } from "../lib/workload";

const config = definePolicyConfig("cloudrun-service-identity-and-ingress", {
    allowPublicIngress: {
        type: "boolean",
        default: false,
        description: `Allow ingress ${DEFAULT_INGRESS} on every service (reachable from the internet; IAM still applies).`,
    },
    publicServices: PUBLIC_SERVICES_PROPERTY,
});

function identityFindings(view: WorkloadView): Finding[] {
    const field = view.fields.serviceAccount;
    if (pendingServiceAccount(view)) {
        // Not known yet (an account created in the same run): Analyze cannot see where it comes from, the stack can;
        // cloudrun-identity-and-image-from-stack decides it. At `pulumi up` this check sees the real value.
        return [];
    }
    const node = zeroAsAbsent(view.serviceAccount);
    if (isUnknown(node)) {
        return [needsKnown(node)];
    }
    if (isAbsent(node)) {
        return [problem(`${field} is unset, so the ${view.noun} runs as the default compute service account (project Editor); set a dedicated service account`, node)];
    }
    const email = asString(node);
    if (email === undefined || !NAME_PATTERNS.email.test(email)) {
        return [problem(`${field} is not a service account email`, node)];
    }
    return DEFAULT_COMPUTE_SA_RE.test(email)
        ? [problem(`${field} is the default compute service account ${email} (project Editor); use a dedicated least-privilege service account`, node)]
        : [];
}

function invokerFindings(view: WorkloadView, isPublic: boolean | "unknown"): Finding[] {
    if (isUnknown(view.invokerIamDisabled)) {
        return [needsKnown(view.invokerIamDisabled)];
    }
    if (view.invokerIamDisabled.value !== true || isPublic === true) {
        return [];
    }
    return isPublic === "unknown"
        ? [needsKnown(view.name)]
        : [problem(`${view.fields.invokerIamDisabled} is true, so anyone who can reach the service can call it without IAM; remove it ` +
            "(or list the service in publicServices if it is meant to be public)", view.invokerIamDisabled)];
}

function ingressFindings(view: WorkloadView, allowPublicIngress: boolean, isPublic: boolean | "unknown"): Finding[] {
    const field = view.fields.ingress;
    const node = zeroAsAbsent(view.ingress);
    if (isUnknown(node)) {
        return [needsKnown(node)];
    }
    const ingress = isAbsent(node) ? DEFAULT_INGRESS : node.value;
    const internal = view.generation === "v1"
        ? Object.keys(INGRESS_BY_V1_ANNOTATION).filter((k) => INGRESS_BY_V1_ANNOTATION[k] !== DEFAULT_INGRESS).map((k) => `"${k}"`).join(" or ")
        : INGRESS_VALUES.filter((v) => v !== DEFAULT_INGRESS).join(" or ");
    if (!(INGRESS_VALUES as readonly unknown[]).includes(ingress)) {
        return [problem(`${field} is not one of ${view.generation === "v1" ? Object.keys(INGRESS_BY_V1_ANNOTATION).join(", ") : INGRESS_VALUES.join(", ")}`, node)];
    }
    if (ingress !== DEFAULT_INGRESS || allowPublicIngress || isPublic === true) {
        return [];
    }
    if (isPublic === "unknown") {
        return [needsKnown(view.name)];
    }
    return [problem(`${field} is ${isAbsent(node) ? "unset, which means all traffic" : view.generation === "v1" ? '"all"' : DEFAULT_INGRESS}: ` +
        `the service is reachable from the internet; set it to ${internal} (or list the service in publicServices)`, node)];
}

export const cloudrunServiceIdentityAndIngress: PackResourcePolicy = {
    name: "cloudrun-service-identity-and-ingress",
    description:
        "Stops services, jobs and worker pools that run as the default compute service account, and services that disable the invoker IAM check " +
        "or accept traffic from the internet unless listed as public. Set a dedicated service account and an internal ingress.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Create a gcp.serviceaccount.Account for the workload and set template.serviceAccount (v1: template.spec.serviceAccountName) to its email; " +
        "remove invokerIamDisabled; set ingress to INGRESS_TRAFFIC_INTERNAL_ONLY or INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER " +
        "(v1: the run.googleapis.com/ingress annotation \"internal\" or \"internal-and-cloud-load-balancing\"); " +
        "list a service that must be public in publicServices (or set allowPublicIngress).",
    url: CLOUD_RUN_DOCS.serviceIdentity,
    configSchema: config.schema,
    validateResource: validateWorkloads(ALL_WORKLOADS, (view, args) => {
        const cfg = config.read(args);
        if (view.kind !== "service") {
            return identityFindings(view);
        }
        const isPublic = listedPublic(view.name, cfg.publicServices);
        return [...identityFindings(view), ...invokerFindings(view, isPublic), ...ingressFindings(view, cfg.allowPublicIngress, isPublic)];
    }),
};
