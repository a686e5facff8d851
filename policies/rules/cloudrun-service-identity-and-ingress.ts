/**
 * Who the revision runs as and who can reach it. The default compute service account is Editor on the
 * project; an unset ingress or a disabled invoker check exposes the backend to the internet.
 */
import { CLOUD_RUN_DOCS, DEFAULT_COMPUTE_SA_RE, DEFAULT_INGRESS, INGRESS_VALUES, show } from "../lib/cloud-run-limits";
import { ServiceView } from "../lib/cloud-run-service";
import { definePolicyConfig } from "../lib/config";
import { Finding, needsKnown, problem } from "../lib/findings";
import { PackResourcePolicy } from "../lib/pack-policy";
import { asString, isAbsent, isUnknown } from "../lib/props";
import { validateServices } from "../lib/validation";

const config = definePolicyConfig({
    allowPublicIngress: {
        type: "boolean",
        default: false,
        description: `Allow ingress ${DEFAULT_INGRESS} (reachable from the internet; IAM still applies).`,
    },
});

function identityFindings(view: ServiceView): Finding[] {
    const field = view.generation === "v2" ? "template.serviceAccount" : "template.spec.serviceAccountName";
    const node = view.serviceAccount;
    if (isUnknown(node)) {
        return [needsKnown(node)];
    }
    const email = asString(node);
    if (isAbsent(node) || email === "") {
        return [problem(`${field} is unset, so the revision runs as the default compute service account (project Editor); set a dedicated service account`)];
    }
    if (email === undefined) {
        return [problem(`${field} ${show(node.value)} is not a service account email`)];
    }
    return DEFAULT_COMPUTE_SA_RE.test(email)
        ? [problem(`${field} is the default compute service account ${email} (project Editor); use a dedicated least-privilege service account`)]
        : [];
}

function invokerFindings(view: ServiceView): Finding[] {
    const field = view.generation === "v2" ? "invokerIamDisabled" : "the run.googleapis.com/invoker-iam-disabled annotation";
    if (isUnknown(view.invokerIamDisabled)) {
        return [needsKnown(view.invokerIamDisabled)];
    }
    return view.invokerIamDisabled.value === true
        ? [problem(`${field} is true, so anyone who can reach the service can call it without IAM; remove it`)]
        : [];
}

function ingressFindings(view: ServiceView, allowPublicIngress: boolean): Finding[] {
    const field = view.generation === "v2" ? "ingress" : "the run.googleapis.com/ingress annotation";
    const node = view.ingress;
    if (isUnknown(node)) {
        return [needsKnown(node)];
    }
    const ingress = isAbsent(node) ? DEFAULT_INGRESS : node.value;
    if (!(INGRESS_VALUES as readonly unknown[]).includes(ingress)) {
        return [problem(`${field} ${show(node.value)} is not one of ${INGRESS_VALUES.join(", ")}`)];
    }
    if (ingress === DEFAULT_INGRESS && !allowPublicIngress) {
        return [problem(`${field} is ${isAbsent(node) ? `unset, which means ${DEFAULT_INGRESS}` : DEFAULT_INGRESS}: the service is reachable from the internet; ` +
            `use ${INGRESS_VALUES.filter((v) => v !== DEFAULT_INGRESS).join(" or ")}`)];
    }
    return [];
}

export const cloudrunServiceIdentityAndIngress: PackResourcePolicy = {
    name: "cloudrun-service-identity-and-ingress",
    description:
        "Stops services that run as the default compute service account, disable the invoker IAM check, or accept traffic from the internet. " +
        "Set a dedicated template.serviceAccount, keep invokerIamDisabled unset, and use an internal ingress.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Create a gcp.serviceaccount.Account for the backend and set template.serviceAccount to its email; " +
        "remove invokerIamDisabled; set ingress to INGRESS_TRAFFIC_INTERNAL_ONLY or INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER " +
        "(or set allowPublicIngress for a service that must be public).",
    url: CLOUD_RUN_DOCS.serviceIdentity,
    configSchema: config.schema,
    validateResource: validateServices((view, args) => [
        ...identityFindings(view),
        ...invokerFindings(view),
        ...ingressFindings(view, config.read(args).allowPublicIngress),
    ]),
};
