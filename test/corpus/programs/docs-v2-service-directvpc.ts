// Source: pulumi/pulumi-gcp — sdk/nodejs/cloudrunv2/service.ts, doc example "Cloudrunv2 Service Directvpc".
// Direct VPC egress: one `networkInterfaces` entry naming network "default" and subnetwork "default" by short name
// (literals, no resources in the stack) with three network tags; no `egress` set; launchStage "GA".
import { CorpusFixture } from "../corpus";

export const fixture: CorpusFixture = {
    title: "provider docs: Cloudrunv2 Service Directvpc (networkInterfaces default/default, tags, no egress)",
    source: { repo: "pulumi/pulumi-gcp", path: "sdk/nodejs/cloudrunv2/service.ts" },
    provider: { project: "my-project-name", region: "us-central1" },
    resources: [
        {
            type: "gcp:cloudrunv2/service:Service",
            name: "default",
            props: {
                name: "cloudrun-service",
                location: "us-central1",
                deletionProtection: false,
                launchStage: "GA",
                template: {
                    containers: [{ image: "us-docker.pkg.dev/cloudrun/container/hello" }],
                    vpcAccess: {
                        networkInterfaces: [{ network: "default", subnetwork: "default", tags: ["tag1", "tag2", "tag3"] }],
                    },
                },
            },
        },
    ],
};
