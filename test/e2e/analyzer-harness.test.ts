/**
 * The harness itself (tools/analyzer): config reconciliation as the CLI does it, property marshalling as the
 * engine does it, and clear failures when a pack cannot start.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    ConfigurablePolicy, PolicyConfigError, PolicyPackConfig, SIGNATURES, SIG_KEY, UNKNOWN, launchPolicyPack, reconcilePolicyConfig, secret, toStruct,
} from "../../tools/analyzer";

const POLICIES_DIR = path.resolve(__dirname, "../../policies");

const POLICIES: ConfigurablePolicy[] = [
    {
        name: "floor",
        enforcementLevel: "mandatory",
        configSchema: {
            properties: {
                minCpu: { type: "number", default: 2, exclusiveMinimum: 0 },
                names: { type: "array", items: { type: "string", minLength: 1 }, default: ["A"] },
            },
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
    describe("reconcilePolicyConfig (--policy-pack-config), as the engine reconciles and validates it", function () {
        const PACK = { name: "guardrails", version: "1.2.3" };
        const reconcile = (config: PolicyPackConfig) => reconcilePolicyConfig(POLICIES, {}, config, PACK);

        it("starts from each policy's level and schema defaults", function () {
            expect(reconcilePolicyConfig(POLICIES, {}, {}).config).to.deep.equal({
                floor: { enforcementLevel: "mandatory", properties: { minCpu: 2, names: ["A"] } },
                hint: { enforcementLevel: "advisory", properties: {} },
            });
        });

        it("applies the pack's initial config, then \"all\", then each policy's level and properties", function () {
            const result = reconcilePolicyConfig(POLICIES, { hint: { enforcementLevel: "mandatory" } }, {
                all: "advisory",
                floor: { enforcementLevel: "mandatory", minCpu: 4 },
            }).config;
            expect(result.floor).to.deep.equal({ enforcementLevel: "mandatory", properties: { minCpu: 4, names: ["A"] } });
            expect(result.hint.enforcementLevel).to.equal("advisory");
        });

        it("accepts what the engine accepts: an unknown policy name and an undeclared key, each with a did-you-mean warning", function () {
            const unknownName = reconcile({ flor: "disabled" });
            expect(unknownName.config.flor).to.deep.equal({ enforcementLevel: "disabled", properties: {} });
            expect(unknownName.warnings).to.deep.equal([
                "policy config names \"flor\", which this pack does not have; the engine passes it on and it has no effect; did you mean \"floor\"?",
            ]);
            const undeclared = reconcile({ floor: { mincpu: 1 } });
            expect(undeclared.config.floor.properties).to.deep.equal({ minCpu: 2, names: ["A"], mincpu: 1 });
            expect(undeclared.warnings).to.deep.equal([
                "policy config for floor sets \"mincpu\", which its schema does not declare; the engine passes it on and the policy ignores it; did you mean \"minCpu\"?",
            ]);
        });

        it("rejects what the engine rejects, in its wording: wrong type, bounds, nested keywords, bad levels", function () {
            const preamble = "validating policy config: guardrails 1.2.3  floor: ";
            expect(configError(() => reconcile({ floor: { minCpu: "two" } }))).to.equal(`${preamble}minCpu: Invalid type. Expected: number, given: string`);
            expect(configError(() => reconcile({ floor: { minCpu: 0 } }))).to.equal(`${preamble}minCpu: Must be greater than 0`);
            expect(configError(() => reconcile({ floor: { names: ["A", 1] } }))).to.equal(`${preamble}names.1: Invalid type. Expected: string, given: integer`);
            expect(configError(() => reconcile({ floor: { names: [""] } }))).to.equal(`${preamble}names.0: String length must be greater than or equal to 1`);
            expect(configError(() => reconcile({ floor: "strict" as never }))).to.equal("parsing enforcement level for \"floor\": \"strict\" is not a valid enforcement level");
            expect(configError(() => reconcile({ floor: { enforcementLevel: 3 } as never }))).to.contain("is not a valid enforcement level; must be a string");
            expect(configError(() => reconcile({ floor: null as never }))).to.equal("parsing \"floor\": null is not a valid value; must be a string or object");
            expect(configError(() => reconcile({ all: "loud" as never }))).to.contain("parsing enforcement level for \"all\"");
            expect(reconcile({ all: "disabled" }).config.floor.enforcementLevel).to.equal("disabled");
            expect(configError(() => reconcile({ flor: { minCpu: 3 } }))).to.contain("sets properties but no enforcement level");
            const withFormat: ConfigurablePolicy[] = [{ name: "mail", enforcementLevel: "advisory", configSchema: { properties: { to: { type: "string", format: "email" } }, required: [] } }];
            expect(configError(() => reconcilePolicyConfig(withFormat, {}, { mail: { to: "not-an-email" } }, PACK)))
                .to.equal("validating policy config: guardrails 1.2.3  mail: to: Does not match format 'email'");
        });
    });

    describe("toStruct (engine marshalling)", function () {
        it("drops undefined and top-level internal keys, keeps nulls, unknowns, secrets and nested internal keys, flattens references and output values", function () {
            const struct = toStruct({
                absent: undefined,
                list: [1, undefined] as unknown as number[],
                pending: UNKNOWN,
                password: secret("hunter2"),
                connector: { [SIG_KEY]: SIGNATURES.resourceReference, urn: "urn:c", id: "projects/p/connectors/c" },
                component: { [SIG_KEY]: SIGNATURES.resourceReference, urn: "urn:component" },
                email: { [SIG_KEY]: SIGNATURES.outputValue, dependencies: ["urn:sa"] },
                token: { [SIG_KEY]: SIGNATURES.outputValue, value: "t", secret: true },
                __defaults: ["name"],
                template: { nothing: null, __defaults: [] },
            });
            expect(struct.toJavaScript()).to.deep.equal({
                template: { nothing: null, __defaults: [] },
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
