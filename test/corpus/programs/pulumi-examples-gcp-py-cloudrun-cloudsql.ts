// Source: pulumi/examples — gcp-py-cloudrun-cloudsql/__main__.py (Python).
// A v1 service with the Cloud SQL connection given only as the template annotation
// `run.googleapis.com/cloudsql-instances` (the instance's connectionName output), the stock hello image, and a
// DATABASE_URL plain env whose value is a postgres:// URL concatenated with the `db-password` secret config and
// `?host=/cloudsql/...` — the password travels as a (secret) env value, not via Secret Manager. No service account,
// no resources, no ports, no invoker IAM at all; traffic 100% to the latest revision.
import { CorpusFixture, out } from "../corpus";
import { secretValue } from "../../helpers/policy-harness";

const PROJECT = "acme-run-demo";
const CONNECTION = `${PROJECT}:us-central1:my-cloud-sql-instance-7e1c0d9`;

export const fixture: CorpusFixture = {
    title: "pulumi/examples gcp-py-cloudrun-cloudsql: v1 service, Cloud SQL annotation, password inside a plain env URL",
    source: { repo: "pulumi/examples", path: "gcp-py-cloudrun-cloudsql/__main__.py" },
    provider: { project: PROJECT, region: "us-central1" },
    resources: [
        {
            type: "gcp:sql/databaseInstance:DatabaseInstance",
            name: "my-cloud-sql-instance",
            props: { databaseVersion: "POSTGRES_12", deletionProtection: false, settings: { tier: "db-f1-micro" } },
        },
        {
            type: "gcp:sql/database:Database",
            name: "database",
            props: { instance: out("my-cloud-sql-instance", "my-cloud-sql-instance-7e1c0d9"), name: "appdb" },
        },
        {
            type: "gcp:sql/user:User",
            name: "users",
            props: {
                name: "appdb",
                instance: out("my-cloud-sql-instance", "my-cloud-sql-instance-7e1c0d9"),
                password: secretValue("s3cr3t-db-password"),
            },
        },
        {
            type: "gcp:cloudrun/service:Service",
            name: "default-service",
            props: {
                location: "us-central1",
                template: {
                    metadata: {
                        annotations: { "run.googleapis.com/cloudsql-instances": out("my-cloud-sql-instance", CONNECTION) },
                    },
                    spec: {
                        containers: [
                            {
                                image: "gcr.io/cloudrun/hello",
                                envs: [
                                    {
                                        name: "DATABASE_URL",
                                        value: out(
                                            "my-cloud-sql-instance",
                                            secretValue(`postgres://appdb:s3cr3t-db-password@/appdb?host=/cloudsql/${CONNECTION}`),
                                        ),
                                    },
                                ],
                            },
                        ],
                    },
                },
                traffics: [{ latestRevision: true, percent: 100 }],
            },
        },
    ],
};
