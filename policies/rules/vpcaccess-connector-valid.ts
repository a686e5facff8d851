/**
 * A Serverless VPC Access connector with a bad name, range, size or machine type fails at create time,
 * after the services that depend on it were planned. Checks the connector limits before apply.
 */
import { CLOUD_RUN_DOCS, CONNECTOR_LIMITS, ConnectorSpec, connectorProblems } from "../lib/cloud-run-limits";
import { Finding, needsKnown, problem } from "../lib/findings";
import { PackResourcePolicy } from "../lib/pack-policy";
import { PropNode, at, isAbsent, isUnknown, zeroAsAbsent } from "../lib/props";
import { RESOURCE_TYPES } from "../lib/resource-types";
import { validateTypes } from "../lib/validation";

const SPEC_FIELDS = ["name", "ipCidrRange", "minInstances", "maxInstances", "minThroughput", "maxThroughput", "machineType"] as const;

function connectorFindings(root: PropNode): Finding[] {
    const spec: ConnectorSpec = {};
    const pending: Finding[] = [];
    for (const field of SPEC_FIELDS) {
        const node = zeroAsAbsent(at(root, field));
        if (isUnknown(node)) {
            pending.push(needsKnown(node));
        } else if (!isAbsent(node)) {
            spec[field] = node.value;
        }
    }
    // An unknown field is left out of the spec, so it is not judged; the known ones still are.
    const problems = connectorProblems(spec).map((p) => problem(p.message));
    return [...problems, ...networkFindings(root), ...pending];
}

/** The connector needs a range plus a network, or an existing subnet. */
function networkFindings(root: PropNode): Finding[] {
    const hasRange = !isAbsent(zeroAsAbsent(at(root, "ipCidrRange")));
    const hasNetwork = !isAbsent(zeroAsAbsent(at(root, "network")));
    const hasSubnet = !isAbsent(zeroAsAbsent(at(root, "subnet")));
    if (hasSubnet || (hasRange && hasNetwork)) {
        return [];
    }
    return [problem(hasRange
        ? "ipCidrRange is set without network; set network as well"
        : `set ipCidrRange (an unused /${CONNECTOR_LIMITS.ipCidrPrefixLength}) with network, or subnet`)];
}

export const vpcaccessConnectorValid: PackResourcePolicy = {
    name: "vpcaccess-connector-valid",
    description:
        "Stops Serverless VPC Access connectors that the API rejects: bad name, a range that is not an unused /28, out-of-range instances " +
        "or throughput, an unsupported machine type, or no network. Fix the connector's settings to Cloud Run's connector limits.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        `Name it to match ${CONNECTOR_LIMITS.nameRe.source}; give ipCidrRange as an unused /${CONNECTOR_LIMITS.ipCidrPrefixLength} with network (or use subnet); ` +
        `use minInstances ${CONNECTOR_LIMITS.minInstances.min}-${CONNECTOR_LIMITS.minInstances.max} and maxInstances ${CONNECTOR_LIMITS.maxInstances.min}-${CONNECTOR_LIMITS.maxInstances.max} (max > min) ` +
        `and machineType one of ${CONNECTOR_LIMITS.machineTypes.join(", ")}.`,
    url: CLOUD_RUN_DOCS.vpcConnectors,
    validateResource: validateTypes([RESOURCE_TYPES.vpcAccessConnector], connectorFindings),
};
