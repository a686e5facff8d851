/** References to Serverless VPC Access connectors: a full id or a bare name resolved in the service's region. */
import { CONNECTOR_LIMITS, LOCATION_RE, PROJECT_REF_RE } from "./cloud-run-limits";
import { PropNode, asString, at } from "./props";
import { RESOURCE_TYPES } from "./resource-types";
import { StackResource, appendTo, locationsCompatible, ofType, oncePerStack, ownOrProviderString, projectsCompatible } from "./stack-graph";

export interface ConnectorRef {
    readonly name: string;
    readonly project?: string;
    readonly region?: string;
}

const CONNECTOR_PATH_RE = /^projects\/([^/]+)\/locations\/([^/]+)\/connectors\/([^/]+)$/;

/**
 * "projects/P/locations/R/connectors/N" or "N". Undefined unless every part is well-formed, so a parsed
 * reference is safe to show in a message.
 */
export function parseConnectorRef(value: unknown): ConnectorRef | undefined {
    if (typeof value !== "string" || value === "") {
        return undefined;
    }
    const path = CONNECTOR_PATH_RE.exec(value);
    if (path) {
        const [, project, region, name] = path;
        return PROJECT_REF_RE.test(project) && LOCATION_RE.test(region) && CONNECTOR_LIMITS.nameRe.test(name) ? { project, region, name } : undefined;
    }
    return CONNECTOR_LIMITS.nameRe.test(value) ? { name: value } : undefined;
}

/** What a Connector resource in the stack is called and where it is (project/region may be unknown). */
export function connectorResourceRef(connector: StackResource): ConnectorRef | undefined {
    const name = asString(at(connector.root, "name"));
    return name ? { name, project: ownOrProviderString(connector, "project"), region: connectorRegion(connector) } : undefined;
}

/** The stack's connectors by name (a reference matches only a connector of its name), read once per call. */
const connectorsByName = oncePerStack((all): ReadonlyMap<string, readonly { connector: StackResource; ref: ConnectorRef }[]> => {
    const byName = new Map<string, { connector: StackResource; ref: ConnectorRef }[]>();
    for (const connector of ofType(all, RESOURCE_TYPES.vpcAccessConnector)) {
        const ref = connectorResourceRef(connector);
        if (ref) {
            appendTo(byName, ref.name, { connector, ref });
        }
    }
    return byName;
});

export function connectorRegion(connector: StackResource): string | undefined {
    return ownOrProviderString(connector, "region");
}

/** A workload's reference completed with the workload's own project and region where it names none. */
export function workloadConnectorRef(ref: ConnectorRef, workload: StackResource, workloadRegion: string | undefined): ConnectorRef {
    return { name: ref.name, project: ref.project ?? ownOrProviderString(workload, "project"), region: ref.region ?? workloadRegion };
}

/** The stack's Connector resources the reference can name (same name, compatible project and region). */
export function stackConnectorsMatching(ref: ConnectorRef, all: readonly StackResource[]): StackResource[] {
    return (connectorsByName(all).get(ref.name) ?? []).filter((c) => connectorRefsMatch(c.ref, ref)).map((c) => c.connector);
}

export function connectorRefsMatch(a: ConnectorRef, b: ConnectorRef): boolean {
    return a.name === b.name && projectsCompatible(a.project, b.project) && locationsCompatible(a.region, b.region);
}

/** Text of a reference for messages. */
export function connectorRefText(ref: ConnectorRef): string {
    return ref.project && ref.region && PROJECT_REF_RE.test(ref.project) && LOCATION_RE.test(ref.region)
        ? `projects/${ref.project}/locations/${ref.region}/connectors/${ref.name}`
        : ref.name;
}

/** The node is a connector reference that is set (non-empty or unknown). */
export function isConnectorSet(node: PropNode): boolean {
    return node.value !== undefined && node.value !== null && node.value !== "";
}
