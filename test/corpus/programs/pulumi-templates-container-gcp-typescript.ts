// Source: pulumi/templates — container-gcp-typescript/index.ts (TypeScript; the `pulumi new container-gcp-typescript` template).
// A docker.Image pushed to gcr.io under an UNTAGGED name (implicit :latest) feeds a v1 service through `imageName`
// (not repoDigest). cpu/memory limits come from config defaults ("1" via toString(), "1Gi"), one `ports` entry
// (8080), containerConcurrency 80. No service account (default compute SA). Made public with a v1 IamMember
// allUsers/roles/run.invoker. The stored version builds with `build.env.DOCKER_DEFAULT_PLATFORM` (a @pulumi/docker v3
// input); written here in the docker v4+ shape (`build.platform`), as the template's later versions do.
import { CorpusFixture, out } from "../corpus";

const PROJECT = "acme-run-demo";

export const fixture: CorpusFixture = {
    title: "pulumi/templates container-gcp-typescript: v1 service from an untagged docker image, allUsers IamMember",
    source: { repo: "pulumi/templates", path: "container-gcp-typescript/index.ts" },
    provider: { project: PROJECT, region: "us-central1" },
    resources: [
        {
            type: "docker:index/image:Image",
            name: "image",
            props: {
                imageName: `gcr.io/${PROJECT}/my-app`,
                build: { context: "./app", platform: "linux/amd64" },
            },
        },
        {
            type: "gcp:cloudrun/service:Service",
            name: "service",
            props: {
                location: "us-central1",
                template: {
                    spec: {
                        containers: [
                            {
                                image: out("image", `gcr.io/${PROJECT}/my-app`),
                                resources: { limits: { memory: "1Gi", cpu: "1" } },
                                ports: [{ containerPort: 8080 }],
                            },
                        ],
                        containerConcurrency: 80,
                    },
                },
            },
        },
        {
            type: "gcp:cloudrun/iamMember:IamMember",
            name: "invoker",
            props: {
                location: "us-central1",
                service: out("service", "service-3b8e1f0"),
                role: "roles/run.invoker",
                member: "allUsers",
            },
        },
    ],
};
