/**
 * Which stack config key produced which property of a resource, so a policy violation at
 * `template.containers[0].resources.limits.cpu` can be reported at `cloudrun-staging:service.resources.cpu`, the
 * line the user edits. Components record their resources' sources; the offline check (tools/check) reads them
 * after running the program under mocks. Outside the check nothing reads the record, and it stays small.
 *
 * Keys are stack config keys without the project namespace (`service.resources.cpu`, `vpc.createConnector.name`),
 * as infra/config.ts declares them; a test checks every recorded key against that schema.
 */
import type * as pulumi from "@pulumi/pulumi";

/** Property path (as the pack reports it, `template.containers[0].image`; "" for the whole resource) → config key. */
export type ConfigSources = Readonly<Record<string, string>>;

/** Shared through globalThis: the program may load this module through a different loader than the check. */
const RECORD = Symbol.for("cloudrun-staging.config-sources");

function record(): Map<string, ConfigSources> {
    const holder = globalThis as { [RECORD]?: Map<string, ConfigSources> };
    return (holder[RECORD] ??= new Map());
}

/** Records, under the resource's URN once known, which config key set each of its properties. */
export function recordConfigSources(resource: pulumi.Resource, namespace: string, sources: ConfigSources): void {
    const qualified = Object.fromEntries(Object.entries(sources).map(([path, key]) => [path, `${namespace}:${key}`]));
    resource.urn.apply((urn) => record().set(urn, qualified));
}

/** Everything recorded so far, by URN (config keys namespaced: `cloudrun-staging:service.resources.cpu`). */
export function recordedConfigSources(): ReadonlyMap<string, ConfigSources> {
    return record();
}

/** Forgets every record (before a program runs). */
export function clearConfigSources(): void {
    record().clear();
}

/**
 * The config key behind a property path: the longest recorded path that is the path itself or one of its
 * ancestors (`template.containers[0].startupProbe.failureThreshold` falls back to `template.containers[0].startupProbe`).
 */
export function configKeyFor(sources: ConfigSources | undefined, propertyPath: string | undefined): string | undefined {
    if (sources === undefined) {
        return undefined;
    }
    let path = propertyPath ?? "";
    for (;;) {
        if (sources[path] !== undefined) {
            return sources[path];
        }
        if (path === "") {
            return undefined;
        }
        path = parentPath(path);
    }
}

function parentPath(path: string): string {
    const cut = Math.max(path.lastIndexOf("."), path.lastIndexOf("["));
    return cut < 0 ? "" : path.slice(0, cut);
}
