// Source: pulumi/pulumi-gcp — sdk/nodejs/cloudrunv2/service.ts, doc example "Cloudrunv2 Service Multicontainer".
// Two containers: the ingress container "hello-1" (the only one with `ports`, 8080) lists `dependsOns: ["hello-2"]`
// and mounts an in-memory emptyDir (256Mi); the sidecar "hello-2" sets env PORT=8081 itself and has an HTTP
// startup probe on 8081 (required because another container depends on it). No resources, no service account.
import { CorpusFixture } from "../corpus";

export const fixture: CorpusFixture = {
    title: "provider docs: Cloudrunv2 Service Multicontainer (sidecar with PORT env and startup probe, dependsOns)",
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
                    containers: [
                        {
                            name: "hello-1",
                            ports: { containerPort: 8080 },
                            image: "us-docker.pkg.dev/cloudrun/container/hello",
                            dependsOns: ["hello-2"],
                            volumeMounts: [{ name: "empty-dir-volume", mountPath: "/mnt" }],
                        },
                        {
                            name: "hello-2",
                            image: "us-docker.pkg.dev/cloudrun/container/hello",
                            envs: [{ name: "PORT", value: "8081" }],
                            startupProbe: { httpGet: { port: 8081 } },
                        },
                    ],
                    volumes: [{ name: "empty-dir-volume", emptyDir: { medium: "MEMORY", sizeLimit: "256Mi" } }],
                },
            },
        },
    ],
};
