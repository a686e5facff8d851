// Source: joeriverhavert/pulumi-cloud-run-with-google-cloud-build — main.go (Go, pulumi-gcp sdk v8) and its .env.
// A v1 service whose name, location, image (an Artifact Registry ref by tag v1.0.0), port (80) and port protocol
// ("TCP") all come from a dotenv file as literals. Sets a TCP startup probe (periodSeconds 5, failureThreshold 3,
// on the container port) and nothing else: no limits, no service account. First deploy routes 100% to the latest
// revision (later runs split 70/30 with the previous revision). Public via v1 IamPolicy whose policyData is the
// getIAMPolicy JSON for allUsers/roles/run.invoker.
import { CorpusFixture, out } from "../corpus";

const PROJECT = "telco-sbx-demo";

export const fixture: CorpusFixture = {
    title: "joeriverhavert Go program: v1 service on port 80 with TCP startup probe, allUsers IamPolicy",
    source: { repo: "joeriverhavert/pulumi-cloud-run-with-google-cloud-build", path: "main.go" },
    provider: { project: PROJECT, region: "europe-west1" },
    resources: [
        {
            type: "gcp:cloudrun/service:Service",
            name: "hyperspace-demo-app",
            props: {
                name: "hyperspace-demo-app",
                location: "europe-west1",
                template: {
                    spec: {
                        containers: [
                            {
                                image: `europe-west1-docker.pkg.dev/${PROJECT}/demo-apps/hyperspace-demo-app:v1.0.0`,
                                ports: [{ containerPort: 80, protocol: "TCP" }],
                                startupProbe: { periodSeconds: 5, failureThreshold: 3, tcpSocket: { port: 80 } },
                            },
                        ],
                    },
                },
                traffics: [{ percent: 100, latestRevision: true }],
            },
        },
        {
            type: "gcp:cloudrun/iamPolicy:IamPolicy",
            name: "noauth",
            props: {
                location: out("hyperspace-demo-app", "europe-west1"),
                project: out("hyperspace-demo-app", PROJECT),
                service: out("hyperspace-demo-app", "hyperspace-demo-app"),
                policyData: '{"bindings":[{"members":["allUsers"],"role":"roles/run.invoker"}]}',
            },
        },
    ],
};
