import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseStagingPlan } from "../../infra/config";
import { NS, PROJECT_DIR, editKey, runStaging, stagingConfig } from "../helpers/program-harness";
import { StackConfigMap } from "../../tools/stack-config";

/** Runs the program with a broken config; returns the error message after checking nothing was registered. */
async function failingRun(config: StackConfigMap): Promise<string> {
    const result = await runStaging({ config });
    expect(result.error, "the program should have failed").to.be.instanceOf(Error);
    expect(result.resources.map((r) => r.urn), "resources registered despite bad config").to.deep.equal([]);
    return result.error!.message;
}

const service = (edit: (s: any) => any) => editKey(stagingConfig(), `${NS}:service`, edit);

describe("stack config errors: fail before any resource, naming the key", () => {
    it("garbage memory", async () => {
        const message = await failingRun(service((s) => ({ ...s, resources: { cpu: "2", memory: "lots" } })));
        expect(message).to.include(`${NS}:service.resources.memory: memory is not a memory quantity; use Mi or Gi, e.g. "512Mi" or "2Gi"; got "lots"`);
    });

    it('cpu "3.5" (not a CPU value Cloud Run accepts)', async () => {
        const message = await failingRun(service((s) => ({ ...s, resources: { cpu: "3.5", memory: "4Gi" } })));
        expect(message).to.include(`${NS}:service.resources.cpu: cpu 3.5 is not accepted above 1; allowed: 1, 2, 4, 6, 8; got "3.5"`);
    });

    it("non-numeric port", async () => {
        const message = await failingRun(service((s) => ({ ...s, port: "http" })));
        expect(message).to.include(`${NS}:service.port: expected a container port: an integer from 1 to 65535; got "http"`);
    });

    it("missing image", async () => {
        const message = await failingRun(editKey(stagingConfig(), `${NS}:image`, () => undefined));
        expect(message).to.include(`${NS}:image: missing`);
    });

    it("misspelled top-level key, with a did-you-mean", async () => {
        const base = stagingConfig();
        const values: Record<string, string> = { ...base.values, [`${NS}:secrtes`]: base.values[`${NS}:secrets`] };
        delete values[`${NS}:secrets`];
        const message = await failingRun({ ...base, values });
        expect(message).to.include(`${NS}:secrtes: unknown key; did you mean "secrets"?`);
    });

    it("misspelled nested key, with a did-you-mean", async () => {
        const message = await failingRun(service((s) => ({ ...s, resources: { cpu: "2", memroy: "4Gi" } })));
        expect(message).to.include(`${NS}:service.resources.memroy: unknown key; did you mean "memory"?`);
        expect(message).to.include(`${NS}:service.resources.memory: missing`);
    });

    it("memory beyond what the CPU allows (1 CPU / 8Gi) names the CPU needed", async () => {
        const message = await failingRun(service((s) => ({ ...s, resources: { cpu: 1, memory: "8Gi" } })));
        expect(message).to.include(`${NS}:service.resources.memory: memory 8Gi with cpu 1: 1 CPU accepts 128Mi to 4Gi (8Gi needs at least 2 CPU); got "8Gi"`);
    });

    it("fractional CPU is refused for gen2", async () => {
        const message = await failingRun(service((s) => ({ ...s, resources: { cpu: "0.5", memory: "512Mi" } })));
        expect(message).to.include(`${NS}:service.resources.cpu: cpu below 1 requires the gen1 execution environment`);
    });

    it("a startup budget no probe within Cloud Run's bounds can cover", async () => {
        const message = await failingRun(service((s) => ({ ...s, startupBudgetSeconds: 600 })));
        expect(message).to.include(`${NS}:service.startupBudgetSeconds: expected a startup budget in seconds: an integer from 1 to 480; got 600`);
    });

    it("a request timeout above Cloud Run's maximum", async () => {
        const message = await failingRun(service((s) => ({ ...s, requestTimeoutSeconds: 7200 })));
        expect(message).to.include(`${NS}:service.requestTimeoutSeconds: expected a request timeout in seconds: an integer from 1 to 3600; got 7200`);
    });

    it("a reserved env name (PORT)", async () => {
        const message = await failingRun(service((s) => ({ ...s, env: { ...s.env, PORT: "8000" } })));
        expect(message).to.include(`${NS}:service.env.PORT: is reserved by Cloud Run`);
    });

    it("a public invoker", async () => {
        const message = await failingRun(service((s) => ({ ...s, invokers: ["allUsers"] })));
        expect(message).to.include(`${NS}:service.invokers.0: expected an IAM member`);
    });

    it("a probe path that is not a path", async () => {
        const message = await failingRun(service((s) => ({ ...s, probes: { ...s.probes, startupPath: "healthz" } })));
        expect(message).to.include(`${NS}:service.probes.startupPath: expected an HTTP path starting with "/"; got "healthz"`);
    });

    it("scaling max below min", async () => {
        const message = await failingRun(service((s) => ({ ...s, scaling: { minInstances: 5, maxInstances: 2 } })));
        expect(message).to.include(`${NS}:service.scaling.maxInstances: maxInstances 2 must be at least minInstances 5`);
    });

    it("the same variable as plain env and as a secret", async () => {
        const message = await failingRun(service((s) => ({ ...s, env: { ...s.env, REDIS_URL: "redis://cache:6379" } })));
        expect(message).to.include(`${NS}:service.env.REDIS_URL: REDIS_URL is also mapped from Secret Manager`);
    });

    it("both build and ref, or neither", async () => {
        const both = await failingRun(editKey(stagingConfig(), `${NS}:image`, (i) => ({ ...i, ref: `r@sha256:${"a".repeat(64)}` })));
        expect(both).to.include(`${NS}:image: set exactly one of build`);
        const neither = await failingRun(editKey(stagingConfig(), `${NS}:image`, () => ({})));
        expect(neither).to.include(`${NS}:image: set exactly one of build`);
    });

    it("an image ref pinned only by tag", async () => {
        const message = await failingRun(editKey(stagingConfig(), `${NS}:image`, () => ({ ref: "europe-docker.pkg.dev/p/r/backend:latest" })));
        expect(message).to.include(`${NS}:image.ref: expected an image reference pinned by digest`);
    });

    it("a secret version that is neither a number, latest nor an alias, and a missing mode", async () => {
        const message = await failingRun(editKey(stagingConfig(), `${NS}:secrets`, (s) => ({
            ...s, REDIS_URL: { secretId: "backend-redis-url", version: "v 1" },
        })));
        expect(message).to.include(`${NS}:secrets.REDIS_URL.version:`);
        expect(message).to.include(`${NS}:secrets.REDIS_URL.mode: missing`);
    });

    it("a connector range that is not a /28 and max instances not above min", async () => {
        const message = await failingRun(editKey(stagingConfig(), `${NS}:vpc`, (v) => ({
            ...v, createConnector: { ...v.createConnector, ipCidrRange: "10.8.0.0/27", minInstances: 3, maxInstances: 3 },
        })));
        expect(message).to.include(`${NS}:vpc.createConnector.ipCidrRange: ipCidrRange is a /27; it must be an unused IPv4 /28, e.g. "10.8.0.0/28"; got "10.8.0.0/27"`);
        expect(message).to.include(`${NS}:vpc.createConnector.maxInstances: maxInstances 3 must be greater than minInstances 3`);
    });

    it("an invalid connector name and machine type", async () => {
        const message = await failingRun(editKey(stagingConfig(), `${NS}:vpc`, (v) => ({
            ...v, createConnector: { ...v.createConnector, name: "Backend_Staging", machineType: "n1-standard-1" },
        })));
        expect(message).to.include(`${NS}:vpc.createConnector.name: name must match`);
        expect(message).to.include('got "Backend_Staging"');
        expect(message).to.include(`${NS}:vpc.createConnector.machineType: expected one of e2-micro, f1-micro, e2-standard-4`);
    });

    it("a connector below the team's floors (e2-micro, 2..3) names the key, the stack file and the fix", async () => {
        const message = await failingRun(editKey(stagingConfig(), `${NS}:vpc`, (v) => ({
            ...v, createConnector: { ...v.createConnector, machineType: "e2-micro", minInstances: 2, maxInstances: 3 },
        })));
        const why = "in Pulumi.staging.yaml (team requirement, checked again by the pack's vpcaccess-connector-capacity)";
        expect(message).to.include(`${NS}:vpc.createConnector.machineType: machineType e2-micro is not one the team allows (e2-standard-4): an e2-micro ` +
            "connector carries about 200-1000 Mbps from 2 to 10 instances (100 Mbps per instance), against 3200-16000 Mbps for e2-standard-4; " +
            `set machineType to e2-standard-4 ${why}`);
        expect(message).to.include(`${NS}:vpc.createConnector.maxInstances: maxInstances 3 is below the team's minimum maxInstances of 4; ` +
            `set maxInstances to at least 4 ${why}`);
        expect(message).not.to.include("createConnector.minInstances");
    });

    it("a connector's unset size and machine type default to the team's floors", () => {
        const config = editKey(stagingConfig(), `${NS}:vpc`, (v) => ({
            ...v, createConnector: { name: v.createConnector.name, ipCidrRange: v.createConnector.ipCidrRange, network: v.createConnector.network },
        }));
        const plan = parseStagingPlan({ namespace: NS, values: config.values });
        expect(plan.vpc.kind === "create-connector" && plan.vpc.connector).to.include({ minInstances: 2, maxInstances: 4, machineType: "e2-standard-4" });
    });

    it("two ways of VPC egress at once", async () => {
        const message = await failingRun(editKey(stagingConfig(), `${NS}:vpc`, (v) => ({
            ...v, reuseConnector: "projects/p/locations/europe-west1/connectors/c",
        })));
        expect(message).to.include(`${NS}:vpc: set exactly one of createConnector, reuseConnector or direct`);
    });

    it("missing gcp:project", async () => {
        const base = stagingConfig();
        const values = { ...base.values };
        delete values["gcp:project"];
        const message = await failingRun({ ...base, values });
        expect(message).to.include("gcp:project: missing; set it with `pulumi config set gcp:project <value>`");
    });

    it("reports every problem at once, one line each", async () => {
        const message = await failingRun(service((s) => ({ ...s, port: "http", resources: { cpu: "3.5", memory: "lots" }, ingress: "PUBLIC" })));
        const lines = message.split("\n").filter((l) => l.startsWith("  - "));
        expect(lines.map((l) => l.split(":").slice(0, 2).join(":"))).to.have.members([
            `  - ${NS}:service.port`, `  - ${NS}:service.resources.cpu`, `  - ${NS}:service.resources.memory`, `  - ${NS}:service.ingress`,
        ]);
        expect(message).to.match(/^Invalid stack config: 4 problems/);
    });

    describe("build context (Docker's .dockerignore rules)", () => {
        let contextDir: string;
        beforeEach(() => {
            contextDir = fs.mkdtempSync(path.join(os.tmpdir(), "ctx-"));
            fs.mkdirSync(path.join(contextDir, "backend", "startup"), { recursive: true });
            fs.writeFileSync(path.join(contextDir, "Dockerfile"), "FROM scratch\n");
            fs.writeFileSync(path.join(contextDir, "backend", "main.py"), "");
            fs.writeFileSync(path.join(contextDir, "backend", "startup", "phases.py"), "");
        });
        afterEach(() => fs.rmSync(contextDir, { recursive: true, force: true }));

        const withContext = (requiredPaths: string[]) => editKey(stagingConfig(), `${NS}:image`, () => ({
            build: { context: contextDir, requiredPaths },
        }));

        it("a required module excluded by .dockerignore names the path and the pattern", async () => {
            fs.writeFileSync(path.join(contextDir, ".dockerignore"), "# build junk\n*.md\nbackend/startup\n");
            const message = await failingRun(withContext(["backend/main.py", "backend/startup/phases.py"]));
            expect(message).to.include(`${NS}:image.build.requiredPaths[1]: "backend/startup/phases.py" is excluded by`);
            expect(message).to.include('pattern "backend/startup"');
            expect(message).to.not.include("requiredPaths[0]");
        });

        it("a re-included path (!pattern) passes", async () => {
            fs.writeFileSync(path.join(contextDir, ".dockerignore"), "backend/startup\n!backend/startup/phases.py\n");
            const result = await runStaging({ config: withContext(["backend/startup/phases.py"]) });
            expect(result.error).to.equal(undefined);
        });

        it("a required path that does not exist, and one outside the context", async () => {
            const message = await failingRun(withContext(["backend/worker.py", "../secrets.env"]));
            expect(message).to.include(`${NS}:image.build.requiredPaths[0]: "backend/worker.py" does not exist`);
            expect(message).to.include(`${NS}:image.build.requiredPaths[1]: "../secrets.env" must be a relative path inside the build context`);
        });

        it("a missing Dockerfile", async () => {
            fs.rmSync(path.join(contextDir, "Dockerfile"));
            const message = await failingRun(withContext([]));
            expect(message).to.include(`${NS}:image.build.dockerfile: Dockerfile "Dockerfile" not found`);
        });
    });

    it("the shipped staging config parses into the plan the components receive", () => {
        const config = stagingConfig();
        const plan = parseStagingPlan({ namespace: NS, values: config.values });
        expect(plan.service.resources).to.deep.equal({ cpu: "2", memory: "4Gi" });
        expect(plan.secrets.map((s) => s.envName)).to.deep.equal(["DATABASE_URL", "REDIS_URL", "CLICKHOUSE_URL"]);
        expect(plan.vpc.kind).to.equal("create-connector");
        expect(plan.vpc.kind === "create-connector" && plan.vpc.connector).to.include({ minInstances: 2, maxInstances: 6, machineType: "e2-standard-4" });
        expect(plan.image).to.include({ kind: "build", context: "app", repositoryId: "backend" });
        expect(fs.existsSync(path.join(PROJECT_DIR, "app", "Dockerfile"))).to.equal(true);
    });
});
