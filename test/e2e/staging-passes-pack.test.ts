import { expect } from "chai";
import * as path from "path";
import { PolicyPackProcess, isUnknownValueAdvisory, launchPolicyPack } from "../../tools/analyzer";
import { RunResult } from "../../tools/program-runner";
import { editKey, runStaging, stagingConfig } from "../helpers/program-harness";

const PACK_DIR = path.resolve(__dirname, "../../policies");

function summary(diagnostics: { policyName: string; enforcementLevel: string; message: string }[]): string {
    return diagnostics.map((d) => `${d.enforcementLevel} ${d.policyName}: ${d.message}`).join("\n");
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

    it("with every output known (as at `pulumi up`): no violation at all, mandatory or advisory", async () => {
        const diagnostics = await pack.client.analyzeAll(applied.resources);
        expect(diagnostics, summary(diagnostics)).to.deep.equal([]);
    });

    it("in preview of a new stack: no mandatory violation, and the only advisories are values not known yet", async () => {
        const diagnostics = await pack.client.analyzeAll(preview.resources);
        expect(diagnostics.filter((d) => d.enforcementLevel === "mandatory"), summary(diagnostics)).to.deep.equal([]);
        expect(diagnostics.every(isUnknownValueAdvisory), summary(diagnostics)).to.equal(true);
    });

    it("a staging copy cut to the incident's 1 CPU / 512Mi / 300 s is rejected by floor and timeout", async () => {
        const config = editKey(stagingConfig(), "cloudrun-staging:service", (s) => ({
            ...s, resources: { cpu: "1", memory: "512Mi" }, requestTimeoutSeconds: 300,
        }));
        const run = await runStaging({ config });
        const failing = (await pack.client.analyzeAll(run.resources)).filter((d) => d.enforcementLevel === "mandatory");
        expect(failing.map((d) => d.policyName)).to.include.members(["cloudrun-service-resource-floor", "cloudrun-service-request-timeout"]);
    });
});
