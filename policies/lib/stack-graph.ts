/**
 * Reading a whole stack for the stack policies. In a fresh-stack preview many references (secret ids,
 * service account emails, connector ids) are unknown outputs; the engine still tells which resources each
 * property was computed from (propertyDependencies), and that is how these policies reach a verdict
 * instead of skipping. Everything is read through the safe reader: stack policies never throw.
 */
import { PolicyResource } from "@pulumi/policy";
import { ServiceView, serviceView } from "./cloud-run-service";
import { PropNode, asString, at, rootOf } from "./props";

/** A stack resource with its raw props unwrapped once. */
export interface StackResource {
    readonly resource: PolicyResource;
    readonly root: PropNode;
}

export function stackResources(resources: readonly PolicyResource[]): StackResource[] {
    return resources.map((resource) => ({ resource, root: rootOf(resource.props) }));
}

export function ofType(resources: readonly StackResource[], type: string): StackResource[] {
    return resources.filter((r) => r.resource.type === type);
}

/** The resources of `type` that `property` of `resource` was computed from. */
export function dependenciesOf(resource: StackResource, property: string, type: string, all: readonly StackResource[]): StackResource[] {
    const deps = resource.resource.propertyDependencies;
    const list = deps && Object.prototype.hasOwnProperty.call(deps, property) ? deps[property] : undefined;
    if (!Array.isArray(list)) {
        return [];
    }
    const urns = new Set(list.map((d) => d?.urn));
    return all.filter((r) => r.resource.type === type && urns.has(r.resource.urn));
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

/** The stack's Cloud Run services (v1 and v2) with their views. */
export function cloudRunServicesIn(all: readonly StackResource[]): { service: StackResource; view: ServiceView }[] {
    return all.flatMap((service) => {
        const view = serviceView(service.resource.type, service.root);
        return view ? [{ service, view }] : [];
    });
}
