// Source: pulumi/pulumi-gcp — sdk/nodejs/cloudrunv2/job.ts, doc example "Cloudrunv2 Job Secret".
// A Job consuming a secret as a volume (`secret` = the Secret's `secretId` output, defaultMode 292, one item at
// version "1" with mode 256) mounted at /secrets; the Job explicitly dependsOn both the SecretVersion and the
// SecretIamMember (grant to the default compute SA, secretId = `secret.id`). No service account on the Job.
import { CorpusFixture, out } from "../corpus";
import { secretValue } from "../../helpers/policy-harness";

const PROJECT = "my-project-name";
const NUMBER = "123456789012";

export const fixture: CorpusFixture = {
    title: "provider docs: Cloudrunv2 Job Secret (secret volume, dependsOn version and grant)",
    source: { repo: "pulumi/pulumi-gcp", path: "sdk/nodejs/cloudrunv2/job.ts" },
    provider: { project: PROJECT, region: "us-central1" },
    resources: [
        { type: "gcp:secretmanager/secret:Secret", name: "secret", props: { secretId: "secret", replication: { auto: {} } } },
        {
            type: "gcp:secretmanager/secretVersion:SecretVersion",
            name: "secret-version-data",
            props: { secret: out("secret", `projects/${NUMBER}/secrets/secret`), secretData: secretValue("secret-data") },
        },
        {
            type: "gcp:secretmanager/secretIamMember:SecretIamMember",
            name: "secret-access",
            props: {
                secretId: out("secret", `projects/${PROJECT}/secrets/secret`),
                role: "roles/secretmanager.secretAccessor",
                member: `serviceAccount:${NUMBER}-compute@developer.gserviceaccount.com`,
            },
            dependsOn: ["secret"],
        },
        {
            type: "gcp:cloudrunv2/job:Job",
            name: "default",
            props: {
                name: "cloudrun-job",
                location: "us-central1",
                deletionProtection: false,
                template: {
                    template: {
                        volumes: [
                            {
                                name: "a-volume",
                                secret: {
                                    secret: out("secret", "secret"),
                                    defaultMode: 292,
                                    items: [{ version: "1", path: "my-secret", mode: 256 }],
                                },
                            },
                        ],
                        containers: [
                            {
                                image: "us-docker.pkg.dev/cloudrun/container/job",
                                volumeMounts: [{ name: "a-volume", mountPath: "/secrets" }],
                            },
                        ],
                    },
                },
            },
            dependsOn: ["secret-version-data", "secret-access"],
        },
    ],
};
