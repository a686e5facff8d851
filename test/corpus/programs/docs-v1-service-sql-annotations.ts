// Source: pulumi/pulumi-gcp — sdk/nodejs/cloudrun/service.ts, doc example "Cloud Run Service Sql".
// A v1 service whose template metadata annotations carry maxScale "1000", the Cloud SQL connection
// (`run.googleapis.com/cloudsql-instances` = the instance's connectionName output — an instance in us-east1 while
// the service is in us-central1) and a client-name; autogenerateRevisionName true. Image only; no SA, no limits.
import { CorpusFixture, out } from "../corpus";

const PROJECT = "my-project-name";

export const fixture: CorpusFixture = {
    title: "provider docs: Cloud Run Service Sql (v1 cloudsql-instances annotation, cross-region instance)",
    source: { repo: "pulumi/pulumi-gcp", path: "sdk/nodejs/cloudrun/service.ts" },
    provider: { project: PROJECT, region: "us-central1" },
    resources: [
        {
            type: "gcp:sql/databaseInstance:DatabaseInstance",
            name: "instance",
            props: {
                name: "cloudrun-sql",
                region: "us-east1",
                databaseVersion: "MYSQL_5_7",
                settings: { tier: "db-f1-micro" },
                deletionProtection: true,
            },
        },
        {
            type: "gcp:cloudrun/service:Service",
            name: "default",
            props: {
                name: "cloudrun-srv",
                location: "us-central1",
                template: {
                    spec: { containers: [{ image: "us-docker.pkg.dev/cloudrun/container/hello" }] },
                    metadata: {
                        annotations: {
                            "autoscaling.knative.dev/maxScale": "1000",
                            "run.googleapis.com/cloudsql-instances": out("instance", `${PROJECT}:us-east1:cloudrun-sql`),
                            "run.googleapis.com/client-name": "demo",
                        },
                    },
                },
                autogenerateRevisionName: true,
            },
        },
    ],
};
