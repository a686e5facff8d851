/**
 * The check's cost section: the staging estimate, --compare against the seed's other configuration (1 CPU / 512Mi,
 * a scratch stack file in a temp dir), the JSON and SARIF members, and the same numbers as the pack's own advisory.
 */
import { expect } from "chai";
import { ROOT, outputSchemaErrors, runCheck, sharedCheck } from "../helpers/check-runner";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml, stringify as toYaml } from "yaml";




describe("npm run check: monthly cost estimate", function () {
    this.timeout(120_000);
    let dir: string;
    let cpu1: string;
    let trafficConfig: string;

    before(() => {
        // The seed's other configuration, as a scratch stack file outside the project: staging at 1 CPU / 512Mi.
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "cost-compare-"));
        const doc = parseYaml(fs.readFileSync(path.join(ROOT, "Pulumi.staging.yaml"), "utf8"));
        doc.config["cloudrun-staging:service"].resources = { cpu: "1", memory: "512Mi" };
        cpu1 = path.join(dir, "Pulumi.test-cpu1.yaml");
        fs.writeFileSync(cpu1, toYaml(doc));
        trafficConfig = path.join(dir, "policy-config.json");
        // 300,000,000 requests of 1 s ÷ 40 = 7,500,000 instance-s; beyond the min instance: 4,872,000 × $0.000044 = $214.368.
        fs.writeFileSync(trafficConfig, JSON.stringify({ "cloudrun-service-monthly-cost": { traffic: { backend: { requestsPerMonth: 300_000_000, meanRequestMs: 1000 } } } }));
        // The runs whose inputs are written above, started now (two at a time) in the order the tests await them; a
        // command left out here still runs, when its test asks for it. check-cli.test.ts asserts on `--stack staging`
        // too: one run serves both when mocha runs the two files in one worker (sharedCheck is per process).
        for (const args of [
            ["--stack", "staging"],
            ["--stack", "staging", "--compare", cpu1],
            ["--stack", cpu1, "--compare", "staging", "--json"],
            ["--stack", "staging", "--policy-pack-config", trafficConfig, "--json"],
            ["--stack", "staging", "--format", "sarif"],
        ]) {
            void sharedCheck(args);
        }
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("prints the staging estimate with its breakdown and assumptions after the verdicts", async () => {
        const run = await sharedCheck(["--stack", "staging"]);
        expect(run.code, run.stderr).to.equal(0);
        const section = run.stdout.slice(run.stdout.indexOf("Monthly cost estimate for stack staging"));
        expect(section).to.match(/^Monthly cost estimate for stack staging \(USD, list prices; docs\/costs\.md\)\n {2}backend {2}\$311\.31 a month {2}\(v2 service, europe-west1 \(Tier 1\), instance-based billing, 2 vCPU \/ 4 GiB per instance\)\n/);
        expect(section).to.match(/\n {4}always-on +\$115\.63 {2}1 min instance\(s\) × 2,628,000 s × \(2 vCPU × \$0\.000018 \+ 4 GiB × \$0\.000002\)\n/);
        expect(section).to.match(/\n {4}connector +\$195\.67 {2}backend-staging: 2 × e2-standard-4 × 730 h × \$0\.13402284\/h\n/);
        expect(section).to.include("assumed: traffic: 1,000,000 requests a month, a mean request of 200 ms, ASSUMED");
        expect(section).to.include("model: not modeled: egress");
        expect(run.stdout.trimEnd().split("\n").pop(), "the verdict stays last").to.match(/^no mandatory violations/);
    });

    it("--compare <Pulumi.<x>.yaml>: both estimates and the difference (2 CPU / 4Gi vs 1 CPU / 512Mi)", async () => {
        const run = await sharedCheck(["--stack", "staging", "--compare", cpu1]);
        expect(run.code, run.stderr).to.equal(0);
        expect(run.stdout).to.include("Monthly cost estimate for stack staging");
        expect(run.stdout).to.match(/Monthly cost estimate for stack test-cpu1 [^\n]*\n {2}backend {2}\$245\.61 a month {2}\(v2 service, europe-west1 \(Tier 1\), instance-based billing, 1 vCPU \/ 0\.5 GiB per instance\)/);
        expect(run.stdout).to.match(/Monthly cost difference: staging → test-cpu1\n {2}backend +\$311\.31 → +\$245\.61 {2}-\$65\.70 a month\n {2}total +\$311\.31 → +\$245\.61 {2}-\$65\.70 a month\n/);
        expect(run.stdout.split("model: a month is 730 hours"), "the model's notes once").to.have.length(2);
    });

    it("--json carries costs and the comparison, valid against the schema; --stack takes a stack file too", async () => {
        const run = await sharedCheck(["--stack", cpu1, "--compare", "staging", "--json"]);
        expect(run.code, "the cut breaks the floor").to.equal(1);
        const doc = JSON.parse(run.stdout);
        expect(outputSchemaErrors(doc)).to.deep.equal([]);
        expect(doc.stack).to.equal("test-cpu1");
        expect(doc.costs.estimates.map((e: any) => [e.name, e.monthlyUsd, e.breakdown.alwaysOn.usd, e.breakdown.connector.usd]))
            .to.deep.equal([["backend", 245.61, 49.93, 195.67]]);
        expect(doc.costs.totalMonthlyUsd).to.equal(245.61);
        expect(doc.costComparison.stack).to.equal("staging");
        expect(doc.costComparison.total).to.deep.equal({ name: "total", base: 245.61, other: 311.31, differenceUsd: 65.7 });
        expect(doc.costs.estimates[0].assumptions.join("\n")).to.include("ASSUMED");
    });

    it("the check and the pack give the same number, from the same traffic in the policy config", async () => {
        const run = await sharedCheck(["--stack", "staging", "--policy-pack-config", trafficConfig, "--json"]);
        const doc = JSON.parse(run.stdout);
        expect(doc.costs.estimates[0].breakdown.traffic.usd).to.equal(214.37);
        expect(doc.costs.estimates[0].monthlyUsd).to.equal(525.67);
        const advisory = doc.diagnostics.find((d: any) => d.policy === "cloudrun-service-monthly-cost");
        expect(advisory.message).to.match(/^backend: \$525\.67 a month .* traffic \$214\.37 /);
    });

    it("SARIF carries the costs in the run's properties", async () => {
        const run = await sharedCheck(["--stack", "staging", "--format", "sarif"]);
        expect(JSON.parse(run.stdout).runs[0].properties.costs.estimates[0].monthlyUsd).to.equal(311.31);
    });

    it("--compare needs --stack, and a stack that cannot be checked is an error naming it", async () => {
        const [withoutStack, unknown] = await Promise.all([
            runCheck(["--from-export", path.join(dir, "x.json"), "--compare", "staging"]),
            runCheck(["--stack", "staging", "--compare", "nope"]),
        ]);
        expect(withoutStack.code).to.equal(2);
        expect(withoutStack.stderr).to.include("--compare runs the program for another stack; give --stack too");
        expect(unknown.code).to.equal(2);
        expect(unknown.stderr).to.match(/^error: --compare nope: no stack file .*Pulumi\.nope\.yaml/);
    });
});
