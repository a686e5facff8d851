// Source: artcoded-net/vendure-pulumi-gcp — package/Server/CloudRun.ts, package/Server/CloudRunServiceAccount.ts,
// package/Database/Database.ts (TypeScript library used by example-project/pulumi/prod.ts).
// A v1 service with a dedicated service account (`serviceAccountName` = account email), command/args overrides,
// cpu "2"/memory "2Gi" in BOTH limits and requests, timeoutSeconds 1000, and Cloud SQL wired through the
// `run.googleapis.com/cloudsql-instances` annotation on BOTH the service metadata and the template metadata.
// Scaling (minScale 1, maxScale 2, scaleDownDelay) is set as annotations on the SERVICE metadata, not the template.
// Secrets are plain env values: the DB password (the sql.User password output) and a requireSecret mail password.
// The image is a version tag produced by a Cloud Build trigger. The account gets four project-level IAMMember
// roles (storage.admin, cloudsql.client, run.invoker, cloudtasks.admin) — no secretmanager role (none is needed).
// The allUsers IamMember is created INSIDE `service.name.apply(...)`, so it has a literal `service` and no
// dependency on the service (and does not exist at all in a fresh-stack preview).
// Translations to @pulumi/gcp v9: projects.IAMMember `project` is required in v9 (the program, written for an older
// provider, omits it), so the provider project is filled in. Omitted: serviceaccount.Key, DomainMapping, buckets'
// CDN/backends; the DB instance (also created inside an apply in the program) is written as a plain resource.
import { CorpusFixture, out } from "../corpus";
import { secretValue } from "../../helpers/policy-harness";

const PROJECT = "vendure-shop-demo";
const SA = `vendure-shop-run-sa@${PROJECT}.iam.gserviceaccount.com`;
const MEMBER = `serviceAccount:${SA}`;
const DB = "vendure-shop-prod-db-k2q8x1m7z";
const CONNECTION = `${PROJECT}:europe-west1:${DB}`;
const SERVICE = "vendure-shop-prod-server";

const projectRole = (name: string, role: string) => ({
    type: "gcp:projects/iAMMember:IAMMember",
    name,
    props: { project: PROJECT, member: out("vendure-shop-run-sa", MEMBER), role },
});

export const fixture: CorpusFixture = {
    title: "artcoded-net/vendure-pulumi-gcp: v1 service with SA, Cloud SQL annotations, plaintext secret envs, IamMember in apply",
    source: { repo: "artcoded-net/vendure-pulumi-gcp", path: "package/Server/CloudRun.ts" },
    provider: { project: PROJECT, region: "europe-west1" },
    resources: [
        {
            type: "gcp:serviceaccount/account:Account",
            name: "vendure-shop-run-sa",
            props: { accountId: "vendure-shop-run-sa", displayName: "Cloud Run Service Account" },
        },
        projectRole("vendure-shop-cloudrun-storage-iam", "roles/storage.admin"),
        projectRole("vendure-shop-cloudrun-sql-iam", "roles/cloudsql.client"),
        projectRole("vendure-shop-cloudrun-run-invoker-iam", "roles/run.invoker"),
        projectRole("vendure-shop-cloudrun-cloudtasks-iam", "roles/cloudtasks.admin"),
        {
            type: "gcp:sql/databaseInstance:DatabaseInstance",
            name: DB,
            props: {
                name: DB,
                databaseVersion: "POSTGRES_13",
                settings: {
                    tier: "db-f1-micro",
                    backupConfiguration: {
                        enabled: true,
                        pointInTimeRecoveryEnabled: true,
                        backupRetentionSettings: { retainedBackups: 7 },
                    },
                    databaseFlags: [{ name: "max_connections", value: "100" }],
                },
                deletionProtection: false,
            },
        },
        {
            type: "gcp:sql/user:User",
            name: "vendure-shop-prod-db-user",
            props: {
                name: "postgres",
                instance: out(DB, DB),
                password: secretValue("db-password-from-config"),
                deletionPolicy: "ABANDON",
            },
        },
        {
            type: "random:index/randomId:RandomId",
            name: "vendure-shop-prod-tasks-secret",
            props: { byteLength: 10 },
        },
        {
            type: "gcp:storage/bucket:Bucket",
            name: "vendure-shop-prod-assets",
            props: { location: "EU" },
        },
        {
            type: "gcp:cloudrun/service:Service",
            name: "vendure-shop-prod-vendure-server",
            props: {
                name: SERVICE,
                location: "europe-west1",
                template: {
                    metadata: {
                        annotations: { "run.googleapis.com/cloudsql-instances": out(DB, CONNECTION) },
                    },
                    spec: {
                        serviceAccountName: out("vendure-shop-run-sa", SA),
                        containers: [
                            {
                                commands: ["/bin/sh"],
                                args: ["-c", "yarn run:server"],
                                image: `eu.gcr.io/${PROJECT}/vendure-pulumi-gcp:v1.4.0`,
                                ports: [{ containerPort: 3000 }],
                                resources: {
                                    limits: { cpu: "2", memory: "2Gi" },
                                    requests: { cpu: "2", memory: "2Gi" },
                                },
                                envs: [
                                    { name: "ENV", value: "prod" },
                                    { name: "DATABASE_NAME", value: "postgres" },
                                    { name: "DATABASE_HOST", value: out(DB, `/cloudsql/${CONNECTION}`) },
                                    { name: "DATABASE_USERNAME", value: out("vendure-shop-prod-db-user", "postgres") },
                                    {
                                        name: "DATABASE_PASSWORD",
                                        value: out("vendure-shop-prod-db-user", secretValue("db-password-from-config")),
                                    },
                                    { name: "GCP_ASSET_BUCKET", value: out("vendure-shop-prod-assets", "vendure-shop-prod-assets-91c2d7e") },
                                    { name: "VENDURE_ENDPOINT", value: "https://server.shop.example.com" },
                                    { name: "GCP_PROJECT_ID", value: PROJECT },
                                    { name: "GCP_REGION", value: "europe-west1" },
                                    { name: "GOOGLE_TASKS_SECRET", value: out("vendure-shop-prod-tasks-secret", "q1Jk8vN3xZ0pLw==") },
                                    { name: "SHOP_NAME", value: "Example Shop" },
                                    { name: "SHOP_EMAIL", value: "orders@shop.example.com" },
                                    { name: "SITE_URL", value: "https://shop.example.com" },
                                    { name: "MAILGUN_USER", value: "postmaster@mg.shop.example.com" },
                                    { name: "MAILGUN_PASSWORD", value: secretValue("mailgun-password-from-config") },
                                ],
                            },
                        ],
                        timeoutSeconds: 1000,
                    },
                },
                metadata: {
                    annotations: {
                        "autoscaling.knative.dev/minScale": "1",
                        "autoscaling.knative.dev/maxScale": "2",
                        "autoscaling.knative.dev/scaleDownDelay": "15m",
                        "run.googleapis.com/cloudsql-instances": out(DB, CONNECTION),
                        "run.googleapis.com/client-name": "vendure-server",
                    },
                },
                traffics: [{ percent: 100, latestRevision: true }],
                autogenerateRevisionName: true,
            },
        },
        {
            // Created inside `vendureServer.name.apply(...)`: literal service name, no recorded dependency.
            type: "gcp:cloudrun/iamMember:IamMember",
            name: `${SERVICE}-iam-public-access`,
            props: { service: SERVICE, location: "europe-west1", role: "roles/run.invoker", member: "allUsers" },
        },
    ],
};
