// Source: sendo-kakeru/pulumi-cloud-run — pulumi/index.ts (TypeScript).
// The provider's "Cloud Run Service Pubsub" doc example adapted: a v1 service with the stock hello image and
// nothing else (no service account, no limits), a v1 IamBinding (authoritative for the role) whose members were
// changed to ["allUsers"], and a project-level IAMBinding granting roles/iam.serviceAccountTokenCreator to a
// separate "invoker" service account (project taken from the account's `project` output). That account is NOT the
// service's runtime identity. (The program's Cloud Build connection/trigger and Pub/Sub topic/subscription are omitted.)
import { CorpusFixture, out } from "../corpus";

const PROJECT = "balmy-demo-431522";
const SA = `cloud-run-pubsub-invoker@${PROJECT}.iam.gserviceaccount.com`;

export const fixture: CorpusFixture = {
    title: "sendo-kakeru/pulumi-cloud-run: v1 service, allUsers via cloudrun IamBinding, project IAMBinding (tokenCreator)",
    source: { repo: "sendo-kakeru/pulumi-cloud-run", path: "pulumi/index.ts" },
    provider: { project: PROJECT, region: "us-central1" },
    resources: [
        {
            type: "gcp:cloudrun/service:Service",
            name: "default",
            props: {
                name: "cloud-run-service-name",
                location: "us-central1",
                template: { spec: { containers: [{ image: "gcr.io/cloudrun/hello" }] } },
                traffics: [{ percent: 100, latestRevision: true }],
            },
        },
        {
            type: "gcp:serviceaccount/account:Account",
            name: "sa",
            props: { accountId: "cloud-run-pubsub-invoker", displayName: "Cloud Run Pub/Sub Invoker" },
        },
        {
            type: "gcp:cloudrun/iamBinding:IamBinding",
            name: "binding",
            props: {
                location: out("default", "us-central1"),
                service: out("default", "cloud-run-service-name"),
                role: "roles/run.invoker",
                members: ["allUsers"],
            },
        },
        {
            type: "gcp:projects/iAMBinding:IAMBinding",
            name: "project",
            props: {
                role: "roles/iam.serviceAccountTokenCreator",
                members: [out("sa", `serviceAccount:${SA}`)],
                project: out("sa", PROJECT),
            },
        },
    ],
};
