// Source: exactly/exa — infra/index.ts (TypeScript) with infra/Pulumi.production.yaml.
// v2 WORKER POOLS (`gcp:cloudrunv2/workerPool:WorkerPool`), one per worker, each with its own service account,
// `scaling.manualInstanceCount` (config, default 1), `args`, and the same image: an Artifact Registry REMOTE repo
// (ghcr.io proxy) `registryUri` output + a tag from config. `resources` is `config.getObject(...)`, unset in the
// production stack, so no `resources` key at all. The only secret env (SENTRY_DSN) references the secret by a
// LITERAL bare id `${stack}-sentry-dsn` (a string, not the Secret resource's output), version "latest". Access is
// granted per secret with SecretIamMember (secretId = the Secret's `id` output, projects/<p>/secrets/<id>) for
// every secret the worker's code reads — including secrets not referenced in the template (the app reads them via
// the API) — and the grants are passed in the pool's `dependsOn` (no property dependency). Secrets use automatic
// replication. gcp:region is unset in the stack; `location` falls back to us-west1 from program config.
import { CorpusFixture, out } from "../corpus";

const PROJECT = "exa-prod-demo";
const STACK = "production";
const LOCATION = "us-west1";
const REGISTRY_URI = `${LOCATION}-docker.pkg.dev/${PROJECT}/${STACK}-ghcr`;
const IMAGE = `${REGISTRY_URI}/exactly/exa-${STACK}:1.42.0`;
const member = (worker: string) => `serviceAccount:${STACK}-${worker}@${PROJECT}.iam.gserviceaccount.com`;

const SECRETS = ["account-alchemy-webhooks-key", "credit-onesignal-api-key", "credit-postgres-url", "redis-url", "sentry-dsn"];

const secret = (name: string) => ({
    type: "gcp:secretmanager/secret:Secret",
    name,
    props: { secretId: `${STACK}-${name}`, replication: { auto: {} } },
    dependsOn: ["secretmanager"],
});

const grant = (resourceName: string, worker: string, secretName: string) => ({
    type: "gcp:secretmanager/secretIamMember:SecretIamMember",
    name: resourceName,
    props: {
        member: out(`${worker}-worker`, member(worker)),
        role: "roles/secretmanager.secretAccessor",
        secretId: out(secretName, `projects/${PROJECT}/secrets/${STACK}-${secretName}`),
    },
});

const sentryEnv = {
    name: "SENTRY_DSN",
    valueSource: { secretKeyRef: { secret: `${STACK}-sentry-dsn`, version: "latest" } },
};

const CREDIT_SECRETS = ["credit-onesignal-api-key", "credit-postgres-url", "redis-url", "sentry-dsn"];
const SUBSCRIBE_SECRETS = ["account-alchemy-webhooks-key", "redis-url", "sentry-dsn"];

export const fixture: CorpusFixture = {
    title: "exactly/exa: v2 worker pools with own SAs, literal secret id in secretKeyRef, per-secret grants via dependsOn",
    source: { repo: "exactly/exa", path: "infra/index.ts" },
    provider: { project: PROJECT, region: LOCATION },
    resources: [
        { type: "gcp:projects/service:Service", name: "iam", props: { service: "iam.googleapis.com" } },
        { type: "gcp:projects/service:Service", name: "run", props: { service: "run.googleapis.com" } },
        { type: "gcp:projects/service:Service", name: "artifactregistry", props: { service: "artifactregistry.googleapis.com" } },
        { type: "gcp:projects/service:Service", name: "secretmanager", props: { service: "secretmanager.googleapis.com" } },
        {
            type: "gcp:serviceaccount/account:Account",
            name: "credit-worker",
            props: { accountId: `${STACK}-credit` },
            dependsOn: ["iam"],
        },
        {
            type: "gcp:serviceaccount/account:Account",
            name: "subscribe-worker",
            props: { accountId: `${STACK}-subscribe` },
            dependsOn: ["iam"],
        },
        ...SECRETS.map(secret),
        {
            type: "gcp:artifactregistry/repository:Repository",
            name: "ghcr",
            props: {
                location: LOCATION,
                format: "DOCKER",
                mode: "REMOTE_REPOSITORY",
                repositoryId: `${STACK}-ghcr`,
                remoteRepositoryConfig: { commonRepository: { uri: "https://ghcr.io" }, description: "ghcr.io" },
                cleanupPolicies: [{ action: "DELETE", condition: { olderThan: "1d" }, id: "delete-cached" }],
            },
            dependsOn: ["artifactregistry"],
        },
        ...CREDIT_SECRETS.map((s) => grant(`credit-${s}-access`, "credit", s)),
        {
            type: "gcp:cloudrunv2/workerPool:WorkerPool",
            name: "credit",
            props: {
                location: LOCATION,
                name: `${STACK}-credit`,
                scaling: { manualInstanceCount: 1 },
                template: {
                    serviceAccount: out("credit-worker", `${STACK}-credit@${PROJECT}.iam.gserviceaccount.com`),
                    containers: [
                        {
                            image: out("ghcr", IMAGE),
                            args: ["dist/workers/credit/worker.cjs"],
                            envs: [
                                { name: "APP_STACK", value: STACK },
                                { name: "DEBUG", value: "exa:*" },
                                { name: "NODE_ENV", value: "production" },
                                sentryEnv,
                            ],
                        },
                    ],
                },
            },
            dependsOn: ["run", ...CREDIT_SECRETS.map((s) => `credit-${s}-access`)],
        },
        ...SUBSCRIBE_SECRETS.map((s) => grant(`${s}-access`, "subscribe", s)),
        {
            type: "gcp:cloudrunv2/workerPool:WorkerPool",
            name: "subscribe",
            props: {
                location: LOCATION,
                name: `${STACK}-subscribe`,
                scaling: { manualInstanceCount: 1 },
                template: {
                    serviceAccount: out("subscribe-worker", `${STACK}-subscribe@${PROJECT}.iam.gserviceaccount.com`),
                    containers: [
                        {
                            image: out("ghcr", IMAGE),
                            args: ["dist/workers/subscribe/worker.cjs"],
                            envs: [
                                { name: "ALCHEMY_ACTIVITY_ID", value: "wh_exampleactivity01" },
                                { name: "APP_STACK", value: STACK },
                                { name: "DEBUG", value: "exa:*" },
                                { name: "NODE_ENV", value: "production" },
                                sentryEnv,
                            ],
                        },
                    ],
                },
            },
            dependsOn: ["run", ...SUBSCRIBE_SECRETS.map((s) => `${s}-access`)],
        },
    ],
};
