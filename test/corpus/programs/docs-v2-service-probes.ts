// Source: pulumi/pulumi-gcp — sdk/nodejs/cloudrunv2/service.ts, doc example "Cloudrunv2 Service Probes".
// A TCP startup probe on port 8080 with zero initial delay (initialDelaySeconds 0 written out), timeout 1, period 3,
// failureThreshold 1, and an HTTP liveness probe with only `path` (port defaults to the container port). No `ports`
// on the container (defaults to 8080), no ingress, no resources, no service account.
import { CorpusFixture } from "../corpus";

export const fixture: CorpusFixture = {
    title: "provider docs: Cloudrunv2 Service Probes (tcp startup probe 8080, http liveness path only)",
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
                template: {
                    containers: [
                        {
                            image: "us-docker.pkg.dev/cloudrun/container/hello",
                            startupProbe: {
                                initialDelaySeconds: 0,
                                timeoutSeconds: 1,
                                periodSeconds: 3,
                                failureThreshold: 1,
                                tcpSocket: { port: 8080 },
                            },
                            livenessProbe: { httpGet: { path: "/" } },
                        },
                    ],
                },
            },
        },
    ],
};
