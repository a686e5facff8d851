import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { parseStagingPlan } from "../../infra/config";
import { CLOUD_RUN_REGIONS } from "../../policies/lib/cloud-run-limits";
import { NS, PROJECT_DIR, editKey, runStaging, stagingConfig } from "../helpers/program-harness";
import { RunResult, runProgramUnderMocks } from "../../tools/program-runner";
import { StackConfigMap, readStackConfig, stackConflicts, toConfigMap } from "../../tools/stack-config";

/** Runs the program with a broken config; returns the error message after checking nothing was registered. */
async function failingRun(config: StackConfigMap): Promise<string> {
    const result = await runStaging({ config });
    expect(result.error, "the program should have failed").to.be.instanceOf(Error);
    expect(result.resources.map((r) => r.urn), "resources registered despite bad config").to.deep.equal([]);
    return result.error!.message;
}

const service = (edit: (s: any) => any) => editKey(stagingConfig(), `${NS}:service`, edit);

/** The staging config with one plain value replaced. */
function withValue(key: string, value: string): StackConfigMap {
    const base = stagingConfig();
    return { ...base, values: { ...base.values, [key]: value } };
}

/** parseStagingPlan's error message for a config, or "" when it parses. */
function parseProblems(config: StackConfigMap): string {
    try {
        parseStagingPlan({ namespace: NS, values: config.values, secretKeys: config.secretKeys, securePaths: config.securePaths, stackFile: `Pulumi.${config.stack}.yaml` });
        return "";
    } catch (e) {
        return (e as Error).message;
    }
}

/** Pulumi.staging.yaml's `config:` section, parsed, to edit into other stack files. */
function stagingStackConfig(): Record<string, any> {
    return parseYaml(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.staging.yaml"), "utf8")).config;
}

/**
 * A project directory holding this project's Pulumi.yaml and app, one Pulumi.<stack>.yaml per entry (staging's
 * config, edited), and an entry module that runs the real staging program with that directory as its project.
 */
function tempProject(stacks: Record<string, (config: Record<string, any>) => void>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stacks-"));
    fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    fs.symlinkSync(path.join(PROJECT_DIR, "app"), path.join(dir, "app"));
    for (const [stack, edit] of Object.entries(stacks)) {
        const config = stagingStackConfig();
        edit(config);
        fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), stringifyYaml({ config }));
    }
    const staging = JSON.stringify(path.join(PROJECT_DIR, "infra", "staging"));
    fs.writeFileSync(path.join(dir, "index.js"), `module.exports = require(${staging}).stagingProgram({ projectDir: __dirname });\n`);
    return dir;
}

/**
 * Previews a stack of a tempProject under mocks; returns the run and what the program sent to pulumi.log.warn and
 * console.warn. `engine`: pretend an engine is attached (as in `pulumi preview`); under mocks there is none.
 */
async function previewInProject(dir: string, stack: string, options: { engine?: boolean } = {}): Promise<{ result: RunResult; logged: string[]; printed: string[] }> {
    const config = readStackConfig(dir, stack);
    const logged: string[] = [];
    const printed: string[] = [];
    const sdk = require("@pulumi/pulumi") as { runtime: { getEngine: () => unknown }; log: { warn: (message: string) => Promise<void> } };
    const originals = { getEngine: sdk.runtime.getEngine, warn: sdk.log.warn, consoleWarn: console.warn };
    if (options.engine) {
        sdk.runtime.getEngine = () => ({});
    }
    sdk.log.warn = async (message) => void logged.push(message);
    console.warn = (...args: unknown[]) => void printed.push(args.map(String).join(" "));
    try {
        const result = await runProgramUnderMocks({
            programPath: path.join(dir, "index.js"), project: config.project, stack, preview: true,
            config: config.values, secretKeys: config.secretKeys,
        });
        return { result, logged, printed };
    } finally {
        sdk.runtime.getEngine = originals.getEngine;
        sdk.log.warn = originals.warn;
        console.warn = originals.consoleWarn;
    }
}

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

    it("a wrong env value is named by its key, never shown (it may be a secret set in clear text)", async () => {
        const message = await failingRun(service((s) => ({ ...s, env: { ...s.env, API_TOKEN: ["hunter2-token"] } })));
        expect(message).to.include(`${NS}:service.env.API_TOKEN: expected a plain string, number or boolean`);
        expect(message).to.not.include("hunter2");
        const long = await failingRun(service((s) => ({ ...s, env: { ...s.env, API_TOKEN: "hunter2".repeat(5000) } })));
        expect(long).to.include(`${NS}:service.env.API_TOKEN: expected at most`);
        expect(long).to.not.include("hunter2");
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
        expect(message).to.match(/^Invalid stack config in Pulumi\.staging\.yaml: 4 problems/);
    });

    describe("gcp:project and gcp:region", () => {
        it("a project's name instead of its ID: the rules it breaks, in words, and the fix", async () => {
            const message = await failingRun(withValue("gcp:project", "ACME Backend!"));
            expect(message).to.match(/^Invalid stack config in Pulumi\.staging\.yaml: 1 problem\n/);
            expect(message).to.include('gcp:project: "ACME Backend!" is not a project ID (it has uppercase letters; it has " ", "!"); ' +
                "a project ID is 6 to 30 characters of lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen. " +
                "Use the project's ID, not its name (`gcloud projects list` shows both): `pulumi config set gcp:project <project-id>`");
        });

        it("Google's project ID rules: 6 to 30 characters, starts with a letter, no trailing hyphen", () => {
            const problems = (id: string) => parseProblems(withValue("gcp:project", id));
            for (const valid of ["abcdef", `a${"b".repeat(29)}`, "acme-backend-2"]) {
                expect(problems(valid), valid).to.equal("");
            }
            expect(problems("abcde")).to.include("(it is 5 characters long)");
            expect(problems(`a${"b".repeat(30)}`)).to.include("(it is 31 characters long)");
            expect(problems("1acme-backend")).to.include("(it does not start with a letter)");
            expect(problems("acme-backend-")).to.include("(it ends with a hyphen)");
            expect(problems("acme_backend")).to.include('(it has "_")');
        });

        it("a region Cloud Run does not run in: did you mean, and where the list comes from", async () => {
            const message = await failingRun(withValue("gcp:region", "europe-west99"));
            expect(message).to.include('gcp:region: "europe-west99" is not a region Cloud Run runs in; did you mean "europe-west9"? ' +
                "Cloud Run's regions are CLOUD_RUN_REGION_TIERS in policies/lib/cloud-run-limits.ts, from https://cloud.google.com/run/pricing; " +
                "if Cloud Run has added this region since, add it there with its price tier");
            expect(parseProblems(withValue("gcp:region", "mars-north1"))).to.include('"mars-north1" is not a region').and.not.include("did you mean");
        });

        it("every region in the table is accepted", () => {
            for (const region of CLOUD_RUN_REGIONS) {
                expect(parseProblems(withValue("gcp:region", region)), region).to.equal("");
            }
        });
    });

    it("a connector range given by a host address names its network address", async () => {
        const message = await failingRun(editKey(stagingConfig(), `${NS}:vpc`, (v) => ({
            ...v, createConnector: { ...v.createConnector, ipCidrRange: "10.8.0.5/28" },
        })));
        expect(message).to.include(`${NS}:vpc.createConnector.ipCidrRange: ipCidrRange has host bits set; the network address is 10.8.0.0/28: ` +
            'use 10.8.0.0/28 if it is unused, or another unused /28; got "10.8.0.5/28"');
    });

    describe("a secure value inside a structured key", () => {
        const withSecureToken = (config: Record<string, any>) => {
            config[`${NS}:service`].env.API_TOKEN = { secure: "v1:CIPHERTEXTdoNotPrint==" };
        };

        it("is named by its exact key path, and nothing is reported missing", () => {
            const config = stagingStackConfig();
            withSecureToken(config);
            const map = toConfigMap(NS, "staging", parseYaml(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")).config, config);
            expect(map.securePaths).to.deep.equal([`${NS}:service.env.API_TOKEN`]);
            const message = parseProblems(map);
            expect(message).to.match(/^Invalid stack config in Pulumi\.staging\.yaml: 1 problem\n/);
            expect(message).to.include(`${NS}:service.env.API_TOKEN: is a secure value; this program never writes secret values into resources. ` +
                `Remove it from Pulumi.staging.yaml, store it in Secret Manager and map it as ${NS}:secrets.API_TOKEN {secretId, version, mode}`);
            expect(message).to.not.include("missing");
            expect(message).to.not.include("CIPHERTEXT");
        });

        it("the program finds the path in the stack file (the runtime names only the top-level key)", async () => {
            const dir = tempProject({ staging: withSecureToken });
            try {
                const { result } = await previewInProject(dir, "staging");
                expect(result.resources).to.deep.equal([]);
                expect(result.error?.message).to.include(`${NS}:service.env.API_TOKEN: is a secure value`);
                expect(result.error?.message).to.not.include("missing");
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });

    describe("another stack file claiming the same service or connector (warnings)", () => {
        const ownNames = (config: Record<string, any>) => {
            config[`${NS}:service`].name = "backend-pr-1";
            config[`${NS}:vpc`].createConnector.name = "backend-pr-1";
            config[`${NS}:vpc`].createConnector.ipCidrRange = "10.8.0.16/28";
        };

        it("a per-PR stack copied unchanged from staging: each key, both files", () => {
            const dir = tempProject({ staging: () => undefined, "pr-1": () => undefined });
            try {
                const warnings = stackConflicts(dir, "pr-1");
                expect(warnings).to.deep.equal([
                    `Pulumi.pr-1.yaml and Pulumi.staging.yaml both set ${NS}:service.name to "backend" (project acme-backend-staging, region europe-west1): ` +
                        "both stacks would deploy the same Cloud Run service; give one of the stacks its own value (README: Add another stack)",
                    `Pulumi.pr-1.yaml and Pulumi.staging.yaml both set ${NS}:vpc.createConnector.name to "backend-staging" (project acme-backend-staging, region europe-west1): ` +
                        "both stacks would create the same VPC connector; give one of the stacks its own value (README: Add another stack)",
                    `Pulumi.pr-1.yaml and Pulumi.staging.yaml both set ${NS}:vpc.createConnector.ipCidrRange to "10.8.0.0/28" (project acme-backend-staging, network staging-vpc): ` +
                        "two connectors on one network cannot share a range; give one of the stacks its own value (README: Add another stack)",
                ]);
                expect(stackConflicts(dir, "staging")).to.have.length(3);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("no warning once the copy has its own names and range, or deploys to another project", () => {
            const dir = tempProject({
                staging: () => undefined,
                "pr-1": ownNames,
                prod: (config) => (config["gcp:project"] = "acme-backend-prod"),
            });
            try {
                expect(stackConflicts(dir, "pr-1")).to.deep.equal([]);
                expect(stackConflicts(dir, "prod")).to.deep.equal([]);
                fs.writeFileSync(path.join(dir, "Pulumi.broken.yaml"), "config: [unclosed\n");
                expect(stackConflicts(dir, "staging"), "an unreadable stack file is skipped").to.deep.equal([]);
                expect(stackConflicts(dir, "missing")).to.deep.equal([]);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("the program warns through the engine (pulumi.log.warn) and still deploys; under mocks it leaves them to the caller", async () => {
            const dir = tempProject({ staging: () => undefined, "pr-1": () => undefined });
            try {
                const withEngine = await previewInProject(dir, "pr-1", { engine: true });
                expect(withEngine.result.error).to.equal(undefined);
                expect(withEngine.result.resources.length).to.be.greaterThan(0);
                expect(withEngine.logged).to.deep.equal(stackConflicts(dir, "pr-1")).and.to.have.length(3);
                // No engine (the offline check, tests): nothing goes past the caller's own report to stderr.
                const mocked = await previewInProject(dir, "pr-1");
                expect(mocked.result.error).to.equal(undefined);
                expect([...mocked.logged, ...mocked.printed]).to.deep.equal([]);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
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

    it("service.traffic (for the cost estimate): a negative count, a fraction of a millisecond and a misspelled field", async () => {
        const message = await failingRun(service((s) => ({ ...s, traffic: { requestsPerMonth: -5, meanRequestMs: 0.5 } })));
        expect(message).to.include(`${NS}:service.traffic.requestsPerMonth: expected requests a month: an integer from 0 to 1000000000000; got -5`);
        expect(message).to.include(`${NS}:service.traffic.meanRequestMs: expected a mean request duration in milliseconds: an integer from 1 to 3600000; got 0.5`);
        const misspelled = await failingRun(service((s) => ({ ...s, traffic: { requestsPerMonth: 5, meanRequestMS: 100 } })));
        expect(misspelled).to.include(`${NS}:service.traffic.meanRequestMS: unknown key; did you mean "meanRequestMs"?`);
    });

    it("service.traffic is optional and, when set, reaches the plan as given", () => {
        const config = editKey(stagingConfig(), `${NS}:service`, (s) => ({ ...s, traffic: { requestsPerMonth: "2000000", meanRequestMs: 150 } }));
        expect(parseStagingPlan({ namespace: NS, values: config.values }).service.traffic).to.deep.equal({ requestsPerMonth: 2_000_000, meanRequestMs: 150 });
        expect(parseStagingPlan({ namespace: NS, values: stagingConfig().values }).service.traffic).to.equal(undefined);
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
