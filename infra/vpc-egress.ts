/**
 * How the revision reaches the VPC: a Serverless VPC Access connector created here, an existing connector, or
 * direct VPC egress. Egress defaults to PRIVATE_RANGES_ONLY so public traffic does not pay for the connector.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as inputs from "@pulumi/gcp/types/input";
import { Connector } from "@pulumi/gcp/vpcaccess/connector";
import type { VpcPlan } from "./config";
import { recordConfigSources } from "./config-sources";

export interface VpcEgressArgs {
    project: string;
    region: string;
    vpc: VpcPlan;
}

export class VpcEgress extends pulumi.ComponentResource {
    /** The revision template's vpcAccess block (a plain object, so a preview knows all but the new connector's id). */
    public readonly vpcAccess: inputs.cloudrunv2.ServiceTemplateVpcAccess;
    /** The stack config key behind each field of vpcAccess (relative paths: "connector", "egress", ...). */
    public readonly vpcAccessConfigKeys: Readonly<Record<string, string>>;
    /** The connector id (projects/<p>/locations/<r>/connectors/<name>), or undefined with direct egress. */
    public readonly connectorId: pulumi.Output<string | undefined>;

    constructor(name: string, args: VpcEgressArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloudrun-staging:infra:VpcEgress", name, {}, opts);
        const vpc = args.vpc;
        this.vpcAccessConfigKeys = vpcAccessConfigKeys(vpc);
        if (vpc.kind === "direct") {
            this.connectorId = pulumi.output(undefined);
            this.vpcAccess = { egress: vpc.egress, networkInterfaces: [{ network: vpc.network, subnetwork: vpc.subnetwork }] };
        } else {
            const connectorId = vpc.kind === "reuse-connector"
                ? pulumi.output(vpc.connectorId)
                : createConnector(this, name, args.project, args.region, vpc.connector);
            this.connectorId = connectorId;
            this.vpcAccess = { connector: connectorId, egress: vpc.egress };
        }
        this.registerOutputs({ connectorId: this.connectorId });
    }
}

function vpcAccessConfigKeys(vpc: VpcPlan): Record<string, string> {
    const egress = { "": "vpc", egress: "vpc.egress" };
    switch (vpc.kind) {
        case "direct":
            return { ...egress, networkInterfaces: "vpc.direct", "networkInterfaces[0].network": "vpc.direct.network", "networkInterfaces[0].subnetwork": "vpc.direct.subnetwork" };
        case "reuse-connector":
            return { ...egress, connector: "vpc.reuseConnector" };
        case "create-connector":
            return { ...egress, connector: "vpc.createConnector" };
    }
}

function createConnector(
    parent: pulumi.Resource, name: string, project: string, region: string,
    connector: Extract<VpcPlan, { kind: "create-connector" }>["connector"],
): pulumi.Output<string> {
    const created = new Connector(name, {
        project,
        region,
        name: connector.name,
        ipCidrRange: connector.ipCidrRange,
        network: connector.network,
        minInstances: connector.minInstances,
        maxInstances: connector.maxInstances,
        machineType: connector.machineType,
    }, { parent });
    const key = "vpc.createConnector";
    recordConfigSources(created, pulumi.getProject(), {
        "": key,
        ...Object.fromEntries(["name", "ipCidrRange", "network", "minInstances", "maxInstances", "machineType"].map((field) => [field, `${key}.${field}`])),
    });
    return created.id;
}
