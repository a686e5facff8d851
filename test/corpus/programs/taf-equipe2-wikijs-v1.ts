// Source: TAF-Equipe2/test-api — pulumi/google-cloud/wikijs.ts (TypeScript).
// Wiki.js on a v1 service: dedicated service account (`serviceAccountName`), project-level IAMBinding (authoritative
// for the role!) granting roles/iam.serviceAccountUser and roles/cloudsql.client with a literal project, min/max scale
// 1 and the cloudsql-instances annotation on the template, image = Artifact Registry path built from the registry's
// location/name outputs with a version tag (2.5.291), one `ports` entry (3000). The DB password is a requireSecret
// config value placed in PLAIN envs (DB_PASSWORD and inside DATABASE_URL). Public via v1 IamPolicy (getIAMPolicy
// JSON, allUsers). Cloud SQL instance/database/user and the registry come from other files (database.ts,
// registry.ts, not read): written here with minimal props.
import { CorpusFixture, out } from "../corpus";
import { secretValue } from "../../helpers/policy-harness";

const PROJECT = "euphoric-demo-365518";
const SA = `wikijs-service-user@${PROJECT}.iam.gserviceaccount.com`;
const MEMBER = `serviceAccount:${SA}`;
const CONNECTION = `${PROJECT}:europe-west1:wikijs-db-4c1e9a2`;

export const fixture: CorpusFixture = {
    title: "TAF-Equipe2/test-api wikijs: v1 service with SA, project IAMBindings, plaintext secret envs, allUsers IamPolicy",
    source: { repo: "TAF-Equipe2/test-api", path: "pulumi/google-cloud/wikijs.ts" },
    provider: { project: PROJECT, region: "europe-west1" },
    resources: [
        {
            type: "gcp:projects/service:Service",
            name: "cloudrun",
            props: { service: "run.googleapis.com" },
        },
        {
            type: "gcp:artifactregistry/repository:Repository",
            name: "docker-registry",
            props: { location: "europe-west1", repositoryId: "wikijs-images", format: "DOCKER" },
        },
        {
            type: "gcp:sql/databaseInstance:DatabaseInstance",
            name: "wikijs-db",
            props: { databaseVersion: "MYSQL_8_0", region: "europe-west1", settings: { tier: "db-f1-micro" } },
        },
        {
            type: "gcp:sql/database:Database",
            name: "wikijs-database",
            props: { name: "wikijs", instance: out("wikijs-db", "wikijs-db-4c1e9a2") },
        },
        {
            type: "gcp:sql/user:User",
            name: "wikijs-db-user",
            props: { name: "wikijs", instance: out("wikijs-db", "wikijs-db-4c1e9a2"), password: secretValue("wiki-db-pass") },
        },
        {
            type: "gcp:serviceaccount/account:Account",
            name: "wikijs-service-user",
            props: { accountId: "wikijs-service-user" },
        },
        {
            type: "gcp:projects/iAMBinding:IAMBinding",
            name: "wikijs-service-user-iam",
            props: { members: [out("wikijs-service-user", MEMBER)], role: "roles/iam.serviceAccountUser", project: PROJECT },
        },
        {
            type: "gcp:projects/iAMBinding:IAMBinding",
            name: "wikijs-service-sql-access",
            props: { project: PROJECT, role: "roles/cloudsql.client", members: [out("wikijs-service-user", MEMBER)] },
        },
        {
            type: "gcp:cloudrun/service:Service",
            name: "wikijs",
            props: {
                location: "europe-west1",
                traffics: [{ percent: 100, latestRevision: true }],
                template: {
                    metadata: {
                        annotations: {
                            "autoscaling.knative.dev/maxScale": "1",
                            "autoscaling.knative.dev/minScale": "1",
                            "run.googleapis.com/cloudsql-instances": out("wikijs-db", CONNECTION),
                        },
                    },
                    spec: {
                        serviceAccountName: out("wikijs-service-user", SA),
                        containers: [
                            {
                                image: out("docker-registry", `europe-west1-docker.pkg.dev/${PROJECT}/wikijs-images/wikijs:2.5.291`),
                                ports: [{ containerPort: 3000 }],
                                envs: [
                                    { name: "DB_TYPE", value: "mysql" },
                                    {
                                        name: "DATABASE_URL",
                                        value: out(
                                            "wikijs-db",
                                            secretValue(`mysql://wikijs:wiki-db-pass@localhost:3306/wikijs?socketPath=/cloudsql/${CONNECTION}`),
                                        ),
                                    },
                                    { name: "DB_HOST", value: "localhost" },
                                    { name: "DB_PORT", value: "3306" },
                                    { name: "DB_USER", value: out("wikijs-db-user", "wikijs") },
                                    { name: "DB_PASSWORD", value: secretValue("wiki-db-pass") },
                                    { name: "DB_NAME", value: out("wikijs-database", "wikijs") },
                                    { name: "DB_SOCKET", value: out("wikijs-db", `/cloudsql/${CONNECTION}`) },
                                ],
                            },
                        ],
                    },
                },
                autogenerateRevisionName: true,
            },
            dependsOn: ["cloudrun", "wikijs-service-user-iam", "docker-registry", "wikijs-service-sql-access"],
        },
        {
            type: "gcp:cloudrun/iamPolicy:IamPolicy",
            name: "noauthIamPolicy",
            props: {
                location: out("wikijs", "europe-west1"),
                project: out("wikijs", PROJECT),
                service: out("wikijs", "wikijs-8e2f0c4"),
                policyData: '{"bindings":[{"members":["allUsers"],"role":"roles/run.invoker"}]}',
            },
        },
    ],
};
