// Source: pulumi/pulumi-gcp — sdk/nodejs/cloudrunv2/job.ts, doc example "Cloudrunv2 Job Sql".
// A Job with a Cloud SQL volume mounted at /cloudsql, a plain env and a secret env (lower-case name
// "latestdclsecret") referencing the Secret's `secretId` output at version "1". Unlike the service example there is
// NO dependsOn from the Job to the SecretVersion or to the grant; the SecretIamMember (secretId = `secret.id`) goes
// to the default compute SA; the Job sets no service account.
import { CorpusFixture, out } from "../corpus";
import { secretValue } from "../../helpers/policy-harness";

const PROJECT = "my-project-name";
const NUMBER = "123456789012";

export const fixture: CorpusFixture = {
    title: "provider docs: Cloudrunv2 Job Sql (Cloud SQL volume, secret env v1, no dependsOn on version/grant)",
    source: { repo: "pulumi/pulumi-gcp", path: "sdk/nodejs/cloudrunv2/job.ts" },
    provider: { project: PROJECT, region: "us-central1" },
    resources: [
        { type: "gcp:secretmanager/secret:Secret", name: "secret", props: { secretId: "secret", replication: { auto: {} } } },
        {
            type: "gcp:sql/databaseInstance:DatabaseInstance",
            name: "instance",
            props: {
                name: "cloudrun-sql",
                region: "us-central1",
                databaseVersion: "MYSQL_5_7",
                settings: { tier: "db-f1-micro" },
                deletionProtection: true,
            },
        },
        {
            type: "gcp:cloudrunv2/job:Job",
            name: "default",
            props: {
                name: "cloudrun-job",
                location: "us-central1",
                deletionProtection: false,
                template: {
                    template: {
                        volumes: [
                            {
                                name: "cloudsql",
                                cloudSqlInstance: { instances: [out("instance", `${PROJECT}:us-central1:cloudrun-sql`)] },
                            },
                        ],
                        containers: [
                            {
                                image: "us-docker.pkg.dev/cloudrun/container/job",
                                envs: [
                                    { name: "FOO", value: "bar" },
                                    {
                                        name: "latestdclsecret",
                                        valueSource: { secretKeyRef: { secret: out("secret", "secret"), version: "1" } },
                                    },
                                ],
                                volumeMounts: [{ name: "cloudsql", mountPath: "/cloudsql" }],
                            },
                        ],
                    },
                },
            },
        },
        {
            type: "gcp:secretmanager/secretVersion:SecretVersion",
            name: "secret-version-data",
            props: { secret: out("secret", `projects/${NUMBER}/secrets/secret`), secretData: secretValue("secret-data") },
        },
        {
            type: "gcp:secretmanager/secretIamMember:SecretIamMember",
            name: "secret-access",
            props: {
                secretId: out("secret", `projects/${PROJECT}/secrets/secret`),
                role: "roles/secretmanager.secretAccessor",
                member: `serviceAccount:${NUMBER}-compute@developer.gserviceaccount.com`,
            },
            dependsOn: ["secret"],
        },
    ],
};
