// Source: pulumi/pulumi-gcp — sdk/nodejs/cloudrunv2/service.ts, doc example "Cloudrunv2 Service Vpcaccess".
// A Serverless VPC Access connector defined by `subnet.name` (a dedicated /28 subnetwork's name output) — not
// network + ipCidrRange — with machineType e2-standard-4, min 2 / max 3 instances, in the service's region; the
// service sets `vpcAccess.connector` to the connector's `id` output and egress ALL_TRAFFIC. No ingress, no SA.
import { CorpusFixture, out } from "../corpus";

const PROJECT = "my-project-name";

export const fixture: CorpusFixture = {
    title: "provider docs: Cloudrunv2 Service Vpcaccess (connector by subnet name, egress ALL_TRAFFIC)",
    source: { repo: "pulumi/pulumi-gcp", path: "sdk/nodejs/cloudrunv2/service.ts" },
    provider: { project: PROJECT, region: "us-central1" },
    resources: [
        {
            type: "gcp:compute/network:Network",
            name: "custom_test_network",
            props: { name: "run-network", autoCreateSubnetworks: false },
        },
        {
            type: "gcp:compute/subnetwork:Subnetwork",
            name: "custom_test",
            props: {
                name: "run-subnetwork",
                ipCidrRange: "10.2.0.0/28",
                region: "us-central1",
                network: out("custom_test_network", `projects/${PROJECT}/global/networks/run-network`),
            },
        },
        {
            type: "gcp:vpcaccess/connector:Connector",
            name: "connector",
            props: {
                name: "run-vpc",
                subnet: { name: out("custom_test", "run-subnetwork") },
                machineType: "e2-standard-4",
                minInstances: 2,
                maxInstances: 3,
                region: "us-central1",
            },
        },
        {
            type: "gcp:cloudrunv2/service:Service",
            name: "default",
            props: {
                name: "cloudrun-service",
                location: "us-central1",
                deletionProtection: false,
                template: {
                    containers: [{ image: "us-docker.pkg.dev/cloudrun/container/hello" }],
                    vpcAccess: {
                        connector: out("connector", `projects/${PROJECT}/locations/us-central1/connectors/run-vpc`),
                        egress: "ALL_TRAFFIC",
                    },
                },
            },
        },
    ],
};
