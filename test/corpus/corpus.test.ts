/**
 * The real-world corpus (test/corpus/programs: public Pulumi programs and the provider's documentation
 * examples, each citing its source) through the pack in the engine's shape: Stack and default provider
 * included, outputs known ("applied") and a fresh-stack preview with computed outputs unknown.
 *
 * For every fixture the exact mandatory verdicts (policy → count, in the applied shape) under both shipped
 * profiles. A fresh preview may only lose verdicts to unknown values, never gain one. Fixtures that are
 * well-built get no mandatory violation under the generic profile (with the one setting a team would add:
 * publicServices for a service that is meant to be public).
 *
 * Why the generic verdicts hold (shared/cloud-run-facts.md and the pack's hygiene rules):
 * - identity-and-ingress: the revision runs as the default compute service account, which is project Editor
 *   (securing/service-identity): security hygiene, mandatory in every profile. invokerIamDisabled true makes a
 *   service callable by anyone.
 * - invoker-not-public: allUsers / allAuthenticatedUsers on a Cloud Run IAM resource makes it callable by anyone;
 *   a service meant to be public is listed in publicServices.
 * - env: a credential (name ending _PASSWORD/_SECRET/..., or user:password@ in a URL) in a plain env value is
 *   visible to every project Viewer (configuring/jobs/environment-variables: "don't use environment variables to
 *   store secrets").
 * - secret-accessor-grants, secret-refs-resolve, connector-in-stack are advisory in the generic profile: a grant,
 *   secret or connector made outside the stack is invisible to the pack, so "not in the stack" is only certain as
 *   the staging team's rule (everything in the stack or declared external).
 * The staging verdicts add this backend's team requirements (floor 2 CPU / 2Gi, required secret env, VPC
 * egress, timeout >= 600 s, a startup probe with failureThreshold >= 2 covering 240 s, internal ingress) and
 * image digests; none of these programs was written for it, so they fail them as expected.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { Diagnostic, PackConfig, POLICIES_DIR, previewStack } from "../helpers/policy-harness";
import { EngineMode, engineResources } from "./corpus";
import { CORPUS } from "./programs";

const PROFILES: Record<"staging" | "generic", PackConfig> = {
    staging: JSON.parse(fs.readFileSync(path.join(POLICIES_DIR, "policy-config.staging.json"), "utf8")) as PackConfig,
    generic: JSON.parse(fs.readFileSync(path.join(POLICIES_DIR, "policy-config.generic.json"), "utf8")) as PackConfig,
};

type Verdicts = Record<string, number>;
interface Expected {
    staging: Verdicts;
    generic: Verdicts;
    /** Well-built: no mandatory verdict under the generic profile plus these services listed as public. */
    wellBuilt?: { publicServices: string[] };
}

/** Policy names without the common prefix, for a readable table. */
const short = (policy: string) => policy.replace(/^cloudrun-service-|^cloudrun-/, "");

// Team requirements every program below fails under staging unless it says otherwise.
const SERVICE_TEAM = { "request-timeout": 1, "required-secret-env": 1, "resource-floor": 2, "startup-probe": 1, "vpc-egress": 1 };

const EXPECTED: Record<string, Expected> = {
    // Default compute SA; allUsers invoker. Image pinned by repoDigest, so no image-digest verdict.
    "ahmedbesbes/pulumi-cloudrun: v1 service by repoDigest, numeric cpu limit and numeric env value (Python)": {
        staging: { ...SERVICE_TEAM, "identity-and-ingress": 2, "invoker-not-public": 1 },
        generic: { "identity-and-ingress": 1, "invoker-not-public": 1 },
    },
    // Dedicated SA, 2 CPU / 2Gi, timeout 1000 s; three credentials as plain envs; allUsers.
    "artcoded-net/vendure-pulumi-gcp: v1 service with SA, Cloud SQL annotations, plaintext secret envs, IamMember in apply": {
        staging: { env: 3, "identity-and-ingress": 1, "image-digest": 1, "invoker-not-public": 1, "required-secret-env": 1, "startup-probe": 1, "vpc-egress": 1 },
        generic: { env: 3, "invoker-not-public": 1 },
    },
    // The secret's IAM policy grants the accessor role to a user, not to the runtime (default compute) SA: the deploy
    // fails unless a grant outside the stack exists, which only the staging profile (everything in the stack) rules out.
    "provider docs (composed): v2 secret env + cloudrunv2 ServiceIamPolicy + secretmanager SecretIamPolicy (policyData)": {
        staging: { ...SERVICE_TEAM, "identity-and-ingress": 2, "image-digest": 1, "secret-accessor-grants": 1 },
        generic: { "identity-and-ingress": 1 },
    },
    "provider docs: Cloud Run Service Noauth (v1 IamPolicy with allUsers policyData)": {
        staging: { ...SERVICE_TEAM, "identity-and-ingress": 2, "image-digest": 1, "invoker-not-public": 1 },
        generic: { "identity-and-ingress": 1, "invoker-not-public": 1 },
    },
    // The invoker binding names a dedicated SA: not public. The service itself runs as the default compute SA.
    "provider docs: Cloud Run Service Pubsub (v1 IamBinding for an invoker SA, project IAMBinding tokenCreator)": {
        staging: { ...SERVICE_TEAM, "identity-and-ingress": 2, "image-digest": 1 },
        generic: { "identity-and-ingress": 1 },
    },
    "provider docs: Cloud Run Service Sql (v1 cloudsql-instances annotation, cross-region instance)": {
        staging: { ...SERVICE_TEAM, "identity-and-ingress": 2, "image-digest": 1 },
        generic: { "identity-and-ingress": 1 },
    },
    // Jobs: no request timeout, ingress, serving probes or required env (facts: jobs have task timeouts).
    "provider docs: Cloudrunv2 Job Basic (image only)": {
        staging: { "identity-and-ingress": 1, "image-digest": 1, "resource-floor": 2, "vpc-egress": 1 },
        generic: { "identity-and-ingress": 1 },
    },
    // The secret volume is granted to the default compute SA the job runs as: access resolves.
    "provider docs: Cloudrunv2 Job Secret (secret volume, dependsOn version and grant)": {
        staging: { "identity-and-ingress": 1, "image-digest": 1, "resource-floor": 2, "vpc-egress": 1 },
        generic: { "identity-and-ingress": 1 },
    },
    "provider docs: Cloudrunv2 Job Sql (Cloud SQL volume, secret env v1, no dependsOn on version/grant)": {
        staging: { "identity-and-ingress": 1, "image-digest": 1, "resource-floor": 2, "vpc-egress": 1 },
        generic: { "identity-and-ingress": 1 },
    },
    // Service-level scaling.maxInstanceCount 100 with no minimum: valid.
    "provider docs: Cloudrunv2 Service Basic (image only, service-level scaling)": {
        staging: { ...SERVICE_TEAM, "identity-and-ingress": 2, "image-digest": 1 },
        generic: { "identity-and-ingress": 1 },
    },
    // Direct VPC egress satisfies the VPC requirement; one interface, no connector: valid.
    "provider docs: Cloudrunv2 Service Directvpc (networkInterfaces default/default, tags, no egress)": {
        staging: { "request-timeout": 1, "required-secret-env": 1, "resource-floor": 2, "startup-probe": 1, "identity-and-ingress": 2, "image-digest": 1 },
        generic: { "identity-and-ingress": 1 },
    },
    // L4 with 4 CPU / 16Gi and cpuIdle unset (false once resources are set): meets the GPU minimums and the floor.
    "provider docs: Cloudrunv2 Service Gpu (nvidia-l4, 4 cpu / 16Gi, cpuIdle unset)": {
        staging: { "request-timeout": 1, "required-secret-env": 1, "startup-probe": 1, "vpc-egress": 1, "identity-and-ingress": 2, "image-digest": 1 },
        generic: { "identity-and-ingress": 1 },
    },
    "provider docs: Cloudrunv2 Service Invokeriam (invokerIamDisabled: public with no IAM resource)": {
        staging: { ...SERVICE_TEAM, "identity-and-ingress": 3, "image-digest": 1 },
        generic: { "identity-and-ingress": 2 },
    },
    // 2 CPU / 1024Mi: valid for Cloud Run; below the 2Gi memory floor only.
    "provider docs: Cloudrunv2 Service Limits (cpu 2, 1024Mi, healthCheckDisabled)": {
        staging: { ...SERVICE_TEAM, "resource-floor": 1, "identity-and-ingress": 2, "image-digest": 1 },
        generic: { "identity-and-ingress": 1 },
    },
    // The sidecar sets PORT (injected into the ingress container only) and has the startup probe the ingress
    // container's dependsOn requires: valid.
    "provider docs: Cloudrunv2 Service Multicontainer (sidecar with PORT env and startup probe, dependsOns)": {
        staging: { ...SERVICE_TEAM, "identity-and-ingress": 2, "image-digest": 2 },
        generic: { "identity-and-ingress": 1 },
    },
    // TCP startup probe period 3 × 1: within Cloud Run's bounds; short of the team's 240 s and threshold 2.
    "provider docs: Cloudrunv2 Service Probes (tcp startup probe 8080, http liveness path only)": {
        staging: { ...SERVICE_TEAM, "startup-probe": 2, "identity-and-ingress": 2, "image-digest": 1 },
        generic: { "identity-and-ingress": 1 },
    },
    "provider docs: Cloudrunv2 Service Secret (secret volume, grant to default compute SA)": {
        staging: { ...SERVICE_TEAM, "identity-and-ingress": 2, "image-digest": 1 },
        generic: { "identity-and-ingress": 1 },
    },
    "provider docs: Cloudrunv2 Service Sql (Cloud SQL volume, secret env v1, grant to default compute SA)": {
        staging: { ...SERVICE_TEAM, "identity-and-ingress": 2, "image-digest": 1 },
        generic: { "identity-and-ingress": 1 },
    },
    // Connector by subnet, e2-standard-4, 2..3 instances: valid; it satisfies the VPC requirement. Staging's connector
    // requirements: maxInstances 3 is below the floor of 4, and 3 × 16 = 48 Cloud Run instances is less than the
    // service's unset maximum (Cloud Run's default 100).
    "provider docs: Cloudrunv2 Service Vpcaccess (connector by subnet name, egress ALL_TRAFFIC)": {
        staging: {
            "request-timeout": 1, "required-secret-env": 1, "resource-floor": 2, "startup-probe": 1, "identity-and-ingress": 2, "image-digest": 1,
            "vpcaccess-connector-capacity": 2,
        },
        generic: { "identity-and-ingress": 1 },
    },
    // The dependency has a startup probe (facts: Sidecars), so Cloud Run accepts it.
    "provider docs: Cloudrunv2 Worker Pool Basic Depends On (two containers, startup probe on the dependency)": {
        staging: { "identity-and-ingress": 1, "image-digest": 2, "resource-floor": 2, "vpc-egress": 1 },
        generic: { "identity-and-ingress": 1 },
    },
    "provider docs: Cloudrunv2 Worker Pool Gpu (nvidia-l4)": {
        staging: { "identity-and-ingress": 1, "image-digest": 1, "vpc-egress": 1 },
        generic: { "identity-and-ingress": 1 },
    },
    // Dedicated SAs, per-secret grants, a literal secret id created in the stack: well-built. No resources: the floor.
    "exactly/exa: v2 worker pools with own SAs, literal secret id in secretKeyRef, per-secret grants via dependsOn": {
        staging: { "image-digest": 2, "resource-floor": 4, "vpc-egress": 2 },
        generic: {},
        wellBuilt: { publicServices: [] },
    },
    "joeriverhavert Go program: v1 service on port 80 with TCP startup probe, allUsers IamPolicy": {
        staging: { ...SERVICE_TEAM, "identity-and-ingress": 2, "image-digest": 1, "invoker-not-public": 1 },
        generic: { "identity-and-ingress": 1, "invoker-not-public": 1 },
    },
    "nicolasdao/template-pulumi-cloud-run: v1 service with dedicated SA, git-sha tag, plaintext DB_PASSWORD env": {
        staging: { ...SERVICE_TEAM, env: 1, "identity-and-ingress": 1, "image-digest": 1 },
        generic: { env: 1 },
    },
    // DATABASE_URL holds user:password@ in a plain value; staging also wants it from Secret Manager.
    "pulumi/examples gcp-py-cloudrun-cloudsql: v1 service, Cloud SQL annotation, password inside a plain env URL": {
        staging: { ...SERVICE_TEAM, "required-secret-env": 2, env: 1, "identity-and-ingress": 2, "image-digest": 1 },
        generic: { env: 1, "identity-and-ingress": 1 },
    },
    "pulumi/examples gcp-ts-cloudrun: v1 hello + docker-built image by tag, allUsers IamMember on both": {
        staging: {
            "request-timeout": 2, "required-secret-env": 2, "resource-floor": 4, "startup-probe": 2, "vpc-egress": 2,
            "identity-and-ingress": 4, "image-digest": 2, "invoker-not-public": 2,
        },
        generic: { "identity-and-ingress": 2, "invoker-not-public": 2 },
    },
    "pulumi/templates container-gcp-typescript: v1 service from an untagged docker image, allUsers IamMember": {
        staging: { ...SERVICE_TEAM, "identity-and-ingress": 2, "image-digest": 1, "invoker-not-public": 1 },
        generic: { "identity-and-ingress": 1, "invoker-not-public": 1 },
    },
    "sendo-kakeru/pulumi-cloud-run: v1 service, allUsers via cloudrun IamBinding, project IAMBinding (tokenCreator)": {
        staging: { ...SERVICE_TEAM, "identity-and-ingress": 2, "image-digest": 1, "invoker-not-public": 1 },
        generic: { "identity-and-ingress": 1, "invoker-not-public": 1 },
    },
    // DB_PASSWORD plain, and a password in DATABASE_URL. Its localhost host comes with a /cloudsql/ socketPath
    // and DB_HOST=localhost with Cloud SQL mounted (the client's "use the socket"): not flagged as loopback.
    "TAF-Equipe2/test-api wikijs: v1 service with SA, project IAMBindings, plaintext secret envs, allUsers IamPolicy": {
        staging: { ...SERVICE_TEAM, "required-secret-env": 2, env: 2, "identity-and-ingress": 1, "image-digest": 1, "invoker-not-public": 1 },
        generic: { env: 2, "invoker-not-public": 1 },
    },
    // Dedicated SA, per-secret grants; the n8n UI is public on purpose.
    "takemo101/n8n-pulumi: v2 service with SA, :latest Docker Hub image, secret envs by secretId, per-secret grants": {
        staging: { ...SERVICE_TEAM, "identity-and-ingress": 1, "image-digest": 1, "invoker-not-public": 1 },
        generic: { "invoker-not-public": 1 },
        wellBuilt: { publicServices: ["n8n-supabase-service"] },
    },
    // Dedicated SAs, per-secret grants, Direct VPC job; the webhook dispatcher is public on purpose (HMAC-checked).
    "populationgenomics/themis: v2 dispatcher with secret envs + per-secret grants + public invoker, gRPC service, Direct-VPC Job": {
        staging: {
            "request-timeout": 2, "required-secret-env": 2, "resource-floor": 5, "startup-probe": 2, "vpc-egress": 2,
            "identity-and-ingress": 2, "image-digest": 3, "invoker-not-public": 1,
        },
        generic: { "invoker-not-public": 1 },
        wellBuilt: { publicServices: ["themis-dispatcher"] },
    },
    "toolbox-playground gcp-node: v1 service :latest image, allUsers via cloudrun IamPolicy policyData": {
        staging: { ...SERVICE_TEAM, "identity-and-ingress": 2, "image-digest": 1, "invoker-not-public": 1 },
        generic: { "identity-and-ingress": 1, "invoker-not-public": 1 },
    },
    // 2 CPU / 1Gi with cpuIdle true: valid; below the memory floor only.
    "yuki9431/exvs-analyzer: v2 service with a secret-config image, cpuIdle true, allUsers ServiceIamBinding": {
        staging: { ...SERVICE_TEAM, "resource-floor": 1, "identity-and-ingress": 2, "image-digest": 1, "invoker-not-public": 1 },
        generic: { "identity-and-ingress": 1, "invoker-not-public": 1 },
    },
};

function mandatory(diagnostics: readonly Diagnostic[]): Diagnostic[] {
    return diagnostics.filter((d) => d.enforcementLevel === "mandatory" && !d.cantRun);
}

function counted(diagnostics: readonly Diagnostic[]): Verdicts {
    const verdicts: Verdicts = {};
    for (const d of mandatory(diagnostics)) {
        verdicts[short(d.policyName)] = (verdicts[short(d.policyName)] ?? 0) + 1;
    }
    return verdicts;
}

async function verdicts(title: string, mode: EngineMode, config: PackConfig): Promise<Verdicts> {
    const fixture = CORPUS.find((f) => f.title === title);
    if (!fixture) {
        throw new Error(`no corpus fixture titled ${title}`);
    }
    return counted(await previewStack(engineResources(fixture, mode), config));
}

describe("real-world corpus (public programs and provider docs) in the engine's shape", function () {
    it("covers at least eight public programs and every fixture has its expected verdicts", function () {
        const repos = new Set(CORPUS.filter((f) => f.source.repo !== "pulumi/pulumi-gcp").map((f) => f.source.repo));
        expect(repos.size).to.be.at.least(8);
        expect(CORPUS.map((f) => f.title).sort()).to.deep.equal(Object.keys(EXPECTED).sort());
    });

    for (const [title, expected] of Object.entries(EXPECTED)) {
        describe(title, function () {
            for (const profile of ["staging", "generic"] as const) {
                it(`${profile}: exact mandatory verdicts with outputs known; a fresh preview only loses verdicts to unknowns`, async function () {
                    const applied = await verdicts(title, "applied", PROFILES[profile]);
                    expect(applied).to.deep.equal(expected[profile]);
                    const preview = await verdicts(title, "preview", PROFILES[profile]);
                    for (const [policy, count] of Object.entries(preview)) {
                        expect(count, `${policy} in preview`).to.be.at.most(applied[policy] ?? 0);
                    }
                });
            }
            const wellBuilt = expected.wellBuilt;
            if (wellBuilt) {
                it("well-built: no mandatory violation under the generic profile", async function () {
                    const config = structuredClone(PROFILES.generic);
                    config["cloudrun-invoker-not-public"] = { enforcementLevel: "mandatory", publicServices: wellBuilt.publicServices };
                    for (const mode of ["applied", "preview"] as const) {
                        expect(await verdicts(title, mode, config), mode).to.deep.equal({});
                    }
                });
            }
        });
    }
});
