/**
 * The harness itself (tools/analyzer): config reconciliation as the CLI does it, property marshalling as the
 * engine does it, and clear failures when a pack cannot start.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    ConfigurablePolicy, PolicyConfigError, SIGNATURES, SIG_KEY, UNKNOWN, launchPolicyPack, reconcilePolicyConfig, secret, toStruct,
} from "../../tools/analyzer";

const POLICIES_DIR = path.resolve(__dirname, "../../policies");

const POLICIES: ConfigurablePolicy[] = [
    {
        name: "floor",
        enforcementLevel: "mandatory",
        configSchema: {
            properties: { minCpu: { type: "number", default: 2, exclusiveMinimum: 0 }, names: { type: "array", items: { type: "string" }, default: ["A"] } },
            required: [],
        },
    },
    { name: "hint", enforcementLevel: "advisory" },
];

function configError(run: () => unknown): string {
    expect(run).to.throw(PolicyConfigError);
    try {
        run();
    } catch (error) {
        return (error as Error).message;
    }
    return "";
}

describe("analyzer harness", function () {
    describe("reconcilePolicyConfig (--policy-pack-config)", function () {
        it("starts from each policy's level and schema defaults", function () {
            expect(reconcilePolicyConfig(POLICIES, {}, {})).to.deep.equal({
                floor: { enforcementLevel: "mandatory", properties: { minCpu: 2, names: ["A"] } },
                hint: { enforcementLevel: "advisory", properties: {} },
            });
        });

        it("applies the pack's initial config, then \"all\", then each policy's level and properties", function () {
            const result = reconcilePolicyConfig(POLICIES, { hint: { enforcementLevel: "mandatory" } }, {
                all: "advisory",
                floor: { enforcementLevel: "mandatory", minCpu: 4 },
            });
            expect(result.floor).to.deep.equal({ enforcementLevel: "mandatory", properties: { minCpu: 4, names: ["A"] } });
            expect(result.hint.enforcementLevel).to.equal("advisory");
        });

        it("names unknown policies, unknown properties, bad levels and values the schema rejects", function () {
            expect(configError(() => reconcilePolicyConfig(POLICIES, {}, { flor: "disabled" }))).to.include("no policy named \"flor\"");
            expect(configError(() => reconcilePolicyConfig(POLICIES, {}, { floor: { mincpu: 1 } }))).to.include("mincpu is not a config property");
            expect(configError(() => reconcilePolicyConfig(POLICIES, {}, { floor: "strict" as never }))).to.include("\"strict\" is not one of");
            expect(configError(() => reconcilePolicyConfig(POLICIES, {}, { floor: null as never }))).to.include("neither an enforcement level nor an object");
            expect(configError(() => reconcilePolicyConfig(POLICIES, {}, { floor: { minCpu: 0 } }))).to.include("minCpu must be greater than 0");
            expect(configError(() => reconcilePolicyConfig(POLICIES, {}, { floor: { names: ["A", 1] } }))).to.include("names[1] must be string");
        });
    });

    describe("toStruct (engine marshalling)", function () {
        it("drops undefined, keeps unknowns and secrets, and flattens resource references and output values", function () {
            const struct = toStruct({
                absent: undefined,
                list: [1, undefined] as unknown as number[],
                pending: UNKNOWN,
                password: secret("hunter2"),
                connector: { [SIG_KEY]: SIGNATURES.resourceReference, urn: "urn:c", id: "projects/p/connectors/c" },
                component: { [SIG_KEY]: SIGNATURES.resourceReference, urn: "urn:component" },
                email: { [SIG_KEY]: SIGNATURES.outputValue, dependencies: ["urn:sa"] },
                token: { [SIG_KEY]: SIGNATURES.outputValue, value: "t", secret: true },
            });
            expect(struct.toJavaScript()).to.deep.equal({
                list: [1, null],
                pending: UNKNOWN,
                password: { [SIG_KEY]: SIGNATURES.secret, value: "hunter2" },
                connector: "projects/p/connectors/c",
                component: "urn:component",
                email: UNKNOWN,
                token: { [SIG_KEY]: SIGNATURES.secret, value: "t" },
            });
        });
    });

    describe("launchPolicyPack", function () {
        let scratch: string;

        beforeEach(function () {
            scratch = fs.mkdtempSync(path.join(os.tmpdir(), "analyzer-harness-"));
        });

        afterEach(function () {
            fs.rmSync(scratch, { recursive: true, force: true });
        });

        it("refuses a directory that is not a policy pack", async function () {
            const error = await launchPolicyPack(scratch).then(() => undefined, (e: unknown) => e as Error);
            expect(error?.message).to.include("no PulumiPolicy.yaml");
        });

        it("reports the pack's stderr when it dies before printing its port", async function () {
            fs.writeFileSync(path.join(scratch, "PulumiPolicy.yaml"), "runtime: nodejs\n");
            fs.writeFileSync(path.join(scratch, "package.json"), JSON.stringify({ name: "broken-pack", main: "index.js" }));
            fs.writeFileSync(path.join(scratch, "index.js"), "throw new Error(\"policy module failed to load\");\n");
            fs.symlinkSync(path.join(POLICIES_DIR, "node_modules"), path.join(scratch, "node_modules"), "dir");
            const error = await launchPolicyPack(scratch).then(() => undefined, (e: unknown) => e as Error);
            expect(error?.message).to.include("exited before printing its port").and.to.include("policy module failed to load");
        });
    });
});
