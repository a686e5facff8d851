// Source: pulumi/pulumi-gcp — sdk/nodejs/cloudrunv2/workerPool.ts, doc example "Cloudrunv2 Worker Pool Basic Depends On".
// A worker pool (no ingress, no ports anywhere) with two containers: "foo-1" dependsOns "foo-2", and "foo-2" has
// an HTTP startup probe on /healthz:8080 (period 5, timeout 2, failureThreshold 3). No scaling block, no service
// account, no resources, no launchStage (as in the @pulumi/gcp 9.37 doc text).
import { CorpusFixture } from "../corpus";

export const fixture: CorpusFixture = {
    title: "provider docs: Cloudrunv2 Worker Pool Basic Depends On (two containers, startup probe on the dependency)",
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
                        { name: "foo-1", image: "us-docker.pkg.dev/cloudrun/container/worker-pool", dependsOns: ["foo-2"] },
                        {
                            name: "foo-2",
                            image: "us-docker.pkg.dev/cloudrun/container/worker-pool",
                            startupProbe: {
                                httpGet: { path: "/healthz", port: 8080 },
                                periodSeconds: 5,
                                timeoutSeconds: 2,
                                failureThreshold: 3,
                            },
                        },
                    ],
                },
            },
        },
    ],
};
