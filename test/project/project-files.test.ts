import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { STACK_CONFIG_KEYS } from "../../infra/config";
import { README, withConfigReference } from "../../tools/gen-docs";

const ROOT = path.resolve(__dirname, "../..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

/** The attributes Pulumi's project schema allows in a config declaration (sdk/go/common/workspace/project.json). */
const CONFIG_DECLARATION_KEYS = ["type", "items", "description", "secret", "default", "value"];
const CONFIG_TYPES = ["string", "integer", "boolean", "array"];
/** The attributes of PulumiPolicy.yaml (workspace.PolicyPackProject). */
const POLICY_PROJECT_KEYS = ["runtime", "version", "main", "description", "author", "website", "license"];

describe("project files load as Pulumi expects", () => {
    const project = parseYaml(read("Pulumi.yaml"));

    it("Pulumi.yaml: a valid name, the nodejs runtime and a main that resolves", () => {
        expect(project.name).to.match(/^[A-Za-z0-9_.-]+$/);
        expect(project.runtime.name ?? project.runtime).to.equal("nodejs");
        expect(fs.existsSync(path.join(ROOT, project.main ?? "index.ts")), "main").to.equal(true);
        expect(JSON.parse(read("package.json")).main).to.equal(project.main);
    });

    it("Pulumi.yaml: config declarations follow Pulumi's schema (project keys, known attributes, valid types)", () => {
        for (const [key, declaration] of Object.entries<any>(project.config)) {
            expect(key, "project keys only: other namespaces may not declare a type").to.not.include(":");
            expect(Object.keys(declaration).filter((k) => !CONFIG_DECLARATION_KEYS.includes(k)), key).to.deep.equal([]);
            if (declaration.type !== undefined) {
                expect(CONFIG_TYPES, key).to.include(declaration.type);
            }
            expect(declaration.description, `${key} needs a description for pulumi config users`).to.be.a("string").and.not.equal("");
        }
    });

    it("Pulumi.yaml declares exactly the keys the schema accepts", () => {
        expect(Object.keys(project.config)).to.have.members(STACK_CONFIG_KEYS);
        expect(STACK_CONFIG_KEYS).to.have.members(["service", "image", "secrets", "vpc"]);
    });

    it("the staging stack sets every declared key that has no default (else Pulumi reports it missing)", () => {
        const stack = parseYaml(read("Pulumi.staging.yaml")).config;
        for (const [key, declaration] of Object.entries<any>(project.config)) {
            if (declaration.default === undefined && declaration.value === undefined) {
                expect(stack, key).to.have.property(`${project.name}:${key}`);
            }
        }
        expect(stack).to.include.keys("gcp:project", "gcp:region");
    });

    it("PulumiPolicy.yaml: nodejs runtime, known attributes; the pack's package.json names a built main", () => {
        const pack = parseYaml(read("policies/PulumiPolicy.yaml"));
        expect(pack.runtime).to.equal("nodejs");
        expect(Object.keys(pack).filter((k) => !POLICY_PROJECT_KEYS.includes(k))).to.deep.equal([]);
        const pkg = JSON.parse(read("policies/package.json"));
        expect(pkg.name).to.match(/^[a-zA-Z0-9-_.]{1,100}$/);
        expect(pkg.version).to.match(/^\d+\.\d+\.\d+/);
        expect(pkg.dependencies).to.include.keys("@pulumi/policy", "@pulumi/pulumi");
        expect(fs.existsSync(path.join(ROOT, "policies", pkg.main)), `${pkg.main} (built by npm ci / npm test)`).to.equal(true);
    });
});

describe("one Node.js version: engines, .nvmrc, every workflow and the README agree", () => {
    // Read in each test, so a missing .nvmrc fails these tests, not the whole file.
    const nvmrcVersion = () => read(".nvmrc").trim();
    const workflowDir = path.join(ROOT, ".github", "workflows");
    const workflows = fs.readdirSync(workflowDir).filter((f) => /\.ya?ml$/.test(f));

    it("package.json engines asks for Node 22 or later (@pulumi/pulumi 3.270 requires it), and .nvmrc pins that major", () => {
        const nvmrc = nvmrcVersion();
        expect(nvmrc).to.equal("22");
        expect(JSON.parse(read("package.json")).engines.node).to.equal(`>=${nvmrc}`);
        const packEngines = JSON.parse(read("policies/package.json")).engines;
        if (packEngines !== undefined) {
            expect(packEngines.node).to.equal(`>=${nvmrc}`);
        }
    });

    it("every setup-node step in every workflow runs that version, and every job that runs npm sets Node up", () => {
        const nvmrc = nvmrcVersion();
        expect(workflows.length).to.be.greaterThan(0);
        for (const file of workflows) {
            const workflow = parseYaml(fs.readFileSync(path.join(workflowDir, file), "utf8"));
            for (const [name, job] of Object.entries(workflow.jobs as Record<string, { steps: any[] }>)) {
                const setups = job.steps.filter((s) => String(s.uses).startsWith("actions/setup-node@"));
                if (job.steps.some((s) => /\bnpm\b/.test(String(s.run ?? "")))) {
                    expect(setups, `${file} ${name}`).to.have.length.greaterThan(0);
                }
                for (const setup of setups) {
                    const version = setup.with?.["node-version-file"] === ".nvmrc" ? nvmrc : String(setup.with?.["node-version"]);
                    expect(version, `${file} ${name}`).to.equal(nvmrc);
                }
            }
        }
    });

    it("the README says Node.js 22 LTS is required; no .npmrc makes npm refuse an older Node (npm ci on Node 20 only warns)", () => {
        expect(read("README.md")).to.contain(`Requires **Node.js ${nvmrcVersion()} LTS** or later`);
        for (const npmrc of [".npmrc", "policies/.npmrc"].filter((f) => fs.existsSync(path.join(ROOT, f)))) {
            expect(read(npmrc), npmrc).not.to.match(/^\s*engine-strict\s*=\s*true/m);
        }
    });
});

describe("CI workflow", () => {
    const workflow = parseYaml(read(".github/workflows/staging.yml"));
    const steps = (job: string) => workflow.jobs[job].steps as any[];
    const action = (job: string, uses: string) => steps(job).find((s) => String(s.uses).startsWith(uses));

    it("runs on pull requests and on pushes to main", () => {
        expect(workflow.on).to.have.property("pull_request");
        expect(workflow.on.push.branches).to.deep.equal(["main"]);
    });

    it("tests, lints and checks offline on every run", () => {
        const runs = steps("test").map((s) => s.run).filter(Boolean);
        expect(runs).to.include.members(["npm ci", "npm test", "npm run lint"]);
        const checks = runs.filter((r: string) => r.includes("npm run --silent check -- --stack staging"));
        expect(checks, "the check runs once").to.have.length(1);
    });

    it("uploads the check's SARIF to code scanning whatever the verdict, so violations annotate the pull request, then fails on its exit code", () => {
        const sarifStep = steps("test").findIndex((s) => String(s.run).includes("--format sarif > check.sarif"));
        const upload = steps("test").findIndex((s) => String(s.uses).startsWith("github/codeql-action/upload-sarif@"));
        const verdict = steps("test").findIndex((s) => String(s.run).includes("exit ${{ steps.check.outputs.code }}"));
        expect(sarifStep).to.be.greaterThan(-1);
        expect(steps("test")[sarifStep].id).to.equal("check");
        expect(steps("test")[sarifStep].run).to.include('echo "code=$?" >> "$GITHUB_OUTPUT"');
        expect(upload).to.be.greaterThan(sarifStep);
        expect(verdict).to.be.greaterThan(upload);
        expect(steps("test")[upload].with.sarif_file).to.equal("check.sarif");
        // Results whatever the verdict (0 or 1), none when the check could not run (2: it would close every alert).
        expect(steps("test")[upload].if).to.include("always()").and.include("steps.check.outputs.code == '1'").and.not.include("'2'");
        expect(steps("test")[upload]["continue-on-error"]).to.equal(true);
        expect(workflow.jobs.test.permissions["security-events"]).to.equal("write");
    });

    it("previews pull requests with the policy pack and its example config, commenting on the PR", () => {
        const preview = action("preview", "pulumi/actions@v7");
        expect(workflow.jobs.preview.if).to.include("pull_request");
        expect(preview.with).to.include({ command: "preview", "stack-name": "staging", "comment-on-pr": true });
        expect(preview.with.policyPacks).to.equal("${{ env.POLICY_PACK }}");
        expect(workflow.env.POLICY_PACK).to.equal("policies");
        expect(fs.existsSync(path.join(ROOT, workflow.env.POLICY_PACK_CONFIG)), workflow.env.POLICY_PACK_CONFIG).to.equal(true);
        expect(workflow.jobs.preview.permissions["id-token"]).to.equal("write");
    });

    it("runs the full-size fuzz and the benchmarks nightly, never on the deploy path", () => {
        const nightly = parseYaml(read(".github/workflows/nightly.yml"));
        expect(nightly.on).to.have.property("schedule");
        const steps = nightly.jobs["fuzz-and-bench"].steps as any[];
        expect(steps.find((s) => s.run === "npm test")?.env?.PACK_FUZZ_RUNS).to.equal("10000");
        expect(steps.map((s) => s.run).filter(Boolean)).to.include("npm run bench");
        expect(JSON.stringify(nightly)).not.to.match(/pulumi\/actions|command: up/);
    });

    it("previews with the pack before pulumi up on main (stack policies run after the changes otherwise)", () => {
        const text = (value: unknown) => JSON.stringify(value ?? "");
        for (const [name, job] of Object.entries(workflow.jobs as Record<string, { steps: any[] }>)) {
            for (const step of job.steps) {
                expect(text(step.run) + text(step.with), `${name}: ${step.name ?? step.uses ?? step.run}`).not.to.match(/skip[-_]?preview/i);
            }
        }
        // pulumi/actions' `up` skips the preview (Automation API's stack.up passes --skip-preview): a preview step
        // with the pack must come first in the deploy job.
        const pulumiSteps = steps("deploy").filter((s) => String(s.uses).startsWith("pulumi/actions@"));
        expect(pulumiSteps.map((s) => s.with.command)).to.deep.equal(["preview", "up"]);
        expect(pulumiSteps[0].with).to.include({ policyPacks: "${{ env.POLICY_PACK }}", policyPackConfigs: "${{ env.POLICY_PACK_CONFIG }}", "stack-name": "staging" });
        expect(read("README.md")).to.contain("`--skip-preview`");
    });

    it("deploys main with pulumi up, authenticated through Workload Identity Federation", () => {
        expect(workflow.jobs.deploy.if).to.include("refs/heads/main");
        const up = steps("deploy").find((s) => String(s.uses).startsWith("pulumi/actions@") && s.with.command === "up");
        expect(up.with).to.include({ command: "up", "stack-name": "staging" });
        const auth = action("deploy", "google-github-actions/auth@");
        expect(auth.with).to.have.keys("workload_identity_provider", "service_account");
        expect(up.with["cloud-url"]).to.include("PULUMI_STATE_BUCKET");
    });
});

describe("README matches the code", () => {
    const readme = fs.readFileSync(README, "utf8");

    it("gives the two set-up commands that CI runs", () => {
        expect(readme).to.match(/^npm ci\b/m);
        expect(readme).to.match(/^npm test\b/m);
        const ci = read(".ci/run");
        expect(ci).to.match(/^npm ci\b/m);
        expect(ci).to.match(/^npm test$/m);
    });

    it("has a config reference generated from the schema (run `npm run docs` when this fails)", () => {
        expect(withConfigReference(readme, "cloudrun-staging")).to.equal(readme);
        expect(readme).to.include("`cloudrun-staging:service.resources.memory`");
    });

    it("documents only npm scripts that exist", () => {
        const scripts = Object.keys(JSON.parse(read("package.json")).scripts);
        for (const [, name] of readme.matchAll(/npm run ([\w:-]+)/g)) {
            expect(scripts, `npm run ${name}`).to.include(name);
        }
    });
});
