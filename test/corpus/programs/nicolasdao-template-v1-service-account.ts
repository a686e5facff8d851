// Source: nicolasdao/template-pulumi-cloud-run — index.js and utils/cloudRun.js (JavaScript).
// A docker.Image tagged with the git short SHA (falls back to 'latest') pushed to gcr.io with an access-token
// registry login; a dedicated service account; a v1 service with `serviceAccountName` = the account email, only a
// memory limit, containerConcurrency 80, no ports. Database credentials (including DB_PASSWORD) are copied from
// process.env into PLAIN env values (not Pulumi secrets, not Secret Manager). No invoker IAM (the public-access
// binding is commented out), so the service is private. Written for @pulumi/docker v3 (`build.extraOptions`, empty
// here) — dropped in the docker v4+ shape used by this fixture.
import { CorpusFixture, out } from "../corpus";

const PROJECT = "acme-template-demo";
const SA = `myapp-test-cloudrun@${PROJECT}.iam.gserviceaccount.com`;
const IMAGE = `gcr.io/${PROJECT}/myapp:3f9c2ab`;

export const fixture: CorpusFixture = {
    title: "nicolasdao/template-pulumi-cloud-run: v1 service with dedicated SA, git-sha tag, plaintext DB_PASSWORD env",
    source: { repo: "nicolasdao/template-pulumi-cloud-run", path: "utils/cloudRun.js" },
    provider: { project: PROJECT, region: "us-central1" },
    resources: [
        {
            type: "docker:index/image:Image",
            name: "myapp",
            props: {
                imageName: IMAGE,
                build: { context: "./app" },
                registry: { server: "gcr.io", username: "oauth2accesstoken", password: "ya29.example-access-token" },
            },
        },
        {
            type: "gcp:serviceaccount/account:Account",
            name: "myapp-test-cloudrun",
            props: { accountId: "myapp-test-cloudrun", displayName: "myapp-test-cloudrun" },
        },
        {
            type: "gcp:cloudrun/service:Service",
            name: "myapp-test",
            props: {
                name: "myapp-test",
                location: "us-central1",
                template: {
                    spec: {
                        containers: [
                            {
                                envs: [
                                    { name: "DB_NAME", value: "myapp" },
                                    { name: "DB_USER", value: "myapp_user" },
                                    { name: "DB_PASSWORD", value: "plaintext-password-from-dotenv" },
                                    { name: "DB_MASTER_ENDPOINT", value: "10.20.0.5" },
                                    { name: "DB_READER_ENDPOINT", value: "10.20.0.6" },
                                    { name: "DB_MAX_CONN", value: "10" },
                                ],
                                image: out("myapp", IMAGE),
                                resources: { limits: { memory: "512Mi" } },
                            },
                        ],
                        serviceAccountName: out("myapp-test-cloudrun", SA),
                        containerConcurrency: 80,
                    },
                },
            },
        },
    ],
};
