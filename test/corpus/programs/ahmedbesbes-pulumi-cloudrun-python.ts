// Source: ahmedbesbes/pulumi-cloudrun — __main__.py (Python, from the container-gcp-python template, pulumi-gcp 7.x).
// An Artifact Registry repo whose id comes from a random.RandomString, a docker.Image named after the repo, and a
// v1 service whose image is the image's `repo_digest` (pinned by digest). Limits are a Python dict with the cpu
// config read by `get_int` — so `cpu` reaches the engine as the NUMBER 1, not "1" — and an env FLASK_RUN_PORT whose
// value is the int container port (number 8080). One `ports` entry, no service account, no concurrency; public via
// a v1 IamMember allUsers.
import { CorpusFixture, out } from "../corpus";

const PROJECT = "acme-flask-demo";
const REPO_URL = `us-central1-docker.pkg.dev/${PROJECT}/repo-k3x9`;
const DIGEST = "3e7a9c1f5b2d8e4a6c0f1b3d5e7a9c2f4b6d8e0a1c3e5f7b9d2a4c6e8f0b1d3e";

export const fixture: CorpusFixture = {
    title: "ahmedbesbes/pulumi-cloudrun: v1 service by repoDigest, numeric cpu limit and numeric env value (Python)",
    source: { repo: "ahmedbesbes/pulumi-cloudrun", path: "__main__.py" },
    provider: { project: PROJECT, region: "us-central1" },
    resources: [
        {
            type: "random:index/randomString:RandomString",
            name: "unique-string",
            props: { length: 4, lower: true, upper: false, numeric: true, special: false },
        },
        {
            type: "gcp:artifactregistry/repository:Repository",
            name: "repository",
            props: {
                description: "Repository for container image",
                format: "DOCKER",
                location: "us-central1",
                repositoryId: out("unique-string", "repo-k3x9"),
            },
        },
        {
            type: "docker:index/image:Image",
            name: "image",
            props: {
                imageName: out("repository", `${REPO_URL}/my-app`),
                build: { context: "./app", platform: "linux/amd64" },
            },
        },
        {
            type: "gcp:cloudrun/service:Service",
            name: "default-service",
            props: {
                location: "us-central1",
                template: {
                    spec: {
                        containers: [
                            {
                                image: out("image", `${REPO_URL}/my-app@sha256:${DIGEST}`),
                                resources: { limits: { memory: "1Gi", cpu: 1 } },
                                ports: [{ containerPort: 8080 }],
                                envs: [{ name: "FLASK_RUN_PORT", value: 8080 }],
                            },
                        ],
                    },
                },
                traffics: [{ latestRevision: true, percent: 100 }],
            },
        },
        {
            type: "gcp:cloudrun/iamMember:IamMember",
            name: "invoker",
            props: {
                location: "us-central1",
                service: out("default-service", "default-service-6d2c9a1"),
                role: "roles/run.invoker",
                member: "allUsers",
            },
        },
    ],
};
