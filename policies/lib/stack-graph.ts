/**
 * Reading a whole stack for the stack policies. In a fresh-stack preview many references (secret ids,
 * service account emails, connector ids) are unknown outputs; the engine still tells which resources each
 * property was computed from (propertyDependencies), and that is how these policies reach a verdict
 * instead of skipping. Everything is read through the safe reader: stack policies never throw.
 */
import { PolicyResource } from "@pulumi/policy";
import { PropNode, asString, at, rootOf } from "./props";
import { WorkloadView, workloadView } from "./workload";

/** A stack resource with its raw props unwrapped once. */
export interface StackResource {
    readonly resource: PolicyResource;
    readonly root: PropNode;
}

export function stackResources(resources: readonly PolicyResource[]): StackResource[] {
    return resources.map((resource) => ({ resource, root: rootOf(resource.props) }));
}

/** The resources of one of the given types. */
export function ofType(resources: readonly StackResource[], types: string | readonly string[]): StackResource[] {
    const wanted: readonly string[] = typeof types === "string" ? [types] : types;
    return resources.filter((r) => wanted.includes(r.resource.type));
}

/** The resources of one of `types` that `property` of `resource` was computed from. */
export function dependenciesOf(resource: StackResource, property: string, types: string | readonly string[], all: readonly StackResource[]): StackResource[] {
    const deps = resource.resource.propertyDependencies;
    const list = deps && Object.prototype.hasOwnProperty.call(deps, property) ? deps[property] : undefined;
    if (!Array.isArray(list)) {
        return [];
    }
    const urns = new Set(list.map((d) => d?.urn));
    return ofType(all, types).filter((r) => urns.has(r.resource.urn));
}

/**
 * Like dependenciesOf, but also through the resources `property` was computed from, and theirs: a secret id
 * taken from a SecretVersion's `secret` output, or from a component, still leads to the Secret.
 */
export function transitiveDependenciesOf(
    resource: StackResource, property: string, types: string | readonly string[], all: readonly StackResource[],
): StackResource[] {
    const deps = resource.resource.propertyDependencies;
    const direct = deps && Object.prototype.hasOwnProperty.call(deps, property) ? deps[property] : undefined;
    if (!Array.isArray(direct)) {
        return [];
    }
    const seen = new Set<string>();
    const queue = direct.map((d) => d?.urn).filter((u): u is string => typeof u === "string");
    const byUrn = new Map(all.map((r) => [r.resource.urn, r]));
    while (queue.length > 0) {
        const urn = queue.shift() as string;
        if (seen.has(urn)) {
            continue;
        }
        seen.add(urn);
        for (const next of byUrn.get(urn)?.resource.dependencies ?? []) {
            if (typeof next?.urn === "string") {
                queue.push(next.urn);
            }
        }
    }
    return ofType(all, types).filter((r) => seen.has(r.resource.urn));
}

/**
 * A known string prop of the resource, else of its provider (project and region default from the
 * provider's configuration when the resource does not set them).
 */
export function ownOrProviderString(resource: StackResource, key: string): string | undefined {
    return asString(at(resource.root, key)) ?? asString(at(rootOf(resource.resource.provider?.props), key));
}

/**
 * Whether two project references can be the same project. Unset means "the default", and a project
 * number cannot be compared with a project id, so only two known values of the same form can differ.
 */
export function projectsCompatible(a: string | undefined, b: string | undefined): boolean {
    if (a === undefined || b === undefined || /^\d+$/.test(a) !== /^\d+$/.test(b)) {
        return true;
    }
    return a === b;
}

/** Whether two locations can be the same (unset means "not known"). */
export function locationsCompatible(a: string | undefined, b: string | undefined): boolean {
    return a === undefined || b === undefined || a === b;
}

/** The stack's Cloud Run workloads (v1 and v2 services, jobs, worker pools) with their views. */
export function cloudRunWorkloadsIn(all: readonly StackResource[]): { workload: StackResource; view: WorkloadView }[] {
    return all.flatMap((workload) => {
        const view = workloadView(workload.resource.type, workload.root);
        return view ? [{ workload, view }] : [];
    });
}
