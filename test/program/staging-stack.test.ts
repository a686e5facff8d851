import { expect } from "chai";
import { RunResult } from "../../tools/program-runner";
import {
    NS, TYPES, UNKNOWN, cloudResources, editKey, ofType, runStaging, single, stagingConfig, wire,
} from "../helpers/program-harness";
import { startupProbeBoundProblems, startupWindowSeconds } from "../../policies/lib/cloud-run-limits";

const EXPECTED_CLOUD_RESOURCES = [
    `${TYPES.account} backend`,
    `${TYPES.connector} backend`,
    `${TYPES.grant} backend-clickhouse-url-accessor`,
    `${TYPES.grant} backend-database-url-accessor`,
    `${TYPES.grant} backend-redis-url-accessor`,
    `${TYPES.invoker} backend-invoker-0`,
    `${TYPES.repository} backend`,
    `${TYPES.secret} backend-clickhouse-url`,
    `${TYPES.secret} backend-database-url`,
    `${TYPES.secret} backend-redis-url`,
    `${TYPES.service} backend`,
    `${TYPES.image} backend`,
].sort();

function inventory(result: RunResult): string[] {
    return cloudResources(result).map((r) => `${r.type} ${r.name}`).sort();
}

function serviceContainer(result: RunResult): Record<string, any> {
    return wire(single(result, TYPES.service)).template.containers[0];
}

describe("staging stack under mocks (Pulumi.staging.yaml)", () => {
    let normal: RunResult;
    let preview: RunResult;

    before(async () => {
        normal = await runStaging({ preview: false });
        preview = await runStaging({ preview: true });
    });

    it("runs without error in both modes", () => {
        expect(normal.error, normal.error?.message).to.equal(undefined);
        expect(preview.error, preview.error?.message).to.equal(undefined);
    });

    it("registers exactly the expected cloud resources", () => {
        expect(inventory(normal)).to.deep.equal(EXPECTED_CLOUD_RESOURCES);
    });

    it("registers the same resources in preview", () => {
        expect(inventory(preview)).to.deep.equal(EXPECTED_CLOUD_RESOURCES);
    });

    it("parents every cloud resource to a component", () => {
        for (const r of cloudResources(normal)) {
            expect(r.parent, r.urn).to.match(/cloudrun-staging:infra:/);
        }
    });

    it("deploys a v2 service with the configured limits, cpuIdle and startup boost", () => {
        const c = serviceContainer(normal);
        expect(c.resources).to.deep.equal({ limits: { cpu: "2", memory: "4Gi" }, cpuIdle: false, startupCpuBoost: true });
        expect(c.ports).to.deep.equal({ containerPort: 8000, name: "http1" });
    });

    it("gives the service an HTTP startup probe on the container port whose window covers the startup budget", () => {
        const probe = serviceContainer(normal).startupProbe;
        expect(probe.httpGet).to.deep.equal({ path: "/healthz/startup", port: 8000 });
        expect(startupProbeBoundProblems(probe)).to.deep.equal([]);
        expect(startupWindowSeconds(probe)).to.be.at.least(300);
        expect(probe.failureThreshold).to.be.at.least(2);
    });

    it("gives the service an HTTP liveness probe", () => {
        const probe = serviceContainer(normal).livenessProbe;
        expect(probe.httpGet).to.deep.equal({ path: "/healthz/live", port: 8000 });
        expect(probe.timeoutSeconds).to.be.at.most(probe.periodSeconds);
    });

    it("sets timeout, gen2, scaling and concurrency on the revision template", () => {
        const t = wire(single(normal, TYPES.service)).template;
        expect(t.timeout).to.equal("900s");
        expect(t.executionEnvironment).to.equal("EXECUTION_ENVIRONMENT_GEN2");
        expect(t.scaling).to.deep.equal({ minInstanceCount: 1, maxInstanceCount: 10 });
        expect(t.maxInstanceRequestConcurrency).to.equal(40);
    });

    it("runs the revision as the dedicated service account", () => {
        const email = wire(single(normal, TYPES.service)).template.serviceAccount;
        expect(email).to.equal("backend-runtime@acme-backend-staging.iam.gserviceaccount.com");
        expect(email).to.not.match(/-compute@developer\.gserviceaccount\.com$/);
        expect(single(normal, TYPES.account).inputs.accountId).to.equal("backend-runtime");
    });

    it("routes private egress through the created connector", () => {
        const connector = single(normal, TYPES.connector).inputs;
        expect(connector).to.include({ name: "backend-staging", ipCidrRange: "10.8.0.0/28", network: "staging-vpc", region: "europe-west1" });
        expect(wire(single(normal, TYPES.service)).template.vpcAccess).to.deep.equal({
            connector: "projects/acme-backend-staging/locations/europe-west1/connectors/backend-staging",
            egress: "PRIVATE_RANGES_ONLY",
        });
    });

    it("maps DATABASE_URL, REDIS_URL and CLICKHOUSE_URL from Secret Manager with pinned versions", () => {
        const envs: any[] = serviceContainer(normal).envs;
        for (const [name, secret] of [["DATABASE_URL", "backend-database-url"], ["REDIS_URL", "backend-redis-url"], ["CLICKHOUSE_URL", "backend-clickhouse-url"]]) {
            const env = envs.find((e) => e.name === name);
            expect(env, name).to.deep.equal({ name, valueSource: { secretKeyRef: { secret, version: "1" } } });
        }
        expect(envs.filter((e) => "value" in e).map((e) => e.name)).to.deep.equal(["APP_ENV", "LOG_LEVEL"]);
    });

    it("creates each secret container with automatic replication and no value", () => {
        for (const s of ofType(normal, TYPES.secret)) {
            expect(s.inputs.replication).to.deep.equal({ auto: {} });
            expect(Object.keys(s.inputs)).to.not.include.members(["secretData", "payload"]);
        }
    });

    it("grants secretAccessor to the runtime account on each secret only, and the service waits for the grants", () => {
        const secrets = ofType(normal, TYPES.secret);
        const grants = ofType(normal, TYPES.grant);
        expect(grants).to.have.length(3);
        for (const grant of grants) {
            expect(grant.inputs.role).to.equal("roles/secretmanager.secretAccessor");
            expect(grant.inputs.member).to.equal("serviceAccount:backend-runtime@acme-backend-staging.iam.gserviceaccount.com");
            const target = secrets.find((s) => grant.name === `${s.name}-accessor`)!;
            expect(grant.inputs.secretId).to.equal(`projects/acme-backend-staging/secrets/${target.inputs.secretId}`);
            expect(grant.propertyDependencies.secretId).to.deep.equal([target.urn]);
        }
        expect(single(normal, TYPES.service).dependencies).to.include.members(grants.map((g) => g.urn));
    });

    it("keeps ingress internal + load balancer, invoker IAM on, an explicit invoker list and deletion protection", () => {
        const svc = wire(single(normal, TYPES.service));
        expect(svc).to.include({ ingress: "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER", invokerIamDisabled: false, deletionProtection: true });
        const invokers = ofType(normal, TYPES.invoker).map((r) => r.inputs);
        expect(invokers).to.deep.equal([{
            project: "acme-backend-staging", location: "europe-west1", name: "backend", role: "roles/run.invoker",
            member: "serviceAccount:api-gateway@acme-backend-staging.iam.gserviceaccount.com",
        }]);
    });

    it("builds and pushes the image to the created Artifact Registry repository and deploys it by digest", () => {
        const repo = single(normal, TYPES.repository).inputs;
        expect(repo).to.include({ repositoryId: "backend", format: "DOCKER", location: "europe-west1" });
        const image = single(normal, TYPES.image).inputs;
        expect(image.imageName).to.equal("europe-west1-docker.pkg.dev/acme-backend-staging/backend/backend:staging");
        expect(image.build).to.include({ context: "app", dockerfile: "app/Dockerfile", platform: "linux/amd64" });
        expect(serviceContainer(normal).image).to.match(/^europe-west1-docker\.pkg\.dev\/acme-backend-staging\/backend\/backend@sha256:[0-9a-f]{64}$/);
    });

    it("labels the service", () => {
        expect(wire(single(normal, TYPES.service)).labels).to.deep.equal({ team: "backend", env: "staging" });
    });

    it("exports URL, name, revision, runtime account, secret names, connector id and image digest", () => {
        expect(normal.outputs).to.deep.include({
            serviceUrl: "https://backend-mock-europe-west1.a.run.app",
            serviceName: "backend",
            latestRevision: "backend-00001-mck",
            runtimeServiceAccount: "backend-runtime@acme-backend-staging.iam.gserviceaccount.com",
            connectorId: "projects/acme-backend-staging/locations/europe-west1/connectors/backend-staging",
            imageDigest: `sha256:${"0".repeat(63)}1`,
        });
        expect(Object.keys(normal.outputs.secretNames as object)).to.have.members(["DATABASE_URL", "REDIS_URL", "CLICKHOUSE_URL"]);
    });

    describe("in preview (new stack: computed outputs unknown)", () => {
        it("sends unknown sentinels for the image digest, the account email and the grant targets", () => {
            const t = wire(single(preview, TYPES.service)).template;
            expect(t.containers[0].image).to.equal(UNKNOWN);
            expect(t.serviceAccount).to.equal(UNKNOWN);
            for (const grant of ofType(preview, TYPES.grant)) {
                expect(wire(grant).secretId).to.equal(UNKNOWN);
                expect(wire(grant).member).to.equal(UNKNOWN);
            }
        });

        it("keeps everything that comes from config known: limits, probes, secret mappings, egress", () => {
            const t = wire(single(preview, TYPES.service)).template;
            const c = t.containers[0];
            expect(c.resources.limits).to.deep.equal({ cpu: "2", memory: "4Gi" });
            expect(c.startupProbe.httpGet.port).to.equal(8000);
            expect(c.envs.filter((e: any) => e.valueSource).map((e: any) => e.valueSource.secretKeyRef.secret))
                .to.have.members(["backend-database-url", "backend-redis-url", "backend-clickhouse-url"]);
            expect(t.vpcAccess).to.deep.equal({ connector: UNKNOWN, egress: "PRIVATE_RANGES_ONLY" });
        });

        it("records what the unknowns depend on, so policies can resolve them", () => {
            const svc = single(preview, TYPES.service);
            const account = single(preview, TYPES.account);
            const connector = single(preview, TYPES.connector);
            expect(svc.propertyDependencies.template).to.include.members([account.urn, connector.urn]);
            for (const grant of ofType(preview, TYPES.grant)) {
                expect(grant.propertyDependencies.member).to.deep.equal([account.urn]);
            }
        });
    });

    describe("secure values", () => {
        it("never puts a secure config value into any resource input", async () => {
            const base = stagingConfig();
            const secretValue = "s3cr3t-db-password-do-not-leak";
            const config = { ...base, values: { ...base.values, "other:dbPassword": secretValue }, secretKeys: ["other:dbPassword"] };
            const result = await runStaging({ config });
            expect(result.error).to.equal(undefined);
            expect(cloudResources(result)).to.have.length(EXPECTED_CLOUD_RESOURCES.length);
            for (const r of result.resources) {
                expect(JSON.stringify(r.properties.toJavaScript()), r.urn).to.not.include(secretValue);
            }
        });

        it("rejects a secure value in the project's namespace and registers nothing", async () => {
            const base = stagingConfig();
            const config = { ...base, secretKeys: [`${NS}:service`] };
            const result = await runStaging({ config });
            expect(result.error?.message).to.include(`${NS}:service: is a secure value`);
            expect(result.resources).to.have.length(0);
        });
    });

    describe("alternatives chosen in config", () => {
        it("REUSE secrets: no secret is created; the grant and the env var name the existing secret", async () => {
            const config = editKey(stagingConfig(), `${NS}:secrets`, (secrets) => ({
                ...secrets, DATABASE_URL: { secretId: "shared-db-url", version: "7", mode: "reuse", project: "acme-shared" },
            }));
            const result = await runStaging({ config });
            expect(result.error).to.equal(undefined);
            expect(ofType(result, TYPES.secret).map((s) => s.inputs.secretId)).to.not.include("shared-db-url");
            expect(ofType(result, TYPES.secret)).to.have.length(2);
            const grant = ofType(result, TYPES.grant).find((g) => g.name === "backend-database-url-accessor")!;
            expect(grant.inputs).to.include({ secretId: "projects/acme-shared/secrets/shared-db-url", project: "acme-shared" });
            const env = serviceContainer(result).envs.find((e: any) => e.name === "DATABASE_URL");
            expect(env.valueSource.secretKeyRef).to.deep.equal({ secret: "projects/acme-shared/secrets/shared-db-url", version: "7" });
        });

        it("REUSE connector: no connector is created; the service uses the given id", async () => {
            const id = "projects/acme-net/locations/europe-west1/connectors/shared";
            const config = editKey(stagingConfig(), `${NS}:vpc`, () => ({ reuseConnector: id }));
            const result = await runStaging({ config });
            expect(ofType(result, TYPES.connector)).to.have.length(0);
            expect(wire(single(result, TYPES.service)).template.vpcAccess).to.deep.equal({ connector: id, egress: "PRIVATE_RANGES_ONLY" });
            expect(result.outputs.connectorId).to.equal(id);
        });

        it("direct VPC egress: network interfaces instead of a connector", async () => {
            const config = editKey(stagingConfig(), `${NS}:vpc`, () => ({ direct: { network: "vpc", subnetwork: "run-subnet" }, egress: "ALL_TRAFFIC" }));
            const result = await runStaging({ config });
            expect(ofType(result, TYPES.connector)).to.have.length(0);
            expect(wire(single(result, TYPES.service)).template.vpcAccess).to.deep.equal({
                egress: "ALL_TRAFFIC", networkInterfaces: [{ network: "vpc", subnetwork: "run-subnet" }],
            });
        });

        it("image ref: no build, no repository; the digest-pinned ref is deployed as given", async () => {
            const ref = `europe-docker.pkg.dev/acme/images/backend@sha256:${"ab".repeat(32)}`;
            const config = editKey(stagingConfig(), `${NS}:image`, () => ({ ref }));
            const result = await runStaging({ config });
            expect(ofType(result, TYPES.image)).to.have.length(0);
            expect(ofType(result, TYPES.repository)).to.have.length(0);
            expect(serviceContainer(result).image).to.equal(ref);
            expect(result.outputs.imageDigest).to.equal(`sha256:${"ab".repeat(32)}`);
        });

        it("no invokers: no invoker IAM member at all (never a public one)", async () => {
            const config = editKey(stagingConfig(), `${NS}:service`, (s) => ({ ...s, invokers: [] }));
            const result = await runStaging({ config });
            expect(ofType(result, TYPES.invoker)).to.have.length(0);
        });
    });
});
