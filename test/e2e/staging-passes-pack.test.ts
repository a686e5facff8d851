import { expect } from "chai";
import * as path from "path";
import { PolicyPackProcess, launchPolicyPack } from "../../tools/analyzer";
import { EnginePhase, EngineShapeOptions, engineAnalyzeRequests, engineStack } from "../../tools/analyzer/engine-shape";
import { CapturedResource, RunResult } from "../../tools/program-runner";
import { COST_POLICY, withoutCostEstimates } from "../helpers/policy-harness";
import { editKey, runStaging, stagingConfig } from "../helpers/program-harness";

const PACK_DIR = path.resolve(__dirname, "../../policies");

function summary(diagnostics: { policyName: string; enforcementLevel: string; message: string }[]): string {
    return diagnostics.map((d) => `${d.enforcementLevel} ${d.policyName}: ${d.message}`).join("\n");
}

/** The cost policy's diagnostics: exactly one advisory estimate, for the backend service. */
function costEstimates(diagnostics: { policyName: string; enforcementLevel: string; urn: string }[]): string[] {
    return diagnostics.filter((d) => d.policyName === COST_POLICY).map((d) => `${d.enforcementLevel} ${d.urn.split("::").pop()}`);
}

describe("the staging program's own resources through the real pack (analyzer protocol)", function () {
    this.timeout(120_000);
    let pack: PolicyPackProcess;
    let applied: RunResult;
    let preview: RunResult;

    before(async () => {
        const launching = launchPolicyPack(PACK_DIR);
        // The SDK's mock runtime is process-global: program runs go one after the other.
        applied = await runStaging({ preview: false });
        preview = await runStaging({ preview: true });
        pack = await launching;
    });
    after(async () => pack?.close());

    it("with every output known (as at `pulumi up`): no violation at all, mandatory or advisory, besides the cost estimate", async () => {
        const diagnostics = await pack.client.analyzeAll(applied.resources);
        expect(withoutCostEstimates(diagnostics), summary(diagnostics)).to.deep.equal([]);
        expect(costEstimates(diagnostics)).to.deep.equal(["advisory backend"]);
    });

    it("in preview of a new stack: no diagnostic at all, not even \"can't run\" (the account's email and the image's digest are traced to the stack), besides the cost estimate", async () => {
        const diagnostics = await pack.client.analyzeAll(preview.resources);
        expect(withoutCostEstimates(diagnostics), summary(diagnostics)).to.deep.equal([]);
        expect(costEstimates(diagnostics)).to.deep.equal(["advisory backend"]);
    });

    it("a staging copy cut to the incident's 1 CPU / 512Mi / 300 s is rejected by floor and timeout", async () => {
        const config = editKey(stagingConfig(), "cloudrun-staging:service", (s) => ({
            ...s, resources: { cpu: "1", memory: "512Mi" }, requestTimeoutSeconds: 300,
        }));
        const run = await runStaging({ config });
        const failing = (await pack.client.analyzeAll(run.resources)).filter((d) => d.enforcementLevel === "mandatory");
        expect(failing.map((d) => d.policyName)).to.include.members(["cloudrun-service-resource-floor", "cloudrun-service-request-timeout"]);
    });

    describe("in the engine's shape (Check outputs to Analyze; outputs, Stack and providers to AnalyzeStack)", function () {
        const config = stagingConfig();
        const shape = (phase: EnginePhase): EngineShapeOptions => ({
            project: config.values["gcp:project"], region: config.values["gcp:region"], stack: "staging", projectName: config.project, phase,
        });
        const engineVerdicts = (run: RunResult, phase: EnginePhase, drop: (r: CapturedResource) => boolean = () => false) => {
            const resources = run.resources.filter((r) => !drop(r));
            return pack.client.analyzeAll(engineAnalyzeRequests(resources, shape(phase)), engineStack(resources, shape(phase)));
        };
        const mandatoryPolicies = (ds: { enforcementLevel: string; policyName: string }[]) =>
            [...new Set(ds.filter((d) => d.enforcementLevel === "mandatory").map((d) => d.policyName))].sort();

        it("after apply and in a fresh preview: no diagnostic at all, not even \"can't run\", besides the cost estimate", async () => {
            const afterApply = await engineVerdicts(applied, "applied");
            expect(withoutCostEstimates(afterApply), summary(afterApply)).to.deep.equal([]);
            expect(costEstimates(afterApply)).to.deep.equal(["advisory backend"]);
            const fresh = await engineVerdicts(preview, "preview");
            expect(withoutCostEstimates(fresh), summary(fresh)).to.deep.equal([]);
            expect(costEstimates(fresh)).to.deep.equal(["advisory backend"]);
        });

        it("still rejects the incident's cut (1 CPU / 512Mi), a missing secret mapping and a missing grant", async () => {
            const cut = await runStaging({ preview: true, config: editKey(config, "cloudrun-staging:service", (s) => ({ ...s, resources: { cpu: "1", memory: "512Mi" } })) });
            expect(mandatoryPolicies(await engineVerdicts(cut, "preview"))).to.include("cloudrun-service-resource-floor");
            const unmapped = await runStaging({ preview: true, config: editKey(config, "cloudrun-staging:secrets", (s) => {
                delete s.CLICKHOUSE_URL;
                return s;
            }) });
            expect(mandatoryPolicies(await engineVerdicts(unmapped, "preview"))).to.deep.equal(["cloudrun-service-required-secret-env"]);
            const withoutGrant = (r: CapturedResource) => r.type === "gcp:secretmanager/secretIamMember:SecretIamMember" && r.name.includes("clickhouse");
            for (const [phase, run] of [["preview", preview], ["applied", applied]] as const) {
                expect(mandatoryPolicies(await engineVerdicts(run, phase, withoutGrant)), phase).to.deep.equal(["cloudrun-secret-accessor-grants"]);
            }
        });
    });
});
