/**
 * allUsers / allAuthenticatedUsers on a Cloud Run service make it callable by anyone. Checks the member,
 * binding and policy IAM resources of both Cloud Run APIs.
 */
import { CLOUD_RUN_DOCS, INVOKER_ROLE, PUBLIC_MEMBERS, show } from "../lib/cloud-run-limits";
import { Finding, needsKnown, problem } from "../lib/findings";
import { PackResourcePolicy } from "../lib/pack-policy";
import { PropNode, asList, asString, at, isUnknown, rootOf } from "../lib/props";
import { CLOUD_RUN_IAM_TYPES } from "../lib/resource-types";
import { validateTypes } from "../lib/validation";

const PUBLIC_MEMBERS_LOWER = PUBLIC_MEMBERS.map((m) => m.toLowerCase());

/** Findings for members granted `role`: any public member is a problem, whatever the role. */
function publicMemberFindings(role: PropNode, members: readonly PropNode[]): Finding[] {
    return members.flatMap((member): Finding[] => {
        if (isUnknown(member)) {
            return [needsKnown(member)];
        }
        const text = asString(member);
        if (text === undefined || !PUBLIC_MEMBERS_LOWER.includes(text.toLowerCase())) {
            return [];
        }
        const roleText = asString(role) ?? "(role not known yet)";
        return [problem(`grants ${roleText} to ${text}, so anyone${text.toLowerCase() === "allusers" ? " on the internet" : " with a Google account"} can ` +
            `${roleText === INVOKER_ROLE ? "call the service" : "use that role on the service"}; grant it to specific service accounts or groups instead`)];
    });
}


function bindingFindings(role: PropNode, members: PropNode): Finding[] {
    if (isUnknown(members)) {
        return [needsKnown(members)];
    }
    return publicMemberFindings(role, asList(members) ?? []);
}

function policyDataFindings(policyData: PropNode): Finding[] {
    if (isUnknown(policyData)) {
        return [needsKnown(policyData)];
    }
    const text = asString(policyData);
    if (text === undefined) {
        return [];
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        return [problem(`policyData is not valid JSON (${show(text.slice(0, 40))}…), so its members cannot be checked`)];
    }
    const root = rootOf(parsed);
    return (asList(at(root, "bindings")) ?? []).flatMap((binding) => bindingFindings(at(binding, "role"), at(binding, "members")));
}

function iamFindings(type: string, root: PropNode): Finding[] {
    if (CLOUD_RUN_IAM_TYPES.member.includes(type)) {
        return publicMemberFindings(at(root, "role"), [at(root, "member")]);
    }
    if (CLOUD_RUN_IAM_TYPES.binding.includes(type)) {
        return bindingFindings(at(root, "role"), at(root, "members"));
    }
    return policyDataFindings(at(root, "policyData"));
}

export const cloudrunInvokerNotPublic: PackResourcePolicy = {
    name: "cloudrun-invoker-not-public",
    description:
        "Stops Cloud Run IAM members, bindings and policies that grant a role to allUsers or allAuthenticatedUsers. " +
        "Grant roles/run.invoker to specific service accounts or groups.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        `Remove ${PUBLIC_MEMBERS.join(" and ")} from the IAM resource and grant ${INVOKER_ROLE} to the callers' service accounts ` +
        "(e.g. the frontend's or the load balancer's), or put the service behind IAP.",
    url: CLOUD_RUN_DOCS.invokerIam,
    validateResource: validateTypes(
        [...CLOUD_RUN_IAM_TYPES.member, ...CLOUD_RUN_IAM_TYPES.binding, ...CLOUD_RUN_IAM_TYPES.policy],
        (root, args) => iamFindings(args.type, root),
    ),
};
