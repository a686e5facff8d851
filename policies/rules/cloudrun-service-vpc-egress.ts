/**
 * The backend's database, Redis and ClickHouse are on private IPs: without VPC egress every connection
 * times out. The revision must reach the VPC through a Serverless VPC Access connector or Direct VPC egress.
 */
import { CLOUD_RUN_DOCS, VPC_EGRESS_VALUES, show } from "../lib/cloud-run-limits";
import { ServiceView } from "../lib/cloud-run-service";
import { definePolicyConfig } from "../lib/config";
import { Finding, needsKnown, problem } from "../lib/findings";
import { PackResourcePolicy } from "../lib/pack-policy";
import { PropNode, asList, asString, isAbsent, isUnknown } from "../lib/props";
import { validateServices } from "../lib/validation";

const config = definePolicyConfig({
    required: {
        type: "boolean",
        default: true,
        description: "Require VPC egress (a connector or Direct VPC network interfaces) on every Cloud Run service.",
    },
});

/** Set means: a non-empty value, or one not known yet (it will be a value at apply time). */
function isSetOrPending(node: PropNode, nonEmpty: (node: PropNode) => boolean): boolean {
    return isUnknown(node) || nonEmpty(node);
}

function vpcFindings(view: ServiceView): Finding[] {
    if (isUnknown(view.vpcAccess)) {
        return [needsKnown(view.vpcAccess)];
    }
    const connector = isSetOrPending(view.vpcConnector, (n) => (asString(n) ?? "") !== "");
    const interfaces = isSetOrPending(view.vpcNetworkInterfaces, (n) =>
        view.generation === "v2" ? (asList(n)?.length ?? 0) > 0 : (asString(n) ?? "") !== "");
    const egress = view.vpcEgress;
    const badEgress = view.generation === "v2" && !isAbsent(egress) && !isUnknown(egress) &&
        !(VPC_EGRESS_VALUES as readonly unknown[]).includes(egress.value)
        ? [problem(`template.vpcAccess.egress ${show(egress.value)} is not one of ${VPC_EGRESS_VALUES.join(", ")}`)]
        : [];
    if (connector || interfaces) {
        return badEgress;
    }
    const where = view.generation === "v2"
        ? "template.vpcAccess has neither a connector nor networkInterfaces"
        : "template.metadata.annotations has neither run.googleapis.com/vpc-access-connector nor run.googleapis.com/network-interfaces";
    return [...badEgress, problem(`${where}, so the revision cannot reach private IPs (Cloud SQL, Memorystore); add VPC egress`)];
}

export const cloudrunServiceVpcEgress: PackResourcePolicy = {
    name: "cloudrun-service-vpc-egress",
    description:
        "Stops services that have no route into the VPC, whose connections to private databases and caches would time out. " +
        "Set template.vpcAccess.connector or template.vpcAccess.networkInterfaces.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Create a gcp.vpcaccess.Connector in the service's region and set template.vpcAccess: { connector: connector.id, egress: \"PRIVATE_RANGES_ONLY\" }, " +
        "or use Direct VPC egress with template.vpcAccess.networkInterfaces: [{ network, subnetwork }]. " +
        "v1 services use the run.googleapis.com/vpc-access-connector annotation.",
    url: CLOUD_RUN_DOCS.vpcConnectors,
    configSchema: config.schema,
    validateResource: validateServices((view, args) => (config.read(args).required ? vpcFindings(view) : [])),
};
