// Source: populationgenomics/themis — infra/themis_infra/sandbox.py, infra/themis_infra/evidence.py,
// infra/themis_infra/grants.py, infra/__main__.py (Python, ComponentResources).
// Production-minded v2 shapes: every service/job has its own service account; `project` and `location` set
// explicitly on everything. Secrets: two Secret Manager secrets with USER-MANAGED single-region replication, their
// `secret_id` OUTPUT (the bare id) used both in the dispatcher's `valueSource.secretKeyRef.secret` (version
// "latest") and in per-secret SecretIamMember grants (with `project`, member "serviceAccount:" + email) — the grants
// are siblings of the service with NO dependsOn between them. The dispatcher is deliberately public (HMAC webhook):
// a v2 ServiceIamMember allUsers. The evidence service is gRPC: `ports {name: "h2c"}` and a grpc startup probe;
// other services invoke it through a ServiceIamMember for their SA. The sandbox Job uses Direct VPC egress
// (networkInterfaces on a network/subnetwork, egress ALL_TRAFFIC), timeout "3600s", maxRetries 0, cpu "1"/"2Gi";
// the dispatcher may run it via JobIamMember with a CUSTOM role (an IAMCustomRole's `name` output). Images are
// Artifact Registry refs tagged with the git SHA (set by deploy.yml). No service sets resources, cpuIdle or
// maxInstanceCount. Literal stand-ins: the hello/sheaf URLs and the fulltext bucket name come from components not
// reproduced here; the KMS key ring is looked up with a data source (literal id).
import { CorpusFixture, out } from "../corpus";
import { secretValue } from "../../helpers/policy-harness";

const PROJECT = "acme-themis-dev";
const REGION = "australia-southeast1";
const SHA = "5d41402abc4b2a76b9719d911017c592ae3c0f1e";
const REGISTRY = `${REGION}-docker.pkg.dev/${PROJECT}/themis`;
const sa = (id: string) => `${id}@${PROJECT}.iam.gserviceaccount.com`;
const KEY_ID = `projects/${PROJECT}/locations/${REGION}/keyRings/themis/cryptoKeys/themis-session-token-signing-key-3a9f1c2`;
const EVIDENCE_URI = "https://themis-evidence-q7x2m4k9ba-ts.a.run.app";

const secretPair = (resource: string, secretId: string) => [
    {
        type: "gcp:secretmanager/secret:Secret",
        name: resource,
        props: {
            project: PROJECT,
            secretId,
            replication: { userManaged: { replicas: [{ location: REGION }] } },
        },
    },
    {
        type: "gcp:secretmanager/secretVersion:SecretVersion",
        name: `${resource}-current`,
        props: { secret: out(resource, `projects/${PROJECT}/secrets/${secretId}`), secretData: secretValue(`${secretId}-value`) },
    },
];

const readGrant = (label: string, resource: string, secretId: string) => ({
    type: "gcp:secretmanager/secretIamMember:SecretIamMember",
    name: `themis-dispatcher-reads-${label}`,
    props: {
        project: PROJECT,
        secretId: out(resource, secretId),
        role: "roles/secretmanager.secretAccessor",
        member: out("themis-dispatcher-runtime", `serviceAccount:${sa("themis-dispatcher")}`),
    },
});

export const fixture: CorpusFixture = {
    title: "populationgenomics/themis: v2 dispatcher with secret envs + per-secret grants + public invoker, gRPC service, Direct-VPC Job",
    source: { repo: "populationgenomics/themis", path: "infra/themis_infra/sandbox.py" },
    provider: { project: PROJECT, region: REGION },
    resources: [
        {
            type: "gcp:serviceaccount/account:Account",
            name: "themis-dispatcher-runtime",
            props: { project: PROJECT, accountId: "themis-dispatcher", displayName: "Themis sandbox dispatcher runtime" },
        },
        ...secretPair("themis-anthropic-environment-key", "anthropic-environment-key"),
        ...secretPair("themis-anthropic-webhook-signing-key", "anthropic-webhook-signing-key"),
        readGrant("environment-key", "themis-anthropic-environment-key", "anthropic-environment-key"),
        readGrant("webhook-signing-key", "themis-anthropic-webhook-signing-key", "anthropic-webhook-signing-key"),
        {
            type: "gcp:kms/cryptoKey:CryptoKey",
            name: "themis-session-token-signing-key",
            props: {
                keyRing: `projects/${PROJECT}/locations/${REGION}/keyRings/themis`,
                purpose: "MAC",
                versionTemplate: { algorithm: "HMAC_SHA256" },
            },
        },
        {
            type: "gcp:compute/network:Network",
            name: "themis-services-net",
            props: { project: PROJECT, autoCreateSubnetworks: false },
        },
        {
            type: "gcp:compute/subnetwork:Subnetwork",
            name: "themis-services-subnet",
            props: {
                project: PROJECT,
                region: REGION,
                network: out("themis-services-net", `projects/${PROJECT}/global/networks/themis-services-0b7d2e1`),
                ipCidrRange: "10.40.0.0/24",
            },
        },
        {
            type: "gcp:serviceaccount/account:Account",
            name: "themis-evidence-runtime",
            props: { project: PROJECT, accountId: "themis-evidence", displayName: "Themis evidence service runtime" },
        },
        {
            type: "gcp:cloudrunv2/service:Service",
            name: "themis-evidence-service",
            props: {
                project: PROJECT,
                name: "themis-evidence",
                location: REGION,
                deletionProtection: false,
                ingress: "INGRESS_TRAFFIC_ALL",
                template: {
                    serviceAccount: out("themis-evidence-runtime", sa("themis-evidence")),
                    scaling: { minInstanceCount: 0 },
                    containers: [
                        {
                            image: `${REGISTRY}/evidence:${SHA}`,
                            envs: [
                                { name: "THEMIS_LITERATURE_BACKEND", value: "live" },
                                { name: "THEMIS_LITERATURE_FULLTEXT_BUCKET", value: "acme-themis-dev-litcache-fulltext" },
                            ],
                            ports: { name: "h2c", containerPort: 8080 },
                            startupProbe: { grpc: { port: 8080 } },
                        },
                    ],
                },
            },
        },
        {
            type: "gcp:serviceaccount/account:Account",
            name: "themis-sandbox-job-sa",
            props: { project: PROJECT, accountId: "themis-sandbox-job", displayName: "Themis sandbox job runtime" },
        },
        {
            type: "gcp:cloudrunv2/job:Job",
            name: "themis-sandbox-job",
            props: {
                project: PROJECT,
                location: REGION,
                name: "themis-sandbox",
                deletionProtection: false,
                template: {
                    template: {
                        serviceAccount: out("themis-sandbox-job-sa", sa("themis-sandbox-job")),
                        timeout: "3600s",
                        maxRetries: 0,
                        vpcAccess: {
                            egress: "ALL_TRAFFIC",
                            networkInterfaces: [
                                {
                                    network: out("themis-services-net", `projects/${PROJECT}/global/networks/themis-services-0b7d2e1`),
                                    subnetwork: out("themis-services-subnet", `projects/${PROJECT}/regions/${REGION}/subnetworks/themis-services-5c8a3f6`),
                                },
                            ],
                        },
                        containers: [
                            {
                                name: "worker",
                                image: `${REGISTRY}/sandbox-worker:${SHA}`,
                                envs: [
                                    { name: "THEMIS_HELLO_URL", value: "https://themis-hello-q7x2m4k9ba-ts.a.run.app" },
                                    { name: "THEMIS_EVIDENCE_URL", value: out("themis-evidence-service", EVIDENCE_URI) },
                                    { name: "THEMIS_SHEAF_URL", value: "https://themis-sheaf-q7x2m4k9ba-ts.a.run.app" },
                                ],
                                resources: { limits: { cpu: "1", memory: "2Gi" } },
                            },
                        ],
                    },
                },
            },
        },
        {
            type: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
            name: "themis-sandbox-invokes-evidence",
            props: {
                project: PROJECT,
                location: REGION,
                name: out("themis-evidence-service", "themis-evidence"),
                role: "roles/run.invoker",
                member: out("themis-sandbox-job-sa", `serviceAccount:${sa("themis-sandbox-job")}`),
            },
        },
        {
            type: "gcp:cloudrunv2/service:Service",
            name: "themis-dispatcher-service",
            props: {
                project: PROJECT,
                name: "themis-dispatcher",
                location: REGION,
                deletionProtection: false,
                ingress: "INGRESS_TRAFFIC_ALL",
                template: {
                    serviceAccount: out("themis-dispatcher-runtime", sa("themis-dispatcher")),
                    scaling: { minInstanceCount: 0 },
                    containers: [
                        {
                            image: `${REGISTRY}/dispatcher:${SHA}`,
                            envs: [
                                { name: "ANTHROPIC_ENVIRONMENT_ID", value: "env_01ExampleEnvironment" },
                                { name: "THEMIS_SESSION_TOKEN_KEY_VERSION", value: out("themis-session-token-signing-key", `${KEY_ID}/cryptoKeyVersions/1`) },
                                { name: "THEMIS_SANDBOX_JOB_PROJECT", value: PROJECT },
                                { name: "THEMIS_SANDBOX_JOB_REGION", value: REGION },
                                { name: "THEMIS_SANDBOX_JOB_NAME", value: out("themis-sandbox-job", "themis-sandbox") },
                                { name: "THEMIS_RECLAIM_OLDER_THAN_MS", value: "600000" },
                                {
                                    name: "ANTHROPIC_ENVIRONMENT_KEY",
                                    valueSource: {
                                        secretKeyRef: { secret: out("themis-anthropic-environment-key", "anthropic-environment-key"), version: "latest" },
                                    },
                                },
                                {
                                    name: "ANTHROPIC_WEBHOOK_SIGNING_KEY",
                                    valueSource: {
                                        secretKeyRef: { secret: out("themis-anthropic-webhook-signing-key", "anthropic-webhook-signing-key"), version: "latest" },
                                    },
                                },
                            ],
                            ports: { containerPort: 8080 },
                            startupProbe: { httpGet: { path: "/healthz" } },
                        },
                    ],
                },
            },
        },
        {
            type: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
            name: "public-invokes-dispatcher",
            props: {
                project: PROJECT,
                location: REGION,
                name: out("themis-dispatcher-service", "themis-dispatcher"),
                role: "roles/run.invoker",
                member: "allUsers",
            },
        },
        {
            type: "gcp:projects/iAMCustomRole:IAMCustomRole",
            name: "themis-dispatcher-spawns-sandbox-role",
            props: {
                project: PROJECT,
                roleId: "themisSandboxJobRunner",
                title: "Themis sandbox job runner",
                permissions: ["run.jobs.run", "run.jobs.runWithOverrides"],
            },
        },
        {
            type: "gcp:cloudrunv2/jobIamMember:JobIamMember",
            name: "themis-dispatcher-spawns-sandbox",
            props: {
                project: PROJECT,
                location: REGION,
                name: out("themis-sandbox-job", "themis-sandbox"),
                role: out("themis-dispatcher-spawns-sandbox-role", `projects/${PROJECT}/roles/themisSandboxJobRunner`),
                member: out("themis-dispatcher-runtime", `serviceAccount:${sa("themis-dispatcher")}`),
            },
        },
    ],
};
