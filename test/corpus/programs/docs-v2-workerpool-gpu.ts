// Source: pulumi/pulumi-gcp — sdk/nodejs/cloudrunv2/workerPool.ts, doc example "Cloudrunv2 Worker Pool Gpu".
// A worker pool with one NVIDIA L4 (limits cpu "4", memory "16Gi", "nvidia.com/gpu": "1"), nodeSelector
// accelerator "nvidia-l4", gpuZonalRedundancyDisabled true. No cpuIdle/startupCpuBoost, no scaling, no SA.
import { CorpusFixture } from "../corpus";

export const fixture: CorpusFixture = {
    title: "provider docs: Cloudrunv2 Worker Pool Gpu (nvidia-l4)",
    source: { repo: "pulumi/pulumi-gcp", path: "sdk/nodejs/cloudrunv2/workerPool.ts" },
    provider: { project: "my-project-name", region: "us-central1" },
    resources: [
        {
            type: "gcp:cloudrunv2/workerPool:WorkerPool",
            name: "default",
            props: {
                name: "cloudrun-worker-pool",
                location: "us-central1",
                deletionProtection: false,
                template: {
                    containers: [
                        {
                            image: "us-docker.pkg.dev/cloudrun/container/worker-pool",
                            resources: { limits: { cpu: "4", memory: "16Gi", "nvidia.com/gpu": "1" } },
                        },
                    ],
                    nodeSelector: { accelerator: "nvidia-l4" },
                    gpuZonalRedundancyDisabled: true,
                },
            },
        },
    ],
};
