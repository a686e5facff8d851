// Source: pulumi/pulumi-gcp — sdk/nodejs/cloudrun/service.ts, doc example "Cloud Run Service Pubsub".
// A v1 service (image only, traffic 100% latest) invoked by Pub/Sub push: a dedicated invoker service account gets
// roles/run.invoker through the authoritative v1 IamBinding (members = ["serviceAccount:" + the account's email
// output]) and roles/iam.serviceAccountTokenCreator through a project-level IAMBinding. The doc text omits
// `project` on projects.IAMBinding, which v9 requires: the fixture fills in the provider project. Topic and
// subscription (push endpoint = the service URL) are included.
import { CorpusFixture, out } from "../corpus";

const PROJECT = "my-project-name";
const SA = `cloud-run-pubsub-invoker@${PROJECT}.iam.gserviceaccount.com`;

export const fixture: CorpusFixture = {
    title: "provider docs: Cloud Run Service Pubsub (v1 IamBinding for an invoker SA, project IAMBinding tokenCreator)",
    source: { repo: "pulumi/pulumi-gcp", path: "sdk/nodejs/cloudrun/service.ts" },
    provider: { project: PROJECT, region: "us-central1" },
    resources: [
        {
            type: "gcp:cloudrun/service:Service",
            name: "default",
            props: {
                name: "cloud_run_service_name",
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
                service: out("default", "cloud_run_service_name"),
                role: "roles/run.invoker",
                members: [out("sa", `serviceAccount:${SA}`)],
            },
        },
        {
            type: "gcp:projects/iAMBinding:IAMBinding",
            name: "project",
            props: { project: PROJECT, role: "roles/iam.serviceAccountTokenCreator", members: [out("sa", `serviceAccount:${SA}`)] },
        },
        { type: "gcp:pubsub/topic:Topic", name: "topic", props: { name: "pubsub_topic" } },
        {
            type: "gcp:pubsub/subscription:Subscription",
            name: "subscription",
            props: {
                name: "pubsub_subscription",
                topic: out("topic", "pubsub_topic"),
                pushConfig: {
                    pushEndpoint: out("default", "https://cloud_run_service_name-abcdefghij-uc.a.run.app"),
                    oidcToken: { serviceAccountEmail: out("sa", SA) },
                    attributes: { "x-goog-version": "v1" },
                },
            },
        },
    ],
};
