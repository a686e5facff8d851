// Source: pulumi/examples — gcp-ts-cloudrun/index.ts (TypeScript).
// Two v1 services (`gcp:cloudrun/service:Service`): a stock "hello" image with nothing but the image set, and a
// custom image built by a docker.Image whose `imageName` (a fixed tag, v1.0.0 — not the repoDigest) feeds the
// container. Only a memory limit, a one-element `ports` list and containerConcurrency are set; no service
// account (default compute SA), no location-independent project. Each service is opened with a v1 IamMember
// `allUsers` / roles/run.invoker whose `service` is the service's `name` output.
import { CorpusFixture, out } from "../corpus";

const PROJECT = "acme-run-demo";

export const fixture: CorpusFixture = {
    title: "pulumi/examples gcp-ts-cloudrun: v1 hello + docker-built image by tag, allUsers IamMember on both",
    source: { repo: "pulumi/examples", path: "gcp-ts-cloudrun/index.ts" },
    provider: { project: PROJECT, region: "us-central1" },
    resources: [
        {
            type: "gcp:cloudrun/service:Service",
            name: "hello",
            props: {
                location: "us-central1",
                template: { spec: { containers: [{ image: "gcr.io/cloudrun/hello" }] } },
            },
        },
        {
            type: "gcp:cloudrun/iamMember:IamMember",
            name: "hello-everyone",
            props: {
                service: out("hello", "hello-5c1d7e2"),
                location: "us-central1",
                role: "roles/run.invoker",
                member: "allUsers",
            },
        },
        {
            type: "docker:index/image:Image",
            name: "ruby-app",
            props: {
                imageName: `gcr.io/${PROJECT}/ruby-app:v1.0.0`,
                build: { context: "./app", platform: "linux/amd64" },
            },
        },
        {
            type: "gcp:cloudrun/service:Service",
            name: "ruby",
            props: {
                location: "us-central1",
                template: {
                    spec: {
                        containers: [
                            {
                                image: out("ruby-app", `gcr.io/${PROJECT}/ruby-app:v1.0.0`),
                                resources: { limits: { memory: "1Gi" } },
                                ports: [{ containerPort: 8080 }],
                            },
                        ],
                        containerConcurrency: 50,
                    },
                },
            },
        },
        {
            type: "gcp:cloudrun/iamMember:IamMember",
            name: "ruby-everyone",
            props: {
                service: out("ruby", "ruby-0a9f4b3"),
                location: "us-central1",
                role: "roles/run.invoker",
                member: "allUsers",
            },
        },
    ],
};
