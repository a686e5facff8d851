import { expect } from "chai";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { CapturedResource } from "../../tools/program-runner";
import type { AnalyzerResource } from "../../tools/analyzer/client";
import { EnginePhase, EngineShapeOptions, checkOutput, engineAnalyzeRequests, engineStack } from "../../tools/analyzer/engine-shape";
import { PropertyMap, UNKNOWN, secret, toStruct } from "../../tools/analyzer/properties";

const PROJECT = "acme-prod";
const NUMBER = "123456789012";
const REGION = "europe-west1";
const STACK_URN = "urn:pulumi:staging::demo::pulumi:pulumi:Stack::demo-staging";
const GCP_PROVIDER_URN = "urn:pulumi:staging::demo::pulumi:providers:gcp::default_9_37_0";
const DEFAULT_SA = `${NUMBER}-compute@developer.gserviceaccount.com`;

const T = {
    v2Service: "gcp:cloudrunv2/service:Service",
    v2Job: "gcp:cloudrunv2/job:Job",
    v2WorkerPool: "gcp:cloudrunv2/workerPool:WorkerPool",
    v1Service: "gcp:cloudrun/service:Service",
    connector: "gcp:vpcaccess/connector:Connector",
    secret: "gcp:secretmanager/secret:Secret",
    secretVersion: "gcp:secretmanager/secretVersion:SecretVersion",
    secretIamMember: "gcp:secretmanager/secretIamMember:SecretIamMember",
    account: "gcp:serviceaccount/account:Account",
    serviceIamMember: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
    repository: "gcp:artifactregistry/repository:Repository",
    image: "docker:index/image:Image",
} as const;

function options(phase: EnginePhase, overrides: Partial<EngineShapeOptions> = {}): EngineShapeOptions {
    return { project: PROJECT, region: REGION, projectNumber: NUMBER, stack: "staging", projectName: "demo", phase, ...overrides };
}

type Props = Record<string, unknown>;

/** A registration as program-runner captures it: inputs on the wire (unknowns as sentinels, secrets as objects). */
function captured(type: string, name: string, props: Props, extra: Partial<CapturedResource> = {}): CapturedResource {
    return {
        urn: `urn:pulumi:staging::demo::${type}::${name}`,
        type,
        name,
        custom: true,
        dependencies: [],
        propertyDependencies: {},
        properties: Struct.fromJavaScript(props as never),
        inputs: props,
        // What the mock provider returned; the engine shape does not use it (it models the real provider).
        outputs: {},
        ...extra,
    };
}

/** Properties exactly as they go on the wire. */
function wire(properties: AnalyzerResource["properties"]): any {
    return toStruct(properties).toJavaScript();
}

function check(resource: CapturedResource): any {
    return wire(checkOutput(resource, options("preview")));
}

function outputs(resource: CapturedResource, phase: EnginePhase, others: CapturedResource[] = []): any {
    const view = engineStack([...others, resource], options(phase));
    const found = view.find((r) => r.urn === resource.urn);
    expect(found, resource.urn).to.not.equal(undefined);
    return wire(found!.properties);
}

/** Every path at which `key` occurs. */
function pathsOf(value: unknown, key: string, at = ""): string[] {
    if (Array.isArray(value)) {
        return value.flatMap((v, i) => pathsOf(v, key, `${at}[${i}]`));
    }
    if (typeof value !== "object" || value === null) {
        return [];
    }
    return Object.entries(value).flatMap(([k, v]) => [...(k === key ? [at || "<top>"] : []), ...pathsOf(v, key, at ? `${at}.${k}` : k)]);
}

function v2ServiceProps(): Props {
    return {
        location: REGION,
        labels: { team: "backend" },
        template: {
            containers: [{
                image: "europe-west1-docker.pkg.dev/acme-prod/app/api@sha256:" + "a".repeat(64),
                ports: { containerPort: 8000 },
                resources: { limits: { cpu: "2", memory: "4Gi" } },
                envs: [
                    { name: "PLAIN", value: "x" },
                    { name: "DB", valueSource: { secretKeyRef: { secret: "db-url", version: "3" } } },
                ],
                startupProbe: { httpGet: { path: "/ready" }, failureThreshold: 24 },
                livenessProbe: { httpGet: {} },
            }],
        },
    };
}

describe("engine shape: Check output (what Analyze gets)", () => {
    it("v2 service: deletionProtection defaults to true only when unset", () => {
        expect(check(captured(T.v2Service, "api", v2ServiceProps())).deletionProtection).to.equal(true);
        expect(check(captured(T.v2Service, "api", { ...v2ServiceProps(), deletionProtection: false })).deletionProtection).to.equal(false);
    });

    it("autonames an unset `name` as <resource name>-<7 hex>, stable per URN; a set name is kept", () => {
        const first = check(captured(T.v2Service, "api", v2ServiceProps())).name;
        expect(first).to.match(/^api-[0-9a-f]{7}$/);
        expect(check(captured(T.v2Service, "api", v2ServiceProps())).name).to.equal(first);
        expect(check(captured(T.v2Service, "api", { ...v2ServiceProps(), name: "backend" })).name).to.equal("backend");
        expect(check(captured(T.connector, "egress", { ipCidrRange: "10.8.0.0/28", network: "vpc" })).name).to.match(/^egress-[0-9a-f]{7}$/);
    });

    it("does not fill project or region from the provider (that happens in outputs)", () => {
        const checked = check(captured(T.v2Service, "api", v2ServiceProps()));
        expect(checked).to.not.have.property("project");
        const connector = check(captured(T.connector, "egress", { name: "c", ipCidrRange: "10.8.0.0/28", network: "vpc" }));
        expect(connector).to.not.have.property("project");
        expect(connector).to.not.have.property("region");
    });

    it("puts __defaults in nested objects (in lists too) but never at the top level or inside maps", () => {
        const checked = check(captured(T.v2Service, "api", v2ServiceProps()));
        expect(checked).to.not.have.property("__defaults");
        expect(checked.template.__defaults).to.deep.equal([]);
        expect(checked.template.containers[0].envs[0].__defaults).to.deep.equal([]);
        expect(checked.template.containers[0].envs[1].valueSource.secretKeyRef.__defaults).to.deep.equal([]);
        expect(checked.labels).to.deep.equal({ team: "backend" });
        expect(checked.template.containers[0].resources.limits).to.deep.equal({ cpu: "2", memory: "4Gi" });
    });

    it("fills nested schema defaults and names them in __defaults", () => {
        const container = check(captured(T.v2Service, "api", v2ServiceProps())).template.containers[0];
        // env[].value default "": a secret env carries value "" next to valueSource.
        expect(container.envs[1]).to.include({ name: "DB", value: "" });
        expect(container.envs[1].__defaults).to.deep.equal(["value"]);
        expect(container.envs[0]).to.include({ value: "x" });
        expect(container.startupProbe).to.include({ failureThreshold: 24, initialDelaySeconds: 0, timeoutSeconds: 1, periodSeconds: 10 });
        expect(container.startupProbe.__defaults).to.deep.equal(["initialDelaySeconds", "periodSeconds", "timeoutSeconds"]);
        expect(container.startupProbe.httpGet).to.deep.equal({ path: "/ready", __defaults: [] });
        expect(container.livenessProbe.httpGet).to.deep.equal({ path: "/", __defaults: ["path"] });
    });

    it("keeps unknowns and secrets; nested objects inside a secret get the bookkeeping", () => {
        const checked = check(captured(T.v2Service, "api", {
            ...v2ServiceProps(),
            description: UNKNOWN,
            binaryAuthorization: secret({ useDefault: true }),
        }));
        expect(checked.description).to.equal(UNKNOWN);
        expect(checked.binaryAuthorization).to.deep.equal(secret({ useDefault: true, __defaults: [] }));
    });

    it("job: defaults under template.template (env value, startup probe), deletionProtection", () => {
        const checked = check(captured(T.v2Job, "migrate", {
            location: REGION,
            template: { template: { containers: [{ image: "i", envs: [{ name: "A" }], startupProbe: { tcpSocket: { port: 8080 } } }] } },
        }));
        expect(checked.deletionProtection).to.equal(true);
        expect(checked.name).to.match(/^migrate-[0-9a-f]{7}$/);
        const container = checked.template.template.containers[0];
        expect(container.envs[0]).to.deep.equal({ name: "A", value: "", __defaults: ["value"] });
        expect(container.startupProbe).to.include({ failureThreshold: 3, timeoutSeconds: 1 });
    });

    it("worker pool: deletionProtection and liveness httpGet path defaults", () => {
        const checked = check(captured(T.v2WorkerPool, "pool", {
            location: REGION,
            template: { containers: [{ image: "i", livenessProbe: { httpGet: { port: 9000 } } }] },
        }));
        expect(checked.deletionProtection).to.equal(true);
        expect(checked.template.containers[0].livenessProbe.httpGet).to.deep.equal({ port: 9000, path: "/", __defaults: ["path"] });
    });

    it("v1 service: autogenerateRevisionName false; annotations (a map) without __defaults", () => {
        const checked = check(captured(T.v1Service, "b", {
            location: "us-central1",
            template: { metadata: { annotations: { "run.googleapis.com/cloudsql-instances": "p:r:i" } }, spec: { containers: [{ image: "gcr.io/cloudrun/hello" }] } },
            traffics: [{ latestRevision: true, percent: 100 }],
        }));
        expect(checked.autogenerateRevisionName).to.equal(false);
        expect(checked.name).to.match(/^b-[0-9a-f]{7}$/);
        expect(checked.template.metadata).to.deep.equal({ __defaults: [], annotations: { "run.googleapis.com/cloudsql-instances": "p:r:i" } });
        expect(checked.template.spec.containers[0]).to.deep.equal({ __defaults: [], image: "gcr.io/cloudrun/hello" });
        expect(checked.traffics[0].__defaults).to.deep.equal([]);
    });

    it("repository: mode defaults to STANDARD_REPOSITORY", () => {
        expect(check(captured(T.repository, "repo", { repositoryId: "app", format: "DOCKER" })).mode).to.equal("STANDARD_REPOSITORY");
        expect(check(captured(T.repository, "repo", { repositoryId: "app", format: "DOCKER", mode: "VIRTUAL_REPOSITORY" })).mode).to.equal("VIRTUAL_REPOSITORY");
    });

    it("unknown types, components and the (natively implemented) docker image pass through unchanged", () => {
        const props = { a: { b: [{ c: 1 }] }, labels: { x: "y" } };
        expect(check(captured("random:index/randomPet:RandomPet", "pet", props))).to.deep.equal(props);
        expect(check(captured("cloudrun-staging:infra:Thing", "c", props, { custom: false }))).to.deep.equal(props);
        const image = { imageName: "r/app:v1", build: { context: "app" } };
        expect(check(captured(T.image, "img", image))).to.deep.equal(image);
    });

    it("no covered type gets a top-level __defaults", () => {
        const all = [
            captured(T.v2Service, "s", v2ServiceProps()),
            captured(T.v2Job, "j", { location: REGION, template: { template: { containers: [{ image: "i" }] } } }),
            captured(T.v2WorkerPool, "w", { location: REGION, template: { containers: [{ image: "i" }] } }),
            captured(T.v1Service, "v1", { location: REGION, template: { spec: { containers: [{ image: "i" }] } } }),
            captured(T.connector, "c", { ipCidrRange: "10.8.0.0/28", network: "vpc" }),
            captured(T.secret, "sec", { secretId: "s", replication: { auto: {} } }),
            captured(T.secretVersion, "v", { secret: "projects/acme-prod/secrets/s", secretData: secret("x") }),
            captured(T.secretIamMember, "g", { secretId: "s", role: "roles/secretmanager.secretAccessor", member: "user:a@b.c" }),
            captured(T.account, "sa", { accountId: "runtime" }),
            captured(T.serviceIamMember, "i", { name: "s", role: "roles/run.invoker", member: "user:a@b.c" }),
            captured(T.repository, "r", { repositoryId: "app", format: "DOCKER" }),
        ];
        for (const resource of all) {
            expect(pathsOf(check(resource), "__defaults"), resource.type).to.not.include("<top>");
        }
        expect(check(all[5]).replication).to.deep.equal({ __defaults: [], auto: { __defaults: [] } });
    });
});

describe("engine shape: the stack AnalyzeStack gets", () => {
    const component = captured("demo:infra:Backend", "backend", { anything: 1 }, { custom: false });
    const childUrn = "urn:pulumi:staging::demo::demo:infra:Backend$gcp:secretmanager/secret:Secret::db";
    const child = captured(T.secret, "db", { secretId: "db-url", replication: { auto: {} } }, { urn: childUrn, parent: component.urn });

    it("starts with the root Stack, then the default gcp provider with the provider config", () => {
        const view = engineStack([component, child], options("applied"));
        expect(view[0]).to.include({ urn: STACK_URN, type: "pulumi:pulumi:Stack", name: "demo-staging" });
        expect(view[0].parent).to.equal(undefined);
        expect(wire(view[0].properties)).to.deep.equal({});
        const provider = view.find((r) => r.type === "pulumi:providers:gcp")!;
        expect(provider).to.include({ urn: GCP_PROVIDER_URN, name: "default_9_37_0" });
        expect(wire(provider.properties)).to.deep.equal({ project: PROJECT, region: REGION, version: "9.37.0" });
        // Registered on demand: just before the first gcp resource, after the component.
        expect(view.map((r) => r.type)).to.deep.equal(["pulumi:pulumi:Stack", "demo:infra:Backend", "pulumi:providers:gcp", T.secret]);
        expect(view.some((r) => r.type === "pulumi:providers:docker")).to.equal(false);
    });

    it("adds the docker provider only when docker resources exist", () => {
        const view = engineStack([captured(T.image, "img", { imageName: "r/app:v1" })], options("applied"));
        const docker = view.find((r) => r.type === "pulumi:providers:docker")!;
        expect(docker.urn).to.equal("urn:pulumi:staging::demo::pulumi:providers:docker::default_5_2_0");
        expect(wire(docker.properties)).to.deep.equal({ version: "5.2.0" });
        expect(view.some((r) => r.type === "pulumi:providers:gcp")).to.equal(false);
        expect(view.find((r) => r.type === T.image)!.provider!.urn).to.equal(docker.urn);
    });

    it("parents default to the Stack URN; explicit parents, dependencies and propertyDependencies are kept", () => {
        const account = captured(T.account, "sa", { accountId: "runtime" });
        const grant = captured(T.secretIamMember, "g", { secretId: "db-url", role: "roles/secretmanager.secretAccessor", member: "serviceAccount:x" }, {
            dependencies: [account.urn, childUrn],
            propertyDependencies: { member: [account.urn], secretId: [childUrn] },
        });
        const view = engineStack([component, child, account, grant], options("preview"));
        const byUrn = new Map(view.map((r) => [r.urn, r]));
        expect(byUrn.get(component.urn)!.parent).to.equal(STACK_URN);
        expect(byUrn.get(childUrn)!.parent).to.equal(component.urn);
        expect(byUrn.get(account.urn)!.parent).to.equal(STACK_URN);
        expect(byUrn.get(grant.urn)!.dependencies).to.deep.equal([account.urn, childUrn]);
        expect(byUrn.get(grant.urn)!.propertyDependencies).to.deep.equal({ member: [account.urn], secretId: [childUrn] });
        // Custom resources carry their provider's inputs; components and the Stack have none.
        expect(byUrn.get(grant.urn)!.provider).to.deep.include({ urn: GCP_PROVIDER_URN, type: "pulumi:providers:gcp" });
        expect(wire(byUrn.get(grant.urn)!.provider!.properties)).to.include({ project: PROJECT, region: REGION });
        expect(byUrn.get(component.urn)!.provider).to.equal(undefined);
    });

    it("components have empty outputs in AnalyzeStack (their inputs in Analyze)", () => {
        expect(wire(engineStack([component], options("applied"))[1].properties)).to.deep.equal({});
        expect(wire(engineAnalyzeRequests([component], options("applied"))[1].properties)).to.deep.equal({ anything: 1 });
    });

    it("unknown types pass through: outputs are the inputs", () => {
        const pet = captured("random:index/randomPet:RandomPet", "pet", { length: 2, prefix: UNKNOWN });
        expect(outputs(pet, "applied")).to.deep.equal({ length: 2, prefix: UNKNOWN });
        expect(outputs(pet, "preview")).to.deep.equal({ length: 2, prefix: UNKNOWN });
    });

    it("outputs never carry __defaults", () => {
        for (const phase of ["applied", "preview"] as const) {
            expect(pathsOf(outputs(captured(T.v2Service, "api", v2ServiceProps()), phase), "__defaults"), phase).to.deep.equal([]);
        }
    });
});

describe("engine shape: outputs after create (applied) and in a fresh preview", () => {
    it("Secret: name holds the project number, id the project id; unknown in preview, project filled in both", () => {
        const s = captured(T.secret, "db", { secretId: "db-url", replication: { auto: {} } });
        const applied = outputs(s, "applied");
        expect(applied).to.include({ name: `projects/${NUMBER}/secrets/db-url`, id: `projects/${PROJECT}/secrets/db-url`, project: PROJECT });
        expect(applied.labels).to.deep.equal({});
        const preview = outputs(s, "preview");
        expect(preview).to.include({ name: UNKNOWN, id: UNKNOWN, project: PROJECT, secretId: "db-url" });
    });

    it("without a project number, a stable 12-digit stand-in that is not the project id", () => {
        const s = captured(T.secret, "db", { secretId: "db-url", replication: { auto: {} } });
        const view = engineStack([s], options("applied", { projectNumber: undefined }));
        const name = wire(view[2].properties).name as string;
        expect(name).to.match(/^projects\/[1-9][0-9]{11}\/secrets\/db-url$/);
        expect(wire(engineStack([s], options("applied", { projectNumber: undefined }))[2].properties).name).to.equal(name);
    });

    it("SecretVersion: first version of the secret, named with the project number", () => {
        const v = captured(T.secretVersion, "v", { secret: `projects/${PROJECT}/secrets/db-url`, secretData: secret("postgres://") });
        const applied = outputs(v, "applied");
        expect(applied).to.include({ version: "1", name: `projects/${NUMBER}/secrets/db-url/versions/1`, project: PROJECT });
        expect(applied.secretData).to.deep.equal(secret("postgres://"));
        expect(outputs(v, "preview")).to.include({ version: UNKNOWN, name: UNKNOWN });
    });

    it("SecretIamMember: the secret stored as its long id with the provider project; unknown etag in preview", () => {
        const g = captured(T.secretIamMember, "g", { secretId: "db-url", role: "roles/secretmanager.secretAccessor", member: "serviceAccount:a@b.iam.gserviceaccount.com" });
        const applied = outputs(g, "applied");
        expect(applied).to.include({ secretId: `projects/${PROJECT}/secrets/db-url`, project: PROJECT });
        expect(applied.etag).to.be.a("string").and.not.equal(UNKNOWN);
        expect(applied.id).to.equal(`projects/${PROJECT}/secrets/db-url/roles/secretmanager.secretAccessor/serviceAccount:a@b.iam.gserviceaccount.com`);
        const preview = outputs(g, "preview");
        expect(preview).to.include({ secretId: "db-url", project: UNKNOWN, etag: UNKNOWN, id: UNKNOWN });
        // A long name from another project keeps that project.
        const other = captured(T.secretIamMember, "o", { secretId: "projects/shared/secrets/token", role: "r", member: "user:a@b.c" });
        expect(outputs(other, "applied")).to.include({ secretId: "projects/shared/secrets/token", project: "shared" });
    });

    it("ServiceIamMember: service stored as projects/<p>/locations/<l>/services/<name>, location from the provider", () => {
        const m = captured(T.serviceIamMember, "inv", { name: "api", role: "roles/run.invoker", member: "user:a@b.c" });
        expect(outputs(m, "applied")).to.include({ name: `projects/${PROJECT}/locations/${REGION}/services/api`, location: REGION, project: PROJECT });
        expect(outputs(m, "preview")).to.include({ name: "api", location: UNKNOWN, etag: UNKNOWN });
    });

    it("Account: email, member, name computed after create, unknown in preview", () => {
        const a = captured(T.account, "sa", { accountId: "runtime" });
        const email = `runtime@${PROJECT}.iam.gserviceaccount.com`;
        const applied = outputs(a, "applied");
        expect(applied).to.include({ email, member: `serviceAccount:${email}`, name: `projects/${PROJECT}/serviceAccounts/${email}`, disabled: false, displayName: "" });
        expect(applied.uniqueId).to.match(/^[0-9]{21}$/);
        expect(outputs(a, "preview")).to.include({ email: UNKNOWN, member: UNKNOWN, name: UNKNOWN, project: PROJECT });
    });

    it("Connector: id from project, region and name; region and project from the provider", () => {
        const c = captured(T.connector, "c", { name: "egress", ipCidrRange: "10.8.0.0/28", network: "vpc", minInstances: 2, maxInstances: 3 });
        const id = `projects/${PROJECT}/locations/${REGION}/connectors/egress`;
        expect(outputs(c, "applied")).to.include({ id, selfLink: id, region: REGION, project: PROJECT, minThroughput: 200, maxThroughput: 300, minInstances: 2 });
        expect(outputs(c, "preview")).to.include({ id: UNKNOWN, region: REGION, minInstances: 2, minThroughput: UNKNOWN });
    });

    it("Cloud Run v2 service: id, uri, revisions, zero values and the API's defaults after create", () => {
        const s = captured(T.v2Service, "api", { ...v2ServiceProps(), name: "api" });
        const applied = outputs(s, "applied");
        expect(applied).to.include({ id: `projects/${PROJECT}/locations/${REGION}/services/api`, project: PROJECT, ingress: "INGRESS_TRAFFIC_ALL", description: "", deletionProtection: true });
        expect(applied.uri).to.match(/^https:\/\/api-[a-z0-9]{10}-ew\.a\.run\.app$/);
        expect(applied.latestCreatedRevision).to.match(/^api-00001-[a-z]{3}$/);
        expect(applied.binaryAuthorization).to.equal(null);
        const template = applied.template;
        expect(template).to.include({ serviceAccount: DEFAULT_SA, timeout: "300s", maxInstanceRequestConcurrency: 80, executionEnvironment: "" });
        expect(template.volumes).to.deep.equal([]);
        const container = template.containers[0];
        expect(container).to.include({ workingDir: "", name: "" });
        expect(container.ports).to.deep.equal({ containerPort: 8000, name: "http1" });
        expect(container.startupProbe.httpGet).to.deep.equal({ path: "/ready", port: 8000 });
        expect(container.envs[1]).to.include({ name: "DB", value: "" });
    });

    it("Cloud Run v2 service: a container without resources, ports or startup probe gets Cloud Run's after create", () => {
        const s = captured(T.v2Service, "api", { location: REGION, template: { containers: [{ image: "i" }] } });
        const container = outputs(s, "applied").template.containers[0];
        expect(container.resources).to.deep.equal({ limits: { cpu: "1000m", memory: "512Mi" } });
        expect(container.ports).to.deep.equal({ containerPort: 8080, name: "http1" });
        expect(container.startupProbe).to.deep.equal({ initialDelaySeconds: 0, timeoutSeconds: 240, periodSeconds: 240, failureThreshold: 1, tcpSocket: { port: 8080 } });
        expect(container.livenessProbe).to.equal(null);
        const preview = outputs(s, "preview");
        expect(preview.template.containers[0]).to.include({ resources: UNKNOWN, ports: UNKNOWN, startupProbe: UNKNOWN });
        expect(preview.template.containers[0]).to.not.have.property("livenessProbe");
    });

    it("Cloud Run v2 service in a fresh preview: computed values unknown, set values kept", () => {
        const preview = outputs(captured(T.v2Service, "api", { ...v2ServiceProps(), name: "api" }), "preview");
        expect(preview).to.include({ id: UNKNOWN, uri: UNKNOWN, latestCreatedRevision: UNKNOWN, ingress: UNKNOWN, project: PROJECT, name: "api" });
        expect(preview.template).to.include({ serviceAccount: UNKNOWN, timeout: UNKNOWN });
        expect(preview).to.not.have.property("description");
        const withIdentity = outputs(captured(T.v2Service, "api", {
            ...v2ServiceProps(), ingress: "INGRESS_TRAFFIC_INTERNAL_ONLY", template: { ...(v2ServiceProps().template as Props), serviceAccount: "run@acme-prod.iam.gserviceaccount.com" },
        }), "preview");
        expect(withIdentity.ingress).to.equal("INGRESS_TRAFFIC_INTERNAL_ONLY");
        expect(withIdentity.template.serviceAccount).to.equal("run@acme-prod.iam.gserviceaccount.com");
    });

    it("Cloud Run v2 job and worker pool: ids by collection; the job's task template gets the default identity", () => {
        const job = outputs(captured(T.v2Job, "j", { name: "migrate", location: REGION, template: { template: { containers: [{ image: "i" }] } } }), "applied");
        expect(job.id).to.equal(`projects/${PROJECT}/locations/${REGION}/jobs/migrate`);
        expect(job.template.template.serviceAccount).to.equal(DEFAULT_SA);
        expect(job.template.template.containers[0].resources).to.deep.equal({ limits: { cpu: "1000m", memory: "512Mi" } });
        const pool = outputs(captured(T.v2WorkerPool, "w", { name: "pool", location: REGION, template: { containers: [{ image: "i" }] } }), "applied");
        expect(pool.id).to.equal(`projects/${PROJECT}/locations/${REGION}/workerPools/pool`);
        expect(outputs(captured(T.v2WorkerPool, "w", { name: "pool", location: REGION, template: { containers: [{ image: "i" }] } }), "preview").id).to.equal(UNKNOWN);
    });

    it("Cloud Run v1 service: id with the namespace, statuses with the URL, the API's spec defaults", () => {
        const v1 = captured(T.v1Service, "b", {
            name: "b", location: "us-central1",
            template: { spec: { containers: [{ image: "gcr.io/cloudrun/hello" }] } },
        });
        const applied = outputs(v1, "applied");
        expect(applied.id).to.equal(`locations/us-central1/namespaces/${PROJECT}/services/b`);
        expect(applied.statuses[0].url).to.match(/^https:\/\/b-[a-z0-9]{10}-uc\.a\.run\.app$/);
        expect(applied.metadata).to.include({ namespace: PROJECT, selfLink: `/apis/serving.knative.dev/v1/namespaces/${NUMBER}/services/b` });
        expect(applied.metadata.annotations).to.deep.equal({});
        expect(applied.metadata.effectiveAnnotations).to.include({ "run.googleapis.com/ingress": "all" });
        expect(applied.template.spec).to.include({ containerConcurrency: 80, timeoutSeconds: 300, serviceAccountName: DEFAULT_SA });
        expect(applied.template.spec.containers[0]).to.include({ workingDir: "", livenessProbe: null });
        expect(applied.traffics).to.deep.equal([{ latestRevision: true, percent: 100, revisionName: "", tag: "", url: "" }]);
        const preview = outputs(v1, "preview");
        expect(preview).to.include({ statuses: UNKNOWN, id: UNKNOWN, metadata: UNKNOWN, traffics: UNKNOWN });
        expect(preview.template.spec.serviceAccountName).to.equal(UNKNOWN);
    });

    it("Artifact Registry repository: name is the repository id; Docker registry URI", () => {
        const r = captured(T.repository, "repo", { repositoryId: "app", format: "DOCKER" });
        expect(outputs(r, "applied")).to.include({
            name: "app", location: REGION, id: `projects/${PROJECT}/locations/${REGION}/repositories/app`, registryUri: `${REGION}-docker.pkg.dev/${PROJECT}/app`,
        });
        expect(outputs(r, "preview")).to.include({ name: UNKNOWN, registryUri: UNKNOWN, mode: "STANDARD_REPOSITORY" });
    });

    it("docker image: repoDigest after a push, unknown in preview", () => {
        const image = captured(T.image, "img", { imageName: "europe-west1-docker.pkg.dev/acme-prod/app/api:v1", build: { context: "app", dockerfile: "app/Dockerfile" } });
        const applied = outputs(image, "applied");
        expect(applied.repoDigest).to.match(/^europe-west1-docker\.pkg\.dev\/acme-prod\/app\/api@sha256:[0-9a-f]{64}$/);
        expect(applied).to.include({ registryServer: "europe-west1-docker.pkg.dev", context: "app", dockerfile: "app/Dockerfile" });
        expect(pathsOf(applied, "__defaults")).to.deep.equal([]);
        expect(outputs(image, "preview").repoDigest).to.equal(UNKNOWN);
    });
});

describe("engine shape: Analyze requests", () => {
    it("Stack first, provider before the first gcp resource, Check outputs with provider and parent", () => {
        const service = captured(T.v2Service, "api", v2ServiceProps());
        const requests = engineAnalyzeRequests([service], options("preview"));
        expect(requests.map((r) => r.type)).to.deep.equal(["pulumi:pulumi:Stack", "pulumi:providers:gcp", T.v2Service]);
        const request = requests[2];
        expect(request.parent).to.equal(STACK_URN);
        expect(request.provider!.urn).to.equal(GCP_PROVIDER_URN);
        const props: PropertyMap = wire(request.properties);
        expect(props).to.deep.equal(check(service));
        expect(props).to.not.have.property("__defaults");
        expect(props).to.not.have.property("project");
    });
});
