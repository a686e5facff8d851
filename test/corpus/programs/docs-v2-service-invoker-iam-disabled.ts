// Source: pulumi/pulumi-gcp — sdk/nodejs/cloudrunv2/service.ts, doc example "Cloudrunv2 Service Invokeriam".
// Public WITHOUT any IAM resource: `invokerIamDisabled: true` on the service (Cloud Run skips the invoker check),
// ingress INGRESS_TRAFFIC_ALL, a description. No allUsers member anywhere in the stack.
import { CorpusFixture } from "../corpus";

export const fixture: CorpusFixture = {
    title: "provider docs: Cloudrunv2 Service Invokeriam (invokerIamDisabled: public with no IAM resource)",
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
                invokerIamDisabled: true,
                description: "The serving URL of this service will not perform any IAM check when invoked",
                ingress: "INGRESS_TRAFFIC_ALL",
                template: { containers: [{ image: "us-docker.pkg.dev/cloudrun/container/hello" }] },
            },
        },
    ],
};
