// Source: yuki9431/exvs-analyzer — infra/cloudrun.ts (TypeScript).
// A v2 service whose IMAGE comes from `config.requireSecret("image")`, so the engine sends `image` as a secret
// value (as is the GCS_BUCKET env value). `ports` is one object {8080, "http1"}; limits cpu "2"/"1Gi" with
// cpuIdle true and startupCpuBoost; TCP startup probe (period 10, timeout 5, failureThreshold 5) and HTTP liveness
// on /health; maxInstanceRequestConcurrency 10, timeout "300s", template scaling max 3, launchStage "GA", traffic
// 100% latest; `ignoreChanges: [client, clientVersion]`. No service account (default compute SA), no secrets
// from Secret Manager. Public via the v2 ServiceIamBinding (authoritative for the role) with members ["allUsers"];
// its `location` is the provider region literal, `name` the service's output.
import { CorpusFixture, out } from "../corpus";
import { secretValue } from "../../helpers/policy-harness";

const PROJECT = "exvs-demo-project";
const REGION = "asia-northeast1";

export const fixture: CorpusFixture = {
    title: "yuki9431/exvs-analyzer: v2 service with a secret-config image, cpuIdle true, allUsers ServiceIamBinding",
    source: { repo: "yuki9431/exvs-analyzer", path: "infra/cloudrun.ts" },
    provider: { project: PROJECT, region: REGION },
    resources: [
        {
            type: "gcp:cloudrunv2/service:Service",
            name: "exvs-analyzer",
            props: {
                location: REGION,
                ingress: "INGRESS_TRAFFIC_ALL",
                launchStage: "GA",
                template: {
                    scaling: { maxInstanceCount: 3 },
                    containers: [
                        {
                            image: secretValue(`${REGION}-docker.pkg.dev/${PROJECT}/exvs-analyzer/app:20250601-1a2b3c4`),
                            ports: { containerPort: 8080, name: "http1" },
                            envs: [{ name: "GCS_BUCKET", value: secretValue("exvs-demo-replays") }],
                            resources: { cpuIdle: true, startupCpuBoost: true, limits: { cpu: "2", memory: "1Gi" } },
                            startupProbe: { failureThreshold: 5, periodSeconds: 10, tcpSocket: { port: 8080 }, timeoutSeconds: 5 },
                            livenessProbe: {
                                httpGet: { path: "/health", port: 8080 },
                                periodSeconds: 30,
                                failureThreshold: 3,
                                timeoutSeconds: 5,
                            },
                        },
                    ],
                    maxInstanceRequestConcurrency: 10,
                    timeout: "300s",
                },
                traffics: [{ percent: 100, type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST" }],
            },
        },
        {
            type: "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding",
            name: "exvs-analyzer-public",
            props: {
                name: out("exvs-analyzer", "exvs-analyzer-2f7d9c1"),
                location: REGION,
                role: "roles/run.invoker",
                members: ["allUsers"],
            },
        },
    ],
};
