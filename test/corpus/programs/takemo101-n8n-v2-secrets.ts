// Source: takemo101/n8n-pulumi — index.ts (TypeScript).
// n8n on a v2 service with a dedicated service account, the Docker Hub image `n8nio/n8n:latest`, cpu "1"/"1Gi",
// `ports` as a single object (5678), scaling min 1 / max 5, no probes. Two Secret Manager secrets (automatic
// replication; versions from a requireSecret config value and a random.RandomString) are referenced from envs by
// the Secret's `secretId` output (bare id) with version "latest"; per-secret SecretIamMember grants set `project`
// (the Secret's project output) and the bare `secretId` output — with NO dependsOn between the service and the grants.
// Public via v2 ServiceIamMember allUsers with project/location/name from the service's outputs. The program also
// rewrites WEBHOOK_URL/N8N_EDITOR_BASE_URL out of band with a command.local.Command created inside an apply (omitted).
import { CorpusFixture, out } from "../corpus";
import { secretValue } from "../../helpers/policy-harness";

const PROJECT = "n8n-demo-project";
const REGION = "asia-northeast1";
const SA = `n8n-service-account@${PROJECT}.iam.gserviceaccount.com`;

export const fixture: CorpusFixture = {
    title: "takemo101/n8n-pulumi: v2 service with SA, :latest Docker Hub image, secret envs by secretId, per-secret grants",
    source: { repo: "takemo101/n8n-pulumi", path: "index.ts" },
    provider: { project: PROJECT, region: REGION },
    resources: [
        {
            type: "gcp:projects/service:Service",
            name: "enable-run",
            props: { project: PROJECT, service: "run.googleapis.com", disableDependentServices: true },
        },
        {
            type: "gcp:projects/service:Service",
            name: "enable-secretmanager",
            props: { project: PROJECT, service: "secretmanager.googleapis.com", disableDependentServices: true },
        },
        {
            type: "gcp:serviceaccount/account:Account",
            name: "n8n-service-account",
            props: { accountId: "n8n-service-account", displayName: "n8n Service Account", project: PROJECT },
        },
        {
            type: "gcp:secretmanager/secret:Secret",
            name: "db-password-secret",
            props: { secretId: "supabase-db-password", replication: { auto: {} } },
            dependsOn: ["enable-run", "enable-secretmanager"],
        },
        {
            type: "gcp:secretmanager/secretVersion:SecretVersion",
            name: "db-password-secret-version",
            props: {
                secret: out("db-password-secret", `projects/${PROJECT}/secrets/supabase-db-password`),
                secretData: secretValue("supabase-password-from-config"),
            },
        },
        {
            type: "gcp:secretmanager/secret:Secret",
            name: "n8n-encryption-key-secret",
            props: { secretId: "n8n-encryption-key", replication: { auto: {} } },
            dependsOn: ["enable-run", "enable-secretmanager"],
        },
        {
            type: "random:index/randomString:RandomString",
            name: "n8n-encryption-key-random",
            props: { length: 32, special: false },
        },
        {
            type: "gcp:secretmanager/secretVersion:SecretVersion",
            name: "n8n-encryption-key-secret-version",
            props: {
                secret: out("n8n-encryption-key-secret", `projects/${PROJECT}/secrets/n8n-encryption-key`),
                secretData: out("n8n-encryption-key-random", secretValue("Zq8sW2nX4vB6mL0pR3tY7uI9oK1jH5gF")),
            },
        },
        {
            type: "gcp:cloudrunv2/service:Service",
            name: "n8n-service",
            props: {
                name: "n8n-supabase-service",
                location: REGION,
                deletionProtection: false,
                template: {
                    serviceAccount: out("n8n-service-account", SA),
                    scaling: { minInstanceCount: 1, maxInstanceCount: 5 },
                    containers: [
                        {
                            image: "n8nio/n8n:latest",
                            ports: { containerPort: 5678 },
                            resources: { limits: { cpu: "1", memory: "1Gi" } },
                            envs: [
                                { name: "DB_TYPE", value: "postgresdb" },
                                { name: "DB_POSTGRESDB_HOST", value: "db.exampleref.supabase.co" },
                                { name: "DB_POSTGRESDB_PORT", value: "5432" },
                                { name: "DB_POSTGRESDB_DATABASE", value: "postgres" },
                                { name: "DB_POSTGRESDB_USER", value: "postgres" },
                                { name: "DB_POSTGRESDB_SSL", value: "true" },
                                {
                                    name: "DB_POSTGRESDB_PASSWORD",
                                    valueSource: {
                                        secretKeyRef: { secret: out("db-password-secret", "supabase-db-password"), version: "latest" },
                                    },
                                },
                                { name: "GENERIC_TIMEZONE", value: "Asia/Tokyo" },
                                {
                                    name: "N8N_ENCRYPTION_KEY",
                                    valueSource: {
                                        secretKeyRef: { secret: out("n8n-encryption-key-secret", "n8n-encryption-key"), version: "latest" },
                                    },
                                },
                                { name: "N8N_USER_MANAGEMENT_DISABLED", value: "true" },
                            ],
                        },
                    ],
                },
            },
        },
        {
            type: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
            name: "n8n-invoker",
            props: {
                project: out("n8n-service", PROJECT),
                location: out("n8n-service", REGION),
                name: out("n8n-service", "n8n-supabase-service"),
                role: "roles/run.invoker",
                member: "allUsers",
            },
        },
        {
            type: "gcp:secretmanager/secretIamMember:SecretIamMember",
            name: "db-password-accessor",
            props: {
                project: out("db-password-secret", PROJECT),
                secretId: out("db-password-secret", "supabase-db-password"),
                role: "roles/secretmanager.secretAccessor",
                member: out("n8n-service-account", `serviceAccount:${SA}`),
            },
        },
        {
            type: "gcp:secretmanager/secretIamMember:SecretIamMember",
            name: "encryption-key-accessor",
            props: {
                project: out("n8n-encryption-key-secret", PROJECT),
                secretId: out("n8n-encryption-key-secret", "n8n-encryption-key"),
                role: "roles/secretmanager.secretAccessor",
                member: out("n8n-service-account", `serviceAccount:${SA}`),
            },
        },
    ],
};
