// Source: pulumi/pulumi-gcp — sdk/nodejs/cloudrunv2/service.ts, doc example "Cloudrunv2 Service Secret".
// The secret is consumed as a VOLUME, not an env: `volumes[].secret` {secret: the Secret's `secretId` output,
// defaultMode 292, items [{version "1", path "my-secret"}]} mounted at /secrets. dependsOn the SecretVersion. No
// service account; the SecretIamMember (secretId = `secret.id`, full path) goes to the default compute SA.
import { CorpusFixture, out } from "../corpus";
import { secretValue } from "../../helpers/policy-harness";

const PROJECT = "my-project-name";
const NUMBER = "123456789012";

export const fixture: CorpusFixture = {
    title: "provider docs: Cloudrunv2 Service Secret (secret volume, grant to default compute SA)",
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
            type: "gcp:cloudrunv2/service:Service",
            name: "default",
            props: {
                name: "cloudrun-service",
                location: "us-central1",
                deletionProtection: false,
                ingress: "INGRESS_TRAFFIC_ALL",
                template: {
                    volumes: [
                        {
                            name: "a-volume",
                            secret: {
                                secret: out("secret", "secret-1"),
                                defaultMode: 292,
                                items: [{ version: "1", path: "my-secret" }],
                            },
                        },
                    ],
                    containers: [
                        {
                            image: "us-docker.pkg.dev/cloudrun/container/hello",
                            volumeMounts: [{ name: "a-volume", mountPath: "/secrets" }],
                        },
                    ],
                },
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
