// Source: pulumi/pulumi-gcp — sdk/nodejs/cloudrunv2/service.ts, doc example "Cloudrunv2 Service Limits".
// One container with `resources.limits` {cpu: "2", memory: "1024Mi"} and nothing about cpuIdle/startupCpuBoost;
// `template.healthCheckDisabled: true`. No service account, no ports, no probes.
import { CorpusFixture } from "../corpus";

export const fixture: CorpusFixture = {
    title: "provider docs: Cloudrunv2 Service Limits (cpu 2, 1024Mi, healthCheckDisabled)",
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
                template: {
                    healthCheckDisabled: true,
                    containers: [
                        {
                            image: "us-docker.pkg.dev/cloudrun/container/hello",
                            resources: { limits: { cpu: "2", memory: "1024Mi" } },
                        },
                    ],
                },
            },
        },
    ],
};
