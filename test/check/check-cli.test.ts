import { expect } from "chai";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { editKey, runStaging, stagingConfig } from "../helpers/program-harness";
import { stackExportOf } from "../helpers/stack-export";

const ROOT = path.resolve(__dirname, "../..");
const CHECK = path.join(ROOT, "tools", "check", "main.js");
const TEMP_STACKS: string[] = [];

interface CheckRun {
    code: number | null;
    stdout: string;
    stderr: string;
}

/** Runs the check as `npm run check` does, without a TTY. */
function runCheck(args: string[]): Promise<CheckRun> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CHECK, ...args], {
            cwd: ROOT, env: { ...process.env, FORCE_COLOR: undefined }, stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
}

/** Writes Pulumi.<name>.yaml: a copy of staging with the service edited. Removed after the suite. */
function stagingVariant(name: string, editService: (service: any) => void, extraConfig: Record<string, unknown> = {}): string {
    const doc = parseYaml(fs.readFileSync(path.join(ROOT, "Pulumi.staging.yaml"), "utf8"));
    editService(doc.config["cloudrun-staging:service"]);
    Object.assign(doc.config, extraConfig);
    const stack = `test-${name}`;
    const file = path.join(ROOT, `Pulumi.${stack}.yaml`);
    fs.writeFileSync(file, toYaml(doc));
    TEMP_STACKS.push(file);
    return stack;
}

function writeJson(value: unknown): string {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "policy-config-")), "config.json");
    fs.writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value));
    return file;
}

describe("npm run check (offline: program under mocks + policy pack over the analyzer protocol)", function () {
    this.timeout(120_000);
    let lowResources: string;

    before(() => {
        lowResources = stagingVariant("low-resources", (s) => (s.resources = { cpu: 1, memory: "512Mi" }));
    });
    after(() => TEMP_STACKS.forEach((f) => fs.rmSync(f, { force: true })));

    it("staging passes: exit 0, a resource tree and a summary line", async () => {
        const run = await runCheck(["--stack", "staging"]);
        expect(run.code, run.stderr).to.equal(0);
        expect(run.stdout).to.match(/^Stack staging \(policy pack cloud-run-guardrails@/);
        expect(run.stdout).to.include("gcp:cloudrunv2/service:Service backend");
        // Not even "can't run": the runtime account's email and the image's digest are traced to the stack.
        expect(run.stdout).to.match(/no mandatory violations, 0 advisory, 17 resources checked \(and 3 the engine adds: the Stack and default providers\)\./);
        expect(run.stdout, "colour only on a TTY").to.not.include("\u001b[");
    });

    it("a copy of staging cut to 1 CPU / 512Mi exits 1, naming the floor policy under the service", async () => {
        const run = await runCheck(["--stack", lowResources]);
        expect(run.code, run.stderr).to.equal(1);
        expect(run.stdout).to.match(/gcp:cloudrunv2\/service:Service backend\n[\s\S]*✖ mandatory cloudrun-service-resource-floor/);
        expect(run.stdout).to.include("fix: ");
        expect(run.stdout).to.match(/\d+ mandatory violations?, /);
    });

    it("--json prints one document listing the mandatory diagnostics with policy, level, urn and message", async () => {
        const run = await runCheck(["--stack", lowResources, "--json"]);
        expect(run.code).to.equal(1);
        const doc = JSON.parse(run.stdout);
        expect(doc.passed).to.equal(false);
        const mandatory = doc.diagnostics.filter((d: any) => d.enforcementLevel === "mandatory");
        expect(mandatory.map((d: any) => d.policyName)).to.include("cloudrun-service-resource-floor");
        const floor = mandatory.find((d: any) => d.policyName === "cloudrun-service-resource-floor");
        expect(floor.urn).to.match(/gcp:cloudrunv2\/service:Service::backend$/);
        expect(floor.message).to.match(/cpu/).and.to.match(/memory/);
        expect(doc.resources.map((r: any) => r.type)).to.include("gcp:cloudrunv2/service:Service");
        expect(doc.summary.mandatory).to.equal(mandatory.length);
    });

    it("a policy config file that disables the floor changes the verdict", async () => {
        const config = writeJson({ "cloudrun-service-resource-floor": "disabled" });
        const run = await runCheck(["--stack", lowResources, "--policy-pack-config", config, "--json"]);
        const doc = JSON.parse(run.stdout);
        expect(doc.diagnostics.map((d: any) => d.policyName)).to.not.include("cloudrun-service-resource-floor");
        expect(run.code).to.equal(doc.summary.mandatory > 0 ? 1 : 0);
        expect(doc.summary.mandatory).to.equal(0);
    });

    it("a policy config file that lowers the floor's thresholds also passes the cut revision", async () => {
        const config = writeJson({ "cloudrun-service-resource-floor": { minCpu: 1, minMemory: "512Mi" } });
        const run = await runCheck(["--stack", lowResources, "--policy-pack-config", config]);
        expect(run.code, run.stdout + run.stderr).to.equal(0);
    });

    it("in preview, the secret-mapping checks decide instead of skipping on unknowns", async () => {
        const run = await runCheck(["--stack", "staging", "--json"]);
        const doc = JSON.parse(run.stdout);
        const secretPolicies = ["cloudrun-secret-refs-resolve", "cloudrun-secret-accessor-grants", "cloudrun-service-required-secret-env"];
        const skipped = doc.diagnostics.filter((d: any) => secretPolicies.includes(d.policyName));
        expect(skipped, JSON.stringify(skipped)).to.deep.equal([]);
    });

    it("a stack missing the CLICKHOUSE_URL mapping is rejected in preview (incident 2)", async () => {
        const stack = stagingVariant("no-clickhouse", () => undefined);
        const file = path.join(ROOT, `Pulumi.${stack}.yaml`);
        const doc = parseYaml(fs.readFileSync(file, "utf8"));
        delete doc.config["cloudrun-staging:secrets"].CLICKHOUSE_URL;
        fs.writeFileSync(file, toYaml(doc));
        const run = await runCheck(["--stack", stack, "--json"]);
        expect(run.code).to.equal(1);
        const failed = JSON.parse(run.stdout).diagnostics.filter((d: any) => d.enforcementLevel === "mandatory");
        expect(failed.map((d: any) => d.policyName)).to.include("cloudrun-service-required-secret-env");
        expect(failed.map((d: any) => d.message).join("\n")).to.include("CLICKHOUSE_URL");
    });

    it("malformed stack config exits 2 and names the key, as the program does", async () => {
        const stack = stagingVariant("bad-memory", (s) => (s.resources = { cpu: "2", memory: "lots" }));
        const run = await runCheck(["--stack", stack]);
        expect(run.code).to.equal(2);
        expect(run.stderr).to.include('cloudrun-staging:service.resources.memory: memory is not a memory quantity; use Mi or Gi, e.g. "512Mi" or "2Gi"; got "lots"');
        expect(run.stdout).to.equal("");
    });

    it("bad usage exits 2: no --stack, an unknown stack, unreadable or unknown policy config", async () => {
        expect((await runCheck([])).code).to.equal(2);
        const unknownStack = await runCheck(["--stack", "nope"]);
        expect(unknownStack.code).to.equal(2);
        expect(unknownStack.stderr).to.include("stacks here:");
        const notJson = await runCheck(["--stack", "staging", "--policy-pack-config", writeJson("{not json")]);
        expect(notJson.code).to.equal(2);
        expect(notJson.stderr).to.include("is not valid JSON");
        // The engine passes an unknown policy name on; so does the check, with a warning.
        const unknownPolicy = await runCheck(["--stack", "staging", "--policy-pack-config", writeJson({ "cloudrun-service-resource-flor": "disabled" })]);
        expect(unknownPolicy.code).to.equal(0);
        expect(unknownPolicy.stderr).to.include("\"cloudrun-service-resource-flor\", which this pack does not have").and.to.include("did you mean \"cloudrun-service-resource-floor\"?");
        // A value that breaks its schema is an error naming the file, the policy and the key, never the default in disguise.
        const badFloorFile = writeJson('{ "cloudrun-service-resource-floor": { "minCpu": 1e309 } }');
        const badFloor = await runCheck(["--stack", "staging", "--policy-pack-config", badFloorFile]);
        expect(badFloor.code).to.equal(2);
        expect(badFloor.stderr).to.include(`--policy-pack-config ${badFloorFile}`);
        expect(badFloor.stderr).to.include("cloudrun-service-resource-floor.minCpu is out of range");
        const badMemory = await runCheck(["--stack", "staging", "--policy-pack-config", writeJson({ "cloudrun-service-resource-floor": { minMemory: "0" } })]);
        expect(badMemory.code).to.equal(2);
        expect(badMemory.stderr).to.include("validating policy config: cloud-run-guardrails 0.1.0  cloudrun-service-resource-floor: minMemory: Does not match pattern");
    });

    it("exits 2 with one clear line for a missing pack, a malformed export, or neither --stack nor --from-export", async () => {
        const missingPack = await runCheck(["--stack", "staging", "--policy-pack", path.join(os.tmpdir(), "no-such-pack")]);
        expect(missingPack.code).to.equal(2);
        expect(missingPack.stderr.trim().split("\n")).to.have.length(1);
        expect(missingPack.stderr).to.include("is not a policy pack: no PulumiPolicy.yaml");
        for (const [content, says] of [
            ["{not json", "is not valid JSON"],
            [JSON.stringify({ version: 2, deployment: { resources: [] } }), "only checkpoint version 3"],
            [JSON.stringify({ version: 3, deployment: {} }), "\"deployment.resources\" is missing"],
            [JSON.stringify({ version: 3, deployment: { resources: [{ type: "gcp:cloudrunv2/service:Service" }] } }), "deployment.resources[0] has no \"urn\""],
        ]) {
            const run = await runCheck(["--from-export", writeJson(content)]);
            expect(run.code, content).to.equal(2);
            expect(run.stderr.trim().split("\n"), content).to.have.length(1);
            expect(run.stderr, content).to.include(says);
            expect(run.stderr, content).not.to.match(/\n\s+at /);
        }
        const neither = await runCheck([]);
        expect(neither.code).to.equal(2);
        expect(neither.stderr).to.include("give exactly one of --stack <name> (run the program) or --from-export <file>");
    });

    it("--cwd checks foreign programs (JavaScript and TypeScript, their own Pulumi.yaml) with the chosen pack", async () => {
        const programs = path.join(ROOT, "test", "fixtures", "programs");
        const generic = path.join(ROOT, "policies", "policy-config.generic.json");
        const site = await runCheck(["--stack", "dev", "--cwd", path.join(programs, "js-public-site"), "--policy-pack-config", generic, "--json"]);
        expect(site.code, site.stderr).to.equal(1);
        const siteReport = JSON.parse(site.stdout) as { diagnostics: { policyName: string; enforcementLevel: string }[] };
        expect(siteReport.diagnostics.filter((d) => d.enforcementLevel === "mandatory").map((d) => d.policyName).sort())
            .to.deep.equal(["cloudrun-invoker-not-public", "cloudrun-service-identity-and-ingress"]);
        const job = await runCheck(["--stack", "dev", "--cwd", path.join(programs, "ts-nightly-job"), "--policy-pack", path.join(ROOT, "policies"),
            "--policy-pack-config", generic, "--json"]);
        expect(job.code, job.stderr).to.equal(0);
        const jobReport = JSON.parse(job.stdout) as { resources: { type: string }[] };
        expect(jobReport.resources.map((r) => r.type)).to.include("gcp:cloudrunv2/job:Job");
    });

    it("refuses what the engine refuses, accepts what it accepts: level-less unknown entries, an empty config, other runtimes, a broken pack", async () => {
        for (const config of [{ flor: { minCpu: 3 } }, { all: { minCpu: 3 } }]) {
            const run = await runCheck(["--stack", "staging", "--policy-pack-config", writeJson(config)]);
            expect(run.code, JSON.stringify(config)).to.equal(2);
            expect(run.stderr).to.include("sets properties but no enforcement level").and.to.include("invalid enforcement level \"\"");
        }
        expect((await runCheck(["--stack", "staging", "--policy-pack-config", writeJson("  \n")])).code).to.equal(0);
        const pythonProgram = fs.mkdtempSync(path.join(os.tmpdir(), "python-program-"));
        fs.writeFileSync(path.join(pythonProgram, "Pulumi.yaml"), "name: py\nruntime: python\n");
        fs.writeFileSync(path.join(pythonProgram, "Pulumi.dev.yaml"), "config: {}\n");
        const python = await runCheck(["--stack", "dev", "--cwd", pythonProgram]);
        expect(python.code).to.equal(2);
        expect(python.stderr.trim().split("\n")).to.have.length(1);
        expect(python.stderr).to.include("this check runs Node.js programs (runtime: nodejs)").and.not.to.include("cannot find the program's entry");
        const brokenPack = fs.mkdtempSync(path.join(os.tmpdir(), "broken-pack-"));
        fs.writeFileSync(path.join(brokenPack, "PulumiPolicy.yaml"), "runtime: nodejs\n");
        fs.writeFileSync(path.join(brokenPack, "package.json"), JSON.stringify({ name: "broken", main: "index.js" }));
        fs.writeFileSync(path.join(brokenPack, "index.js"), "console.error('policy pack failed to load: no rules'); process.exit(3);\n");
        fs.symlinkSync(path.join(ROOT, "policies", "node_modules"), path.join(brokenPack, "node_modules"), "dir");
        const broken = await runCheck(["--stack", "staging", "--policy-pack", brokenPack]);
        expect(broken.code).to.equal(2);
        expect(broken.stderr.trim().split("\n")).to.have.length(1);
        expect(broken.stderr).to.include("exited before printing its port").and.to.include("policy pack failed to load: no rules");
    });

    it("--from-export leaves out read resources and refuses an export whose secrets are encrypted", async () => {
        const applied = await runStaging({ preview: false });
        const exported = stackExportOf(applied, "cloudrun-staging", "staging", { project: "acme-backend-staging", region: "europe-west1" }) as {
            deployment: { resources: Record<string, unknown>[] };
        };
        // The CLICKHOUSE_URL secret read with .get instead of created: the engine never shows it to a pack.
        const external = structuredClone(exported);
        const secret = external.deployment.resources.find((r) => String(r.urn).includes("clickhouse") && r.type === "gcp:secretmanager/secret:Secret")!;
        secret.external = true;
        const run = await runCheck(["--from-export", writeJson(external), "--json"]);
        expect(run.code).to.equal(1);
        expect(JSON.parse(run.stdout).diagnostics.map((d: { policyName: string }) => d.policyName)).to.include("cloudrun-secret-refs-resolve");
        const encrypted = structuredClone(exported);
        const service = encrypted.deployment.resources.find((r) => r.type === "gcp:cloudrunv2/service:Service")!;
        (service.outputs as Record<string, unknown>).template = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "AAAA" };
        const refused = await runCheck(["--from-export", writeJson(encrypted)]);
        expect(refused.code).to.equal(2);
        expect(refused.stderr).to.include("1 encrypted secret value(s)").and.to.include("--show-secrets");
    });

    it("--from-export analyzes a stack export of the applied staging stack with the same mandatory verdicts as the preview", async () => {
        const mandatoryOf = (run: CheckRun) => (JSON.parse(run.stdout) as { diagnostics: { policyName: string; enforcementLevel: string }[] })
            .diagnostics.filter((d) => d.enforcementLevel === "mandatory").map((d) => d.policyName).sort();
        const cut = (s: any) => (s.resources = { cpu: "1", memory: "512Mi" });
        for (const [label, edit] of [["staging", undefined], ["cut to 1 CPU / 512Mi", cut]] as const) {
            const config = edit ? editKey(stagingConfig(), "cloudrun-staging:service", (s) => { edit(s); return s; }) : stagingConfig();
            const applied = await runStaging({ preview: false, config });
            const file = writeJson(stackExportOf(applied, "cloudrun-staging", "staging", { project: "acme-backend-staging", region: "europe-west1" }));
            const fromExport = await runCheck(["--from-export", file, "--json"]);
            const stack = edit ? stagingVariant("export-cut", cut) : "staging";
            const preview = await runCheck(["--stack", stack, "--json"]);
            expect(fromExport.code, `${label}: ${fromExport.stderr}`).to.equal(preview.code);
            expect(mandatoryOf(fromExport), label).to.deep.equal(mandatoryOf(preview));
            expect(JSON.parse(fromExport.stdout).resources.map((r: { type: string }) => r.type)).to.include.members(["pulumi:pulumi:Stack", "pulumi:providers:gcp"]);
        }
    });

    it("never prints a secure value (they become opaque placeholders)", async () => {
        const stack = stagingVariant("secure", () => undefined, { "other:apiToken": { secure: "v1:CIPHERTEXTdoNotPrint==" } });
        const run = await runCheck(["--stack", stack, "--json"]);
        expect(run.code).to.equal(0);
        expect(run.stdout + run.stderr).to.not.include("CIPHERTEXTdoNotPrint");
    });
});
