/**
 * allUsers / allAuthenticatedUsers on a Cloud Run service, job or worker pool make it callable by anyone.
 * Checks the member, binding and policy IAM resources of both Cloud Run APIs; services the team lists as
 * public (a site behind a load balancer) may grant roles/run.invoker to allUsers.
 */
import { CLOUD_RUN_DOCS, INVOKER_ROLE, PUBLIC_MEMBERS } from "../lib/cloud-run-limits";
import { definePolicyConfig } from "../lib/config";
import { Finding, needsKnown, problem } from "../lib/findings";
import { IamBinding, iamBindingsOf } from "../lib/iam";
import { PackResourcePolicy } from "../lib/pack-policy";
import { PropNode, asString, at, isUnknown, withValue } from "../lib/props";
import { PUBLIC_SERVICES_PROPERTY, listedPublic } from "../lib/public-services";
import { CLOUD_RUN_IAM_TYPES, CLOUD_RUN_SERVICE_IAM_TYPES, iamFormOf } from "../lib/resource-types";
import { nameText } from "../lib/safe-text";
import { validateTypes } from "../lib/validation";

const config = definePolicyConfig("cloudrun-invoker-not-public", {
    publicServices: PUBLIC_SERVICES_PROPERTY,
});

const PUBLIC_MEMBERS_LOWER = PUBLIC_MEMBERS.map((m) => m.toLowerCase());

/** The Cloud Run service an IAM resource is on: v2 `name`, v1 `service`; a full path ends in the name. */
function serviceNameOf(type: string, root: PropNode): PropNode {
    const node = at(root, type.startsWith("gcp:cloudrun/") ? "service" : "name");
    const text = asString(node);
    return text === undefined ? node : withValue(node, text.split("/").pop());
}

function bindingFindings(binding: IamBinding, mayBePublic: boolean | "unknown", serviceName: PropNode): Finding[] {
    if (binding.unknownMembers) {
        return [needsKnown(binding.unknownMembers)];
    }
    return binding.members.flatMap((member): Finding[] => {
        if (isUnknown(member)) {
            return [needsKnown(member)];
        }
        const text = asString(member);
        if (text === undefined || !PUBLIC_MEMBERS_LOWER.includes(text.toLowerCase())) {
            return [];
        }
        const role = asString(binding.role);
        if (role === INVOKER_ROLE && mayBePublic === true) {
            return [];
        }
        if (role === INVOKER_ROLE && mayBePublic === "unknown") {
            return [needsKnown(serviceName)];
        }
        const roleText = nameText(role, "role") ?? "a role";
        const who = text.toLowerCase() === "allusers" ? "anyone on the internet" : "anyone with a Google account";
        return [problem(`grants ${roleText} to ${PUBLIC_MEMBERS[PUBLIC_MEMBERS_LOWER.indexOf(text.toLowerCase())]}, so ${who} can ` +
            `${role === INVOKER_ROLE ? "call it" : "use that role on it"}; grant it to specific service accounts or groups instead` +
            (role === INVOKER_ROLE ? " (or list a service meant to be public in publicServices)" : ""))];
    });
}

function iamFindings(type: string, root: PropNode, publicServices: readonly unknown[]): Finding[] {
    const form = iamFormOf(type, CLOUD_RUN_IAM_TYPES);
    if (!form) {
        return [];
    }
    const serviceName = serviceNameOf(type, root);
    const mayBePublic = CLOUD_RUN_SERVICE_IAM_TYPES.includes(type) ? listedPublic(serviceName, publicServices) : false;
    const read = iamBindingsOf(form, root);
    switch (read.kind) {
        case "unknown":
            return [needsKnown(read.node)];
        case "malformed":
            return [problem("policyData is not a JSON IAM policy, so its members cannot be checked")];
        case "known":
            return read.bindings.flatMap((binding) => bindingFindings(binding, mayBePublic, serviceName));
    }
}

export const cloudrunInvokerNotPublic: PackResourcePolicy = {
    name: "cloudrun-invoker-not-public",
    description:
        "Stops Cloud Run IAM members, bindings and policies (services, jobs, worker pools) that grant a role to allUsers or allAuthenticatedUsers, " +
        "except roles/run.invoker on services listed in publicServices. Grant roles to specific service accounts or groups.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        `Remove ${PUBLIC_MEMBERS.join(" and ")} from the IAM resource and grant ${INVOKER_ROLE} to the callers' service accounts ` +
        "(e.g. the frontend's or the load balancer's), or put the service behind IAP; for a service that is meant to be public, add its name to publicServices.",
    url: CLOUD_RUN_DOCS.invokerIam,
    configSchema: config.schema,
    validateResource: validateTypes(
        [...CLOUD_RUN_IAM_TYPES.member, ...CLOUD_RUN_IAM_TYPES.binding, ...CLOUD_RUN_IAM_TYPES.policy],
        (root, args) => iamFindings(args.type, root, config.read(args).publicServices),
    ),
};
