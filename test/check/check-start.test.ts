/**
 * The pack's start-up is the offline check's critical path (bench/check-wall-time.ts): the check spawns the pack
 * before it loads gRPC, Ajv or the Pulumi SDK, which load while the pack starts (tools/check/main.js). The SDK's
 * closure serializer, which the program does not call, does not load (policies/lib/deferred-modules.ts).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT, runCheck } from "../helpers/check-runner";

const RECORDER = path.join(ROOT, "test", "fixtures", "check-start", "record-start-order.js");

/** Runs the check with the start recorder; returns the run and what it loaded, in order. */
async function recordStart(args: string[], dir: string) {
    const record = path.join(dir, "order.json");
    const run = await runCheck(args, { NODE_OPTIONS: `--require ${RECORDER}`, CHECK_START_RECORD: record });
    return { run, order: JSON.parse(fs.readFileSync(record, "utf8")) as string[] };
}

describe("npm run check's start", function () {
    let dir: string;
    beforeEach(function () {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-start-"));
    });
    afterEach(function () {
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("spawns the pack before it loads gRPC, Ajv and the Pulumi SDK, leaves the closure serializer unloaded, and still checks the stack", async function () {
        this.timeout(120_000);
        const { run, order } = await recordStart(["--stack", "staging", "--format", "json"], dir);
        expect(run.code, run.stderr).to.equal(0);
        expect(JSON.parse(run.stdout).summary.resources).to.be.greaterThan(0);
        expect(order[0], order.join(", ")).to.equal("spawn pack");
        expect(order, order.join(", ")).to.include.members(["require @grpc/grpc-js", "require ajv", "require @pulumi/pulumi"]);
        expect(order, order.join(", ")).to.not.include("require typescript");
        expect(order, order.join(", ")).to.not.include("require @npmcli/arborist");
    });

    it("with --from-export too: the pack first, then gRPC", async function () {
        this.timeout(120_000);
        const stackUrn = "urn:pulumi:staging::cloudrun-staging::pulumi:pulumi:Stack::cloudrun-staging-staging";
        const file = path.join(dir, "export.json");
        fs.writeFileSync(file, JSON.stringify({ version: 3, deployment: { resources: [{ urn: stackUrn, type: "pulumi:pulumi:Stack", custom: false, outputs: {} }] } }));
        const { run, order } = await recordStart(["--from-export", file, "--format", "json"], dir);
        expect(run.code, run.stderr).to.equal(0);
        expect(order[0], order.join(", ")).to.equal("spawn pack");
        expect(order, order.join(", ")).to.include("require @grpc/grpc-js");
    });
});
