// Source: pulumi/pulumi-gcp — sdk/nodejs/cloudrunv2/service.ts, doc example "Cloudrunv2 Service Basic"
// (same text as the @pulumi/gcp 9.x cloudrunv2/service.d.ts doc comment; generated from magic-modules).
// The minimal v2 service: name, location, deletionProtection false, ingress INGRESS_TRAFFIC_ALL, a SERVICE-level
// `scaling.maxInstanceCount` (100) and one container with only `image` (Google's public hello image, no tag).
// No service account, no resources, no ports, no probes, no IAM.
import { CorpusFixture } from "../corpus";

export const fixture: CorpusFixture = {
    title: "provider docs: Cloudrunv2 Service Basic (image only, service-level scaling)",
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
                ingress: "INGRESS_TRAFFIC_ALL",
                scaling: { maxInstanceCount: 100 },
                template: { containers: [{ image: "us-docker.pkg.dev/cloudrun/container/hello" }] },
            },
        },
    ],
};
