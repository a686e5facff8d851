// Source: pulumi/pulumi-gcp — composed from three doc examples, verbatim in shape: the secret env of
// sdk/nodejs/cloudrunv2/service.ts "Cloudrunv2 Service Sql" (without the SQL volume), the
// sdk/nodejs/cloudrunv2/serviceIamPolicy.ts "gcp.cloudrunv2.ServiceIamPolicy" example and the
// sdk/nodejs/secretmanager/secretIamPolicy.ts "gcp.secretmanager.SecretIamPolicy" example. No public program found
// attaches SecretIamPolicy to a Cloud Run secret, so this fixture exists to give the pack the authoritative
// `policyData` (JSON string from getIAMPolicy) forms: the service policy grants roles/viewer and the secret policy
// grants roles/secretmanager.secretAccessor, both to "user:jane@example.com" — NOT to the service's runtime
// identity (the default compute SA, as no service account is set). SecretIamPolicy sets `project` and the bare
// `secretId` outputs of the secret.
import { CorpusFixture, out } from "../corpus";
import { secretValue } from "../../helpers/policy-harness";

const PROJECT = "my-project-name";
const NUMBER = "123456789012";

export const fixture: CorpusFixture = {
    title: "provider docs (composed): v2 secret env + cloudrunv2 ServiceIamPolicy + secretmanager SecretIamPolicy (policyData)",
    source: { repo: "pulumi/pulumi-gcp", path: "sdk/nodejs/secretmanager/secretIamPolicy.ts" },
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
            type: "gcp:cloudrunv2/service:Service",
            name: "default",
            props: {
                name: "cloudrun-service",
                location: "us-central1",
                deletionProtection: false,
                ingress: "INGRESS_TRAFFIC_ALL",
                template: {
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
                        },
                    ],
                },
            },
            dependsOn: ["secret-version-data"],
        },
        {
            type: "gcp:cloudrunv2/serviceIamPolicy:ServiceIamPolicy",
            name: "policy",
            props: {
                project: out("default", PROJECT),
                location: out("default", "us-central1"),
                name: out("default", "cloudrun-service"),
                policyData: '{"bindings":[{"members":["user:jane@example.com"],"role":"roles/viewer"}]}',
            },
        },
        {
            type: "gcp:secretmanager/secretIamPolicy:SecretIamPolicy",
            name: "secret-policy",
            props: {
                project: out("secret", PROJECT),
                secretId: out("secret", "secret-1"),
                policyData: '{"bindings":[{"members":["user:jane@example.com"],"role":"roles/secretmanager.secretAccessor"}]}',
            },
        },
    ],
};
