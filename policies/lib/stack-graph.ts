/**
 * Reading a whole stack for the stack policies. In a fresh-stack preview many references (secret ids,
 * service account emails, connector ids) are unknown outputs; the engine still tells which resources each
 * property was computed from (propertyDependencies), and that is how these policies reach a verdict
 * instead of skipping. Everything is read through the safe reader: stack policies never throw.
 */
import { PolicyResource } from "@pulumi/policy";
import { PropNode, asString, at, isAbsent, isUnknown, rootOf, unwrapProxy, zeroAsAbsent } from "./props";
import { WorkloadView, workloadView } from "./workload";

/** A stack resource with its raw props unwrapped once. */
export interface StackResource {
    readonly resource: PolicyResource;
    readonly root: PropNode;
}

/**
 * The stack of one AnalyzeStack call as one list, shared by the call's stack policies, so that everything computed
 * from it (indexes, workload views, secret references) is computed once per call, not once per policy.
 *
 * In the one pass (one-stack-pass.ts) every stack policy gets the same resource objects. When the SDK's own handler
 * serves, it builds new resource objects for each policy, but over the same property objects (one copy per call,
 * shared-deserialization.ts). Either way, a list built for an earlier policy is reused when every resource has the same
 * property object and URN at the same place: a later call, or any other list, has other property objects and
 * gets its own. The list is found through its first resource's properties and goes with them.
 */
const stacksByFirstProps = new WeakMap<object, readonly StackResource[]>();
/** In the one pass every stack policy gets the very same list: found without comparing. */
const stacksByList = new WeakMap<readonly PolicyResource[], readonly StackResource[]>();

export function stackResources(resources: readonly PolicyResource[]): readonly StackResource[] {
    const same = stacksByList.get(resources);
    if (same) {
        return same;
    }
    const key = resources.length > 0 ? unwrapProxy(resources[0].props) : undefined;
    const shareable = typeof key === "object" && key !== null;
    const earlier = shareable ? stacksByFirstProps.get(key) : undefined;
    if (earlier && earlier.length === resources.length &&
        // The same proxy (shared-deserialization.ts) is the same property object; otherwise compare what it wraps.
        earlier.every((r, i) => r.resource.urn === resources[i].urn &&
            (r.resource.props === resources[i].props || r.root.value === unwrapProxy(resources[i].props)))) {
        stacksByList.set(resources, earlier);
        return earlier;
    }
    const all = resources.map((resource) => ({ resource, root: rootOf(resource.props) }));
    if (shareable) {
        stacksByFirstProps.set(key, all);
    }
    stacksByList.set(resources, all);
    return all;
}

/** Adds `value` to the list `map` holds for `key`, in place (a list per key, in the order added). */
export function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
    const list = map.get(key);
    if (list) {
        list.push(value);
    } else {
        map.set(key, [value]);
    }
}

/** `compute` run once per stack list (so once per call, whichever stack policy asks first). */
export function oncePerStack<T>(compute: (all: readonly StackResource[]) => T): (all: readonly StackResource[]) => T {
    const results = new WeakMap<readonly StackResource[], { value: T }>();
    return (all) => {
        let result = results.get(all);
        if (!result) {
            result = { value: compute(all) };
            results.set(all, result);
        }
        return result.value;
    };
}

/** The stack indexed once per call: by URN and by type. */
interface StackIndex {
    readonly byUrn: ReadonlyMap<string, StackResource>;
    readonly byType: ReadonlyMap<string, readonly StackResource[]>;
    /** Each resource's place in the stack, so lookups return resources in stack order, as a scan would. */
    readonly position: ReadonlyMap<StackResource, number>;
}

const indexOf = oncePerStack((all): StackIndex => {
    const byUrn = new Map<string, StackResource>();
    const byType = new Map<string, StackResource[]>();
    const position = new Map<StackResource, number>();
    for (const r of all) {
        position.set(r, position.size);
        byUrn.set(r.resource.urn, r);
        appendTo(byType, r.resource.type, r);
    }
    return { byUrn, byType, position };
});

/** The resources of one of the given types, in stack order. */
export function ofType(resources: readonly StackResource[], types: string | readonly string[]): StackResource[] {
    const index = indexOf(resources);
    if (typeof types === "string" || types.length === 1) {
        return [...(index.byType.get(typeof types === "string" ? types : types[0]) ?? [])];
    }
    return inStackOrder(index, types.flatMap((type) => index.byType.get(type) ?? []));
}

function inStackOrder(index: StackIndex, resources: Iterable<StackResource>): StackResource[] {
    return [...resources].sort((a, b) => (index.position.get(a) ?? 0) - (index.position.get(b) ?? 0));
}

/** The resources of `types` among the given URNs, in stack order. */
function resourcesOf(index: StackIndex, urns: Iterable<string>, types: string | readonly string[]): StackResource[] {
    const wanted: readonly string[] = typeof types === "string" ? [types] : types;
    const found = new Set<StackResource>();
    for (const urn of urns) {
        const r = index.byUrn.get(urn);
        if (r && wanted.includes(r.resource.type)) {
            found.add(r);
        }
    }
    return inStackOrder(index, found);
}

/** The resources of one of `types` that `property` of `resource` was computed from. */
export function dependenciesOf(resource: StackResource, property: string, types: string | readonly string[], all: readonly StackResource[]): StackResource[] {
    const deps = resource.resource.propertyDependencies;
    const list = deps && Object.prototype.hasOwnProperty.call(deps, property) ? deps[property] : undefined;
    if (!Array.isArray(list)) {
        return [];
    }
    return resourcesOf(indexOf(all), list.map((d) => d?.urn).filter((u): u is string => typeof u === "string"), types);
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
    const index = indexOf(all);
    const seen = new Set<string>();
    const queue = direct.map((d) => d?.urn).filter((u): u is string => typeof u === "string");
    for (let i = 0; i < queue.length; i++) {
        const urn = queue[i];
        if (seen.has(urn)) {
            continue;
        }
        seen.add(urn);
        for (const next of index.byUrn.get(urn)?.resource.dependencies ?? []) {
            if (typeof next?.urn === "string" && !seen.has(next.urn)) {
                queue.push(next.urn);
            }
        }
    }
    return resourcesOf(index, seen, types);
}

/**
 * True when a computed output is not known yet: unknown, or not reported at all (a provider that does not compute
 * it in a preview returns the inputs alone), as the stack shows a resource that is still to be created or replaced.
 */
export function isPendingOutput(node: PropNode): boolean {
    return isUnknown(node) || isAbsent(zeroAsAbsent(node));
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

/** The stack's Cloud Run workloads (v1 and v2 services, jobs, worker pools) with their views, in stack order. */
export const cloudRunWorkloadsIn = oncePerStack((all): readonly { readonly workload: StackResource; readonly view: WorkloadView }[] =>
    all.flatMap((workload) => {
        const view = workloadView(workload.resource.type, workload.root);
        return view ? [{ workload, view }] : [];
    }));
