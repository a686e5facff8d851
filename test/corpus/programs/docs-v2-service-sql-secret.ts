// Source: pulumi/pulumi-gcp — sdk/nodejs/cloudrunv2/service.ts, doc example "Cloudrunv2 Service Sql".
// A Cloud SQL volume (`cloudSqlInstance.instances` = the instance's connectionName output) mounted at /cloudsql, a
// plain env FOO and a secret env whose `secretKeyRef.secret` is the Secret's `secretId` output (bare id) pinned to
// version "1"; service-level scaling max 2; traffic 100% latest; explicit dependsOn the SecretVersion. No service
// account: the SecretIamMember grants roles/secretmanager.secretAccessor on `secret.id` (full path) to the DEFAULT
// COMPUTE service account, built from the project NUMBER (getProject data source, known at preview).
import { CorpusFixture, out } from "../corpus";
import { secretValue } from "../../helpers/policy-harness";

const PROJECT = "my-project-name";
const NUMBER = "123456789012";

export const fixture: CorpusFixture = {
    title: "provider docs: Cloudrunv2 Service Sql (Cloud SQL volume, secret env v1, grant to default compute SA)",
    source: { repo: "pulumi/pulumi-gcp", path: "sdk/nodejs/cloudrunv2/service.ts" },
    provider: { project: PROJECT, region: "us-central1" },
    resources: [
        {
            type: "gcp:secretmanager/secret:Secret",
            name: "secret",
            props: { secretId: "secret-1", replication: { auto: {} } },
        },
        {
            type: "gcp:secretmanager/secretVersion:SecretVersion",
            name: "secret-version-data",
            props: { secret: out("secret", `projects/${NUMBER}/secrets/secret-1`), secretData: secretValue("secret-data") },
        },
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
            type: "gcp:cloudrunv2/service:Service",
            name: "default",
            props: {
                name: "cloudrun-service",
                location: "us-central1",
                deletionProtection: false,
                ingress: "INGRESS_TRAFFIC_ALL",
                scaling: { maxInstanceCount: 2 },
                template: {
                    volumes: [
                        {
                            name: "cloudsql",
                            cloudSqlInstance: { instances: [out("instance", `${PROJECT}:us-central1:cloudrun-sql`)] },
                        },
                    ],
                    containers: [
                        {
                            image: "us-docker.pkg.dev/cloudrun/container/hello",
                            envs: [
                                { name: "FOO", value: "bar" },
                                {
                                    name: "SECRET_ENV_VAR",
                                    valueSource: { secretKeyRef: { secret: out("secret", "secret-1"), version: "1" } },
                                },
                            ],
                            volumeMounts: [{ name: "cloudsql", mountPath: "/cloudsql" }],
                        },
                    ],
                },
                traffics: [{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", percent: 100 }],
            },
            dependsOn: ["secret-version-data"],
        },
        {
            type: "gcp:secretmanager/secretIamMember:SecretIamMember",
            name: "secret-access",
            props: {
                secretId: out("secret", `projects/${PROJECT}/secrets/secret-1`),
                role: "roles/secretmanager.secretAccessor",
                member: `serviceAccount:${NUMBER}-compute@developer.gserviceaccount.com`,
            },
            dependsOn: ["secret"],
        },
    ],
};
