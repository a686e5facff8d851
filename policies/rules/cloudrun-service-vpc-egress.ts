/**
 * Team requirement: the backend's database, Redis and ClickHouse are on private IPs, so without VPC egress
 * every connection times out. A service, job or worker pool must reach the VPC through a Serverless VPC Access
 * connector or Direct VPC egress. Cloud Run's own VPC rules are cloudrun-service-valid-vpc.
 */
import { CLOUD_RUN_DOCS } from "../lib/cloud-run-limits";
import { definePolicyConfig } from "../lib/config";
import { Finding, needsKnown, problem } from "../lib/findings";
import { PackResourcePolicy } from "../lib/pack-policy";
import { isAbsent, isUnknown, zeroAsAbsent } from "../lib/props";
import { ALL_WORKLOADS, validateWorkloads } from "../lib/validation";
import { V1_ANNOTATIONS, WorkloadView } from "../lib/workload";

const config = definePolicyConfig("cloudrun-service-vpc-egress", {
    required: {
        type: "boolean",
        default: true,
        description: "Require VPC egress (a connector or Direct VPC network interfaces) on every Cloud Run service, job and worker pool.",
    },
});

function vpcFindings(view: WorkloadView): Finding[] {
    if (isUnknown(view.vpcAccess)) {
        return [needsKnown(view.vpcAccess)];
    }
    // Set but unknown counts as set: it will be a value at apply time.
    if (!isAbsent(zeroAsAbsent(view.vpcConnector)) || !isAbsent(zeroAsAbsent(view.vpcNetworkInterfaces))) {
        return [];
    }
    const where = view.generation === "v2"
        ? `${view.fields.vpc} has neither a connector nor networkInterfaces`
        : `template.metadata.annotations has neither ${V1_ANNOTATIONS.vpcConnector} nor ${V1_ANNOTATIONS.networkInterfaces}`;
    return [problem(`${where}, so the ${view.noun} cannot reach private IPs (Cloud SQL, Memorystore); add VPC egress`, view.vpcAccess)];
}

export const cloudrunServiceVpcEgress: PackResourcePolicy = {
    name: "cloudrun-service-vpc-egress",
    description:
        "Team requirement: stops services, jobs and worker pools that have no route into the VPC, whose connections to private databases and caches would time out. " +
        "Set vpcAccess.connector or vpcAccess.networkInterfaces.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Create a gcp.vpcaccess.Connector in the service's region and set template.vpcAccess: { connector: connector.id, egress: \"PRIVATE_RANGES_ONLY\" }, " +
        "or use Direct VPC egress with template.vpcAccess.networkInterfaces: [{ network, subnetwork }]. " +
        `v1 services use the ${V1_ANNOTATIONS.vpcConnector} annotation.`,
    url: CLOUD_RUN_DOCS.vpcConnectors,
    configSchema: config.schema,
    validateResource: validateWorkloads(ALL_WORKLOADS, (view, args) => (config.read(args).required ? vpcFindings(view) : [])),
};
