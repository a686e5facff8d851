// Source: pulumi/pulumi-gcp — sdk/nodejs/cloudrunv2/service.ts, doc example "Cloudrunv2 Service Gpu".
// One NVIDIA L4: limits {cpu "4", memory "16Gi", "nvidia.com/gpu": "1"}, startupCpuBoost true, nodeSelector
// accelerator "nvidia-l4", gpuZonalRedundancyDisabled true, service-level scaling max 1. `cpuIdle` is NOT set
// (the example relies on the default for a revision with resources), no service account.
import { CorpusFixture } from "../corpus";

export const fixture: CorpusFixture = {
    title: "provider docs: Cloudrunv2 Service Gpu (nvidia-l4, 4 cpu / 16Gi, cpuIdle unset)",
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
                scaling: { maxInstanceCount: 1 },
                template: {
                    containers: [
                        {
                            image: "us-docker.pkg.dev/cloudrun/container/hello",
                            resources: {
                                limits: { cpu: "4", memory: "16Gi", "nvidia.com/gpu": "1" },
                                startupCpuBoost: true,
                            },
                        },
                    ],
                    nodeSelector: { accelerator: "nvidia-l4" },
                    gpuZonalRedundancyDisabled: true,
                },
            },
        },
    ],
};
