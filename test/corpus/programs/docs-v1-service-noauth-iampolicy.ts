// Source: pulumi/pulumi-gcp — sdk/nodejs/cloudrun/service.ts, doc example "Cloud Run Service Noauth".
// A v1 service with only an image, made public with the authoritative v1 IamPolicy: policyData is the JSON string
// the getIAMPolicy data source renders for roles/run.invoker → ["allUsers"] (known at preview); location, project
// and service are the service's outputs.
import { CorpusFixture, out } from "../corpus";

const PROJECT = "my-project-name";

export const fixture: CorpusFixture = {
    title: "provider docs: Cloud Run Service Noauth (v1 IamPolicy with allUsers policyData)",
    source: { repo: "pulumi/pulumi-gcp", path: "sdk/nodejs/cloudrun/service.ts" },
    provider: { project: PROJECT, region: "us-central1" },
    resources: [
        {
            type: "gcp:cloudrun/service:Service",
            name: "default",
            props: {
                name: "cloudrun-srv",
                location: "us-central1",
                template: { spec: { containers: [{ image: "us-docker.pkg.dev/cloudrun/container/hello" }] } },
            },
        },
        {
            type: "gcp:cloudrun/iamPolicy:IamPolicy",
            name: "noauth",
            props: {
                location: out("default", "us-central1"),
                project: out("default", PROJECT),
                service: out("default", "cloudrun-srv"),
                policyData: '{"bindings":[{"members":["allUsers"],"role":"roles/run.invoker"}]}',
            },
        },
    ],
};
