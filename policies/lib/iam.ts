/**
 * IAM resources in their three forms, read one way: a member resource ({role, member}), a binding ({role,
 * members}) and a policy (policyData: a JSON IAM policy with bindings). Used by the invoker and the secret
 * access policies.
 */
import { PropNode, asList, asString, at, isUnknown, rootOf } from "./props";
import { IamForm } from "./resource-types";

/** One role and the members it is granted to. */
export interface IamBinding {
    readonly role: PropNode;
    readonly members: readonly PropNode[];
    /** Set when the member list itself is not known yet. */
    readonly unknownMembers?: PropNode;
    /** The resource property the members come from (propertyDependencies key). */
    readonly membersProperty: string;
}

export type IamBindings =
    | { readonly kind: "known"; readonly bindings: readonly IamBinding[] }
    | { readonly kind: "unknown"; readonly node: PropNode }
    /** policyData that is not a JSON IAM policy; its content is never shown. */
    | { readonly kind: "malformed"; readonly node: PropNode };

export function iamBindingsOf(form: IamForm, root: PropNode): IamBindings {
    switch (form) {
        case "member":
            return { kind: "known", bindings: [{ role: at(root, "role"), members: [at(root, "member")], membersProperty: "member" }] };
        case "binding":
            return { kind: "known", bindings: [listBinding(at(root, "role"), at(root, "members"), "members")] };
        case "policy":
            return policyBindings(at(root, "policyData"));
    }
}

function listBinding(role: PropNode, members: PropNode, membersProperty: string): IamBinding {
    return isUnknown(members)
        ? { role, members: [], unknownMembers: members, membersProperty }
        : { role, members: asList(members) ?? [], membersProperty };
}

function policyBindings(policyData: PropNode): IamBindings {
    if (isUnknown(policyData)) {
        return { kind: "unknown", node: policyData };
    }
    const text = asString(policyData);
    if (text === undefined || text === "") {
        return { kind: "known", bindings: [] };
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        return { kind: "malformed", node: policyData };
    }
    // A policy document computed from outputs is known as a whole: its members are plain strings.
    const bindings = asList(at(rootOf(parsed), "bindings")) ?? [];
    return { kind: "known", bindings: bindings.map((b) => listBinding(at(b, "role"), at(b, "members"), "policyData")) };
}
