import { expect } from "chai";
import { CheckRun, ROOT, outputSchemaErrors, runCheck, sharedCheck } from "../helpers/check-runner";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { editKey, runStaging, stagingConfig } from "../helpers/program-harness";
import { stackExportOf } from "../helpers/stack-export";
import { analyzerInfo } from "../helpers/policy-harness";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";

const TEMP_STACKS: string[] = [];



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


/** Errors of a log against the SARIF 2.1.0 schema (vendored: test/fixtures/sarif/SOURCE.md). */
function sarifErrors(log: unknown): string[] {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(ROOT, "test", "fixtures", "sarif", "sarif-2.1.0.json"), "utf8")));
    return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** The seed's other configuration: staging cut to 1 CPU / 512Mi. */
function cutToOneCpu(service: any): void {
    service.resources = { cpu: "1", memory: "512Mi" };
}

function writeJson(value: unknown): string {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "policy-config-")), "config.json");
    fs.writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value));
    return file;
}

describe("npm run check (offline: program under mocks + policy pack over the analyzer protocol)", function () {
    this.timeout(120_000);
    let lowResources: string;
    let noClickhouse: string;
    let badMemory: string;
    let exportCut: string;
    let secure: string;
    let disableFloor: string;
    let lowerFloor: string;

    before(() => {
        lowResources = stagingVariant("low-resources", (s) => (s.resources = { cpu: 1, memory: "512Mi" }));
        noClickhouse = stagingVariant("no-clickhouse", () => undefined);
        const noClickhouseFile = path.join(ROOT, `Pulumi.${noClickhouse}.yaml`);
        const noClickhouseDoc = parseYaml(fs.readFileSync(noClickhouseFile, "utf8"));
        delete noClickhouseDoc.config["cloudrun-staging:secrets"].CLICKHOUSE_URL;
        fs.writeFileSync(noClickhouseFile, toYaml(noClickhouseDoc));
        badMemory = stagingVariant("bad-memory", (s) => (s.resources = { cpu: "2", memory: "lots" }));
        exportCut = stagingVariant("export-cut", cutToOneCpu);
        secure = stagingVariant("secure", () => undefined, { "other:apiToken": { secure: "v1:CIPHERTEXTdoNotPrint==" } });
        disableFloor = writeJson({ "cloudrun-service-resource-floor": "disabled" });
        lowerFloor = writeJson({ "cloudrun-service-resource-floor": { minCpu: 1, minMemory: "512Mi" } });
        // The program-and-pack runs whose inputs are written above, started now (two at a time) in the order the tests
        // await them: the tests below share these runs (sharedCheck), so each command runs once while the next ones
        // start. A command left out here still runs, when its test asks for it.
        for (const [args, env] of [
            [["--stack", "staging"]],
            [["--stack", lowResources]],
            [["--stack", lowResources, "--verbose"]],
            [["--stack", lowResources, "--json"]],
            [["--stack", lowResources, "--format", "sarif"]],
            [["--stack", lowResources], { FORCE_COLOR: "1" }],
            [["--stack", lowResources, "--color", "never"], { FORCE_COLOR: "1" }],
            [["--stack", lowResources, "--policy-pack-config", disableFloor, "--json"]],
            [["--stack", lowResources, "--policy-pack-config", lowerFloor]],
            [["--stack", "staging", "--json"]],
            [["--stack", noClickhouse, "--json"]],
            [["--stack", badMemory]],
            [["--stack", exportCut, "--json"]],
            [["--stack", secure, "--json"]],
        ] as [string[], Record<string, string>?][]) {
            void sharedCheck(args, env);
        }
    });
    after(() => TEMP_STACKS.forEach((f) => fs.rmSync(f, { force: true })));

    it("staging passes: exit 0, a header and a summary line", async () => {
        const run = await sharedCheck(["--stack", "staging"]);
        expect(run.code, run.stderr).to.equal(0);
        expect(run.stdout).to.match(/^Stack staging \(policy pack cloud-run-guardrails@/);
        // Not even "can't run": the runtime account's email and the image's digest are traced to the stack. The one
        // advisory is the service's monthly cost estimate (cloudrun-service-monthly-cost reports it on every stack).
        expect(run.stdout).to.match(/no mandatory violations, 1 advisory, 17 resources checked \(and 3 the engine adds: the Stack and default providers\)\./);
        expect(run.stdout.match(/⚠ advisory \S+/g)).to.deep.equal(["⚠ advisory cloudrun-service-monthly-cost"]);
        expect(run.stdout, "colour only on a TTY").to.not.include("\u001b[");
    });

    it("the cpu-1 cut reads in three lines: the config key and line that set it, the pack's fix, the doc link", async () => {
        const [run, verbose, info] = await Promise.all([sharedCheck(["--stack", lowResources]), sharedCheck(["--stack", lowResources, "--verbose"]), analyzerInfo()]);
        expect(run.code, run.stderr).to.equal(1);
        const floor = info.policies.find((p) => p.name === "cloudrun-service-resource-floor")!;
        const file = `Pulumi.${lowResources}.yaml`;
        const cpuLine = fs.readFileSync(path.join(ROOT, file), "utf8").split("\n").findIndex((l) => /^\s+cpu: /.test(l)) + 1;
        const lines = run.stdout.split("\n");
        const at = lines.findIndex((l) => l.includes(`cloudrun-staging:service.resources.cpu (${file}:${cpuLine})`));
        expect(at, run.stdout).to.be.greaterThan(0);
        expect(lines[at]).to.match(/^✖ mandatory cloudrun-service-resource-floor cloudrun-staging:service\.resources\.cpu \(\S+:\d+\): .*cpu limit 1 is below the floor "2"/);
        expect(lines[at + 1]).to.equal(`    fix: ${floor.remediationSteps}`);
        expect(lines[at + 2]).to.equal(`    ${floor.url}`);
        expect(lines[at + 3]).to.equal("");
        // The description is not a fix: never printed by default, once per policy with --verbose (two floor violations here).
        expect(run.stdout).to.not.include(floor.description);
        expect(verbose.stdout.split(floor.description)).to.have.length(2);
        expect(verbose.stdout).to.include("resource: gcp:cloudrunv2/service:Service backend template.containers[0].resources.limits.cpu");
        expect(run.stdout).to.match(/\d+ mandatory violations?, /);
    });

    it("--json prints one document, valid against its schema, each diagnostic placed at its config key with the fix and the link", async () => {
        const run = await sharedCheck(["--stack", lowResources, "--json"]);
        expect(run.code).to.equal(1);
        const doc = JSON.parse(run.stdout);
        expect(outputSchemaErrors(doc)).to.deep.equal([]);
        expect(doc.passed).to.equal(false);
        // A copy of staging deploys the same service: a warning, not a violation (issue 11, problem 5).
        expect(doc.warnings.join("\n")).to.include(`Pulumi.${lowResources}.yaml and Pulumi.staging.yaml both set cloudrun-staging:service.name to "backend"`);
        const mandatory = doc.diagnostics.filter((d: any) => d.level === "mandatory");
        expect(mandatory.map((d: any) => d.policy)).to.include("cloudrun-service-resource-floor");
        const floor = mandatory.find((d: any) => d.policy === "cloudrun-service-resource-floor");
        expect(floor.resource.urn).to.match(/gcp:cloudrunv2\/service:Service::backend$/);
        expect(floor).to.include({ propertyPath: "template.containers[0].resources.limits.cpu", configKey: "cloudrun-staging:service.resources.cpu" });
        expect(floor).to.include({ file: `Pulumi.${lowResources}.yaml`, keyWritten: true });
        expect(floor.resource).to.include({ type: "gcp:cloudrunv2/service:Service", name: "backend" });
        expect(floor.fix).to.match(/^On the ingress container/);
        expect(floor.url).to.equal("https://cloud.google.com/run/docs/configuring/services/cpu");
        expect(mandatory.filter((d: any) => d.policy === floor.policy).map((d: any) => d.message).join("\n")).to.match(/cpu/).and.to.match(/memory/);
        expect(doc.resources.map((r: any) => r.type)).to.include("gcp:cloudrunv2/service:Service");
        expect(doc.summary.mandatory).to.equal(mandatory.length);
    });

    it("--json prints exactly one schema-valid document on exit 2 too: unknown stack, bad arguments", async () => {
        const commands = [
            ["--stack", "nope", "--json"], ["--json", "--no-such-flag"], ["--format", "json", "--stack", "staging", "--policy-pack", path.join(os.tmpdir(), "no-such-pack")],
            ["--stack", path.join(os.tmpdir(), "Pulumi.nope.yaml"), "--json"],
        ];
        const runs = await Promise.all(commands.map((args) => runCheck(args)));
        for (const [i, args] of commands.entries()) {
            const run = runs[i];
            expect(run.code, args.join(" ")).to.equal(2);
            const doc = JSON.parse(run.stdout);
            expect(outputSchemaErrors(doc), args.join(" ")).to.deep.equal([]);
            expect(doc.error.message, args.join(" ")).to.be.a("string").and.not.equal("");
            expect(run.stderr, "people still read the error on stderr").to.include(doc.error.message.split("\n")[0]);
        }
        // The stack by its name, as a successful run reports it, also when it was given as a file.
        expect([JSON.parse(runs[0].stdout).stack, JSON.parse(runs[3].stdout).stack]).to.deep.equal(["nope", "nope"]);
    });

    it("--format sarif is valid SARIF 2.1.0: the pack's policies as rules, results at the stack file line", async () => {
        const run = await sharedCheck(["--stack", lowResources, "--format", "sarif"]);
        expect(run.code).to.equal(1);
        const log = JSON.parse(run.stdout);
        expect(sarifErrors(log)).to.deep.equal([]);
        const [sarifRun] = log.runs;
        const rules = sarifRun.tool.driver.rules.map((r: any) => r.id);
        expect(rules).to.include.members(["cloudrun-service-resource-floor", "cloudrun-service-request-timeout"]);
        const cpu = sarifRun.results.find((r: any) => r.ruleId === "cloudrun-service-resource-floor" && r.message.text.includes("service.resources.cpu"));
        const cpuLine = fs.readFileSync(path.join(ROOT, `Pulumi.${lowResources}.yaml`), "utf8").split("\n").findIndex((l) => /^\s+cpu: /.test(l)) + 1;
        expect(cpu.level).to.equal("error");
        expect(cpu.locations[0].physicalLocation).to.deep.equal({
            artifactLocation: { uri: `Pulumi.${lowResources}.yaml`, uriBaseId: "%SRCROOT%" }, region: { startLine: cpuLine },
        });
        // Two floor results on one resource stay two alerts.
        const floorPrints = sarifRun.results.filter((r: any) => r.ruleId === "cloudrun-service-resource-floor").map((r: any) => r.partialFingerprints["cloudrunCheckFinding/v1"]);
        expect(new Set(floorPrints).size).to.equal(2);
        expect(sarifRun.tool.driver.rules[cpu.ruleIndex].id).to.equal("cloudrun-service-resource-floor");
    });

    it("colour: FORCE_COLOR turns it on without a terminal, --color never turns it off again", async () => {
        const [forced, never, sometimes] = await Promise.all([
            sharedCheck(["--stack", lowResources], { FORCE_COLOR: "1" }),
            sharedCheck(["--stack", lowResources, "--color", "never"], { FORCE_COLOR: "1" }),
            runCheck(["--stack", "staging", "--color", "sometimes"]),
        ]);
        expect(forced.stdout).to.include("\u001b[31m✖ mandatory");
        expect(never.stdout).to.not.include("\u001b[");
        expect(sometimes.code).to.equal(2);
    });

    it("a policy config file that disables the floor changes the verdict", async () => {
        const run = await sharedCheck(["--stack", lowResources, "--policy-pack-config", disableFloor, "--json"]);
        const doc = JSON.parse(run.stdout);
        expect(doc.diagnostics.map((d: any) => d.policy)).to.not.include("cloudrun-service-resource-floor");
        expect(run.code).to.equal(doc.summary.mandatory > 0 ? 1 : 0);
        expect(doc.summary.mandatory).to.equal(0);
    });

    it("a policy config file that lowers the floor's thresholds also passes the cut revision", async () => {
        const run = await sharedCheck(["--stack", lowResources, "--policy-pack-config", lowerFloor]);
        expect(run.code, run.stdout + run.stderr).to.equal(0);
    });

    it("in preview, the secret-mapping checks decide instead of skipping on unknowns", async () => {
        const run = await sharedCheck(["--stack", "staging", "--json"]);
        const doc = JSON.parse(run.stdout);
        const secretPolicies = ["cloudrun-secret-refs-resolve", "cloudrun-secret-accessor-grants", "cloudrun-service-required-secret-env"];
        const skipped = doc.diagnostics.filter((d: any) => secretPolicies.includes(d.policy));
        expect(skipped, JSON.stringify(skipped)).to.deep.equal([]);
    });

    it("a stack missing the CLICKHOUSE_URL mapping is rejected in preview (incident 2)", async () => {
        const run = await sharedCheck(["--stack", noClickhouse, "--json"]);
        expect(run.code).to.equal(1);
        const failed = JSON.parse(run.stdout).diagnostics.filter((d: any) => d.level === "mandatory");
        expect(failed.map((d: any) => d.policy)).to.include("cloudrun-service-required-secret-env");
        expect(failed.map((d: any) => d.message).join("\n")).to.include("CLICKHOUSE_URL");
    });

    it("malformed stack config exits 2 and names the key, as the program does", async () => {
        const run = await sharedCheck(["--stack", badMemory]);
        expect(run.code).to.equal(2);
        expect(run.stderr).to.include('cloudrun-staging:service.resources.memory: memory is not a memory quantity; use Mi or Gi, e.g. "512Mi" or "2Gi"; got "lots"');
        expect(run.stdout).to.equal("");
    });

    it("bad usage exits 2: no --stack, an unknown stack, unreadable or unknown policy config", async () => {
        const badFloorFile = writeJson('{ "cloudrun-service-resource-floor": { "minCpu": 1e309 } }');
        const badMemoryConfig = { "cloudrun-service-resource-floor": { minMemory: "0" } };
        const badMemoryFile = writeJson(badMemoryConfig);
        const tooMuchFile = writeJson({ "cloudrun-service-resource-floor": { minMemory: "64Gi" } });
        const [noStack, unknownStack, notJson, unknownPolicy, badFloor, badMemory, tooMuch] = await Promise.all([
            sharedCheck([]),
            runCheck(["--stack", "nope"]),
            runCheck(["--stack", "staging", "--policy-pack-config", writeJson("{not json")]),
            runCheck(["--stack", "staging", "--policy-pack-config", writeJson({ "cloudrun-service-resource-flor": "disabled" })]),
            runCheck(["--stack", "staging", "--policy-pack-config", badFloorFile]),
            runCheck(["--stack", "staging", "--policy-pack-config", badMemoryFile]),
            runCheck(["--stack", "staging", "--policy-pack-config", tooMuchFile]),
        ]);
        expect(noStack.code).to.equal(2);
        expect(unknownStack.code).to.equal(2);
        expect(unknownStack.stderr).to.include("stacks here:");
        expect(notJson.code).to.equal(2);
        expect(notJson.stderr).to.include("is not valid JSON");
        // The engine passes an unknown policy name on; so does the check, with a warning.
        expect(unknownPolicy.code).to.equal(0);
        expect(unknownPolicy.stdout).to.include("\"cloudrun-service-resource-flor\", which this pack does not have").and.to.include("did you mean \"cloudrun-service-resource-floor\"?");
        // A value that breaks its schema is an error naming the file, the policy and the key, never the default in disguise.
        expect(badFloor.code).to.equal(2);
        expect(badFloor.stderr).to.include(`--policy-pack-config ${badFloorFile}`);
        expect(badFloor.stderr).to.include("cloudrun-service-resource-floor.minCpu is out of range");
        expect(badMemory.code).to.equal(2);
        // Line 1, at the value's column (the file is one line of JSON).
        expect(badMemory.stderr).to.include(`${badMemoryFile}:1:${JSON.stringify(badMemoryConfig).indexOf('"0"') + 1}: cloudrun-service-resource-floor.minMemory is not in the form its schema describes: A positive memory quantity`);
        expect(badMemory.stderr).not.to.include("pattern");
        // A value only the policy itself can refuse (above Cloud Run's maximum) fails when it runs: the file and the reason, not the pack's trace.
        expect(tooMuch.code).to.equal(2);
        expect(tooMuch.stderr).to.include(`--policy-pack-config ${tooMuchFile}:1:2: invalid policy config for cloudrun-service-resource-floor: minMemory must be a memory quantity up to 32Gi`);
    });

    it("exits 2 with one clear line for a missing pack, a malformed export, or neither --stack nor --from-export", async () => {
        const malformedExports = [
            ["{not json", "is not valid JSON"],
            [JSON.stringify({ version: 2, deployment: { resources: [] } }), "only checkpoint version 3"],
            [JSON.stringify({ version: 3, deployment: {} }), "\"deployment.resources\" is missing"],
            [JSON.stringify({ version: 3, deployment: { resources: [{ type: "gcp:cloudrunv2/service:Service" }] } }), "deployment.resources[0] has no \"urn\""],
        ];
        const [missingPack, neither, ...exportRuns] = await Promise.all([
            runCheck(["--stack", "staging", "--policy-pack", path.join(os.tmpdir(), "no-such-pack")]),
            sharedCheck([]),
            ...malformedExports.map(([content]) => runCheck(["--from-export", writeJson(content)])),
        ]);
        expect(missingPack.code).to.equal(2);
        expect(missingPack.stderr.trim().split("\n")).to.have.length(1);
        expect(missingPack.stderr).to.include("is not a policy pack: no PulumiPolicy.yaml");
        for (const [i, [content, says]] of malformedExports.entries()) {
            const run = exportRuns[i];
            expect(run.code, content).to.equal(2);
            expect(run.stderr.trim().split("\n"), content).to.have.length(1);
            expect(run.stderr, content).to.include(says);
            expect(run.stderr, content).not.to.match(/\n\s+at /);
        }
        expect(neither.code).to.equal(2);
        expect(neither.stderr).to.include("give exactly one of --stack <name> (run the program) or --from-export <file>");
    });

    it("--cwd checks foreign programs (JavaScript and TypeScript, their own Pulumi.yaml) with the chosen pack", async () => {
        const programs = path.join(ROOT, "test", "fixtures", "programs");
        const generic = path.join(ROOT, "policies", "policy-config.generic.json");
        const [site, job] = await Promise.all([
            runCheck(["--stack", "dev", "--cwd", path.join(programs, "js-public-site"), "--policy-pack-config", generic, "--json"]),
            runCheck(["--stack", "dev", "--cwd", path.join(programs, "ts-nightly-job"), "--policy-pack", path.join(ROOT, "policies"), "--policy-pack-config", generic, "--json"]),
        ]);
        expect(site.code, site.stderr).to.equal(1);
        const siteReport = JSON.parse(site.stdout) as { diagnostics: { policy: string; level: string }[] };
        expect(siteReport.diagnostics.filter((d) => d.level === "mandatory").map((d) => d.policy).sort())
            .to.deep.equal(["cloudrun-invoker-not-public", "cloudrun-service-identity-and-ingress"]);
        expect(job.code, job.stderr).to.equal(0);
        const jobReport = JSON.parse(job.stdout) as { resources: { type: string }[] };
        expect(jobReport.resources.map((r) => r.type)).to.include("gcp:cloudrunv2/job:Job");
    });

    it("refuses what the engine refuses, accepts what it accepts: level-less unknown entries, an empty config, other runtimes, a broken pack", async () => {
        const levelLess = [{ flor: { minCpu: 3 } }, { all: { minCpu: 3 } }];
        const pythonProgram = fs.mkdtempSync(path.join(os.tmpdir(), "python-program-"));
        fs.writeFileSync(path.join(pythonProgram, "Pulumi.yaml"), "name: py\nruntime: python\n");
        fs.writeFileSync(path.join(pythonProgram, "Pulumi.dev.yaml"), "config: {}\n");
        const brokenPack = fs.mkdtempSync(path.join(os.tmpdir(), "broken-pack-"));
        fs.writeFileSync(path.join(brokenPack, "PulumiPolicy.yaml"), "runtime: nodejs\n");
        fs.writeFileSync(path.join(brokenPack, "package.json"), JSON.stringify({ name: "broken", main: "index.js" }));
        fs.writeFileSync(path.join(brokenPack, "index.js"), "console.error('policy pack failed to load: no rules'); process.exit(3);\n");
        fs.symlinkSync(path.join(ROOT, "policies", "node_modules"), path.join(brokenPack, "node_modules"), "dir");
        const [emptyConfig, python, broken, ...levelLessRuns] = await Promise.all([
            runCheck(["--stack", "staging", "--policy-pack-config", writeJson("  \n")]),
            runCheck(["--stack", "dev", "--cwd", pythonProgram]),
            runCheck(["--stack", "staging", "--policy-pack", brokenPack]),
            ...levelLess.map((config) => runCheck(["--stack", "staging", "--policy-pack-config", writeJson(config)])),
        ]);
        for (const [i, config] of levelLess.entries()) {
            const run = levelLessRuns[i];
            expect(run.code, JSON.stringify(config)).to.equal(2);
            expect(run.stderr).to.include("sets properties but no enforcement level").and.to.include("invalid enforcement level \"\"");
        }
        expect(emptyConfig.code).to.equal(0);
        expect(python.code).to.equal(2);
        expect(python.stderr.trim().split("\n")).to.have.length(1);
        expect(python.stderr).to.include("this check runs Node.js programs (runtime: nodejs)").and.not.to.include("cannot find the program's entry");
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
        const encrypted = structuredClone(exported);
        const service = encrypted.deployment.resources.find((r) => r.type === "gcp:cloudrunv2/service:Service")!;
        (service.outputs as Record<string, unknown>).template = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "AAAA" };
        const [run, refused] = await Promise.all([runCheck(["--from-export", writeJson(external), "--json"]), runCheck(["--from-export", writeJson(encrypted)])]);
        expect(run.code).to.equal(1);
        expect(JSON.parse(run.stdout).diagnostics.map((d: { policy: string }) => d.policy)).to.include("cloudrun-secret-refs-resolve");
        expect(refused.code).to.equal(2);
        expect(refused.stderr).to.include("1 encrypted secret value(s)").and.to.include("--show-secrets");
    });

    it("--from-export analyzes a stack export of the applied staging stack with the same mandatory verdicts as the preview", async () => {
        const mandatoryOf = (run: CheckRun) => (JSON.parse(run.stdout) as { diagnostics: { policy: string; level: string }[] })
            .diagnostics.filter((d) => d.level === "mandatory").map((d) => d.policy).sort();
        // The programs run here one after the other (the SDK's mocks are process-wide); each export's check starts
        // as soon as its export is written.
        const runs: { label: string; fromExport: Promise<CheckRun>; preview: Promise<CheckRun> }[] = [];
        for (const [label, edit] of [["staging", undefined], ["cut to 1 CPU / 512Mi", cutToOneCpu]] as const) {
            const config = edit ? editKey(stagingConfig(), "cloudrun-staging:service", (s) => { edit(s); return s; }) : stagingConfig();
            const applied = await runStaging({ preview: false, config });
            const file = writeJson(stackExportOf(applied, "cloudrun-staging", "staging", { project: "acme-backend-staging", region: "europe-west1" }));
            runs.push({ label, fromExport: runCheck(["--from-export", file, "--json"]), preview: sharedCheck(["--stack", edit ? exportCut : "staging", "--json"]) });
        }
        for (const { label, ...started } of runs) {
            const [fromExport, preview] = await Promise.all([started.fromExport, started.preview]);
            expect(fromExport.code, `${label}: ${fromExport.stderr}`).to.equal(preview.code);
            expect(mandatoryOf(fromExport), label).to.deep.equal(mandatoryOf(preview));
            expect(JSON.parse(fromExport.stdout).resources.map((r: { type: string }) => r.type)).to.include.members(["pulumi:pulumi:Stack", "pulumi:providers:gcp"]);
        }
    });

    it("never prints a secure value (they become opaque placeholders)", async () => {
        const run = await sharedCheck(["--stack", secure, "--json"]);
        expect(run.code).to.equal(0);
        expect(run.stdout + run.stderr).to.not.include("CIPHERTEXTdoNotPrint");
    });
});
