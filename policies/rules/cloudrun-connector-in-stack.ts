/**
 * A service pointing at a VPC connector that does not exist (or is in another region) fails to deploy.
 * The connector a service references must be a Connector created in this stack, in the service's project
 * and region, or be declared as managed elsewhere.
 */
import { CLOUD_RUN_DOCS, CONNECTOR_REF_PATTERN } from "../lib/cloud-run-limits";
import { definePolicyConfig } from "../lib/config";
import {
    ConnectorRef, connectorRefText, connectorRefsMatch, connectorRegion, connectorsByName, isConnectorSet, parseConnectorRef,
} from "../lib/connector-refs";
import { PackStackPolicy } from "../lib/pack-policy";
import { adviseUndecided } from "../lib/findings";
import { PropNode, asString, isUnknown } from "../lib/props";
import { RESOURCE_TYPES } from "../lib/resource-types";
import { nameText } from "../lib/safe-text";
import { StackResource, cloudRunWorkloadsIn, locationsCompatible, ownOrProviderString, stackResources, transitiveDependenciesOf } from "../lib/stack-graph";
import { WorkloadView } from "../lib/workload";

const config = definePolicyConfig("cloudrun-connector-in-stack", {
    externalConnectors: {
        type: "array",
        items: { type: "string", pattern: CONNECTOR_REF_PATTERN },
        default: [] as string[],
        description: "Connectors managed outside this stack: a name or projects/<p>/locations/<r>/connectors/<name>.",
    },
});

/** The verdict for one service, as violation messages (empty when it resolves). */
function connectorProblems(
    service: StackResource, view: WorkloadView, all: readonly StackResource[], external: readonly ConnectorRef[], undecided: PropNode[],
): string[] {
    const node = view.vpcConnector;
    if (!isConnectorSet(node)) {
        return []; // No connector: whether one is required is cloudrun-service-vpc-egress's call.
    }
    const serviceRegion = asString(view.location);
    const regionText = (region: string | undefined) => nameText(region, "location") ?? "(unknown region)";
    if (isUnknown(node)) {
        // The reference is an output not known yet: it comes from a resource the template depends on.
        const candidates = transitiveDependenciesOf(service, "template", RESOURCE_TYPES.vpcAccessConnector, all);
        if (candidates.length === 0) {
            undecided.push(node); // Leads to no connector in the stack: nothing certain before apply.
            return [];
        }
        return candidates.some((c) => locationsCompatible(connectorRegion(c), serviceRegion))
            ? []
            : [`the VPC connector the ${view.noun} depends on is in ${candidates.map((c) => regionText(connectorRegion(c))).join(", ")}, not the ${view.noun}'s region ${regionText(serviceRegion)}`];
    }
    const ref = parseConnectorRef(node.value);
    if (!ref) {
        return ["the VPC connector reference is neither a connector name nor projects/<p>/locations/<r>/connectors/<name>"];
    }
    if (!locationsCompatible(ref.region, serviceRegion)) {
        return [`VPC connector ${connectorRefText(ref)} is in ${ref.region}, but a connector must be in the ${view.noun}'s region ${regionText(serviceRegion)}`];
    }
    const expected: ConnectorRef = {
        name: ref.name,
        project: ref.project ?? ownOrProviderString(service, "project"),
        region: ref.region ?? serviceRegion,
    };
    const inStack = (connectorsByName(all).get(expected.name) ?? []).some((c) => connectorRefsMatch(c, expected));
    if (inStack || external.some((e) => connectorRefsMatch(e, expected))) {
        return [];
    }
    return [`VPC connector ${connectorRefText(expected)} is not a ${RESOURCE_TYPES.vpcAccessConnector} in this stack (same name, project and region) ` +
        "nor listed in externalConnectors; create it in the stack or list it"];
}

export const cloudrunConnectorInStack: PackStackPolicy = {
    name: "cloudrun-connector-in-stack",
    description:
        "Team requirement: the VPC connector a Cloud Run service, job or worker pool uses is created in this stack, in its project and region, " +
        "or listed in externalConnectors (a missing or other-region connector fails the deploy). " +
        "Create the connector in the stack and reference it, or list it in externalConnectors.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Create new gcp.vpcaccess.Connector(...) in the service's region and set template.vpcAccess.connector to connector.id; " +
        "for a shared connector owned by another stack, add its name or full id to externalConnectors.",
    url: CLOUD_RUN_DOCS.vpcConnectors,
    configSchema: config.schema,
    validateStack: (args, reportViolation) => {
        const external = config.read(args).externalConnectors.flatMap((e) => parseConnectorRef(e) ?? []);
        const all = stackResources(args.resources);
        const undecided: PropNode[] = [];
        for (const { workload, view } of cloudRunWorkloadsIn(all)) {
            for (const message of connectorProblems(workload, view, all, external, undecided)) {
                reportViolation(message, workload.resource.urn);
            }
        }
        adviseUndecided(undecided);
    },
};
