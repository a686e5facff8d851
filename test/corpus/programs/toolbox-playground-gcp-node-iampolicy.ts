// Source: toolbox-playground/pulumi-exemplo-basico — gcp-node/index.js (JavaScript).
// A v1 service with a literal image pinned to `:latest` in the project's gcr.io and one `ports` entry (5000), no
// limits, no service account. Public access via the AUTHORITATIVE v1 IamPolicy: `policyData` is the JSON string from
// the getIAMPolicy data source (known at preview) granting roles/run.invoker to allUsers; location/project/service
// are the service's outputs.
import { CorpusFixture, out } from "../corpus";

const PROJECT = "toolbox-sandbox-demo";

export const fixture: CorpusFixture = {
    title: "toolbox-playground gcp-node: v1 service :latest image, allUsers via cloudrun IamPolicy policyData",
    source: { repo: "toolbox-playground/pulumi-exemplo-basico", path: "gcp-node/index.js" },
    provider: { project: PROJECT, region: "us-central1" },
    resources: [
        {
            type: "gcp:cloudrun/service:Service",
            name: "default",
            props: {
                name: "cloudrun-srv",
                location: "us-central1",
                template: {
                    spec: {
                        containers: [{ image: `gcr.io/${PROJECT}/flask-app:latest`, ports: [{ containerPort: 5000 }] }],
                    },
                },
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
