// Source: pulumi/pulumi-gcp — sdk/nodejs/cloudrunv2/job.ts, doc example "Cloudrunv2 Job Basic".
// The minimal Job: name, location, deletionProtection false, `template.template.containers` with only an image.
// No service account, no resources, no timeout, no taskCount/maxRetries.
import { CorpusFixture } from "../corpus";

export const fixture: CorpusFixture = {
    title: "provider docs: Cloudrunv2 Job Basic (image only)",
    source: { repo: "pulumi/pulumi-gcp", path: "sdk/nodejs/cloudrunv2/job.ts" },
    provider: { project: "my-project-name", region: "us-central1" },
    resources: [
        {
            type: "gcp:cloudrunv2/job:Job",
            name: "default",
            props: {
                name: "cloudrun-job",
                location: "us-central1",
                deletionProtection: false,
                template: { template: { containers: [{ image: "us-docker.pkg.dev/cloudrun/container/job" }] } },
            },
        },
    ],
};
