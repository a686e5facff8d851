/**
 * The pack serves AnalyzeStack with one pass over its stack policies (policies/lib/one-stack-pass.ts). These tests
 * compare its answers with those of @pulumi/policy's own handler, which runs each stack policy over its own resource
 * objects. Both get the same request after the same Configure, and both answers are compared byte for byte: every
 * stack shape the other tests use, under every enforcement level and config, and synthetic policies for what the
 * pack's policies never do.
 */
import { expect } from "chai";
import type { StackValidationPolicy } from "../../policies/node_modules/@pulumi/policy";
import { ALL_POLICIES } from "../../policies/rules";
import { ONE_STACK_PASS, SDK_PARTS, SdkParts, oneStackPass, servePolicyPack, storedConfig, withOneStackPass } from "../../policies/lib/one-stack-pass";
import { at, rootOf, unknownValueError } from "../../policies/lib/props";
import { engineResources } from "../corpus/corpus";
import { CORPUS } from "../corpus/programs";
import { asTestResources, damagedStack, realisticStack, secretHeavyStack } from "../helpers/generated-stacks";
import {
    AnalyzeStackHandler, PackConfig, TestResource, UNKNOWN, analyzeStackRequest, answerOf, configurePack, configureRequest, configureStackTags, diagnosticsOf, sendConfigure,
    analyzerInfo, engineShapedStack, packAnalyzeStackHandler, sdkAnalyzeStackHandler, stagingStack,
} from "../helpers/policy-harness";

/** The staging stack with a secret reference that resolves to no secret (cloudrun-secret-refs-resolve reports it). */
const secretNotCreated = () => stagingStack({ service: (p) => { p.template.containers[0].envs[0].valueSource.secretKeyRef.secret = "backend-not-created"; } });

const STACK_POLICY_NAMES = ALL_POLICIES.filter((p) => "validateStack" in p).map((p) => p.name);

/** Configures the pack, then asks both handlers; returns both answers. */
async function bothAnswers(resources: readonly TestResource[], config: PackConfig | "keep", handlers: { pass: AnalyzeStackHandler; sdk: AnalyzeStackHandler }) {
    if (config !== "keep") {
        await configurePack(config);
    }
    const request = analyzeStackRequest(resources);
    return { pass: await answerOf(handlers.pass, request), sdk: await answerOf(handlers.sdk, request) };
}

function expectSameBytes(answers: { pass: Buffer | Error; sdk: Buffer | Error }, what: string): Buffer {
    expect(answers.sdk, `${what}: the SDK's handler`).to.be.instanceOf(Buffer);
    expect(answers.pass, `${what}: the one pass`).to.be.instanceOf(Buffer);
    const [pass, sdk] = [answers.pass as Buffer, answers.sdk as Buffer];
    if (!pass.equals(sdk)) {
        // Show the diagnostics, not bytes, when they differ.
        expect(diagnosticsOf(pass), what).to.deep.equal(diagnosticsOf(sdk));
        expect.fail(`${what}: same diagnostics, other bytes`);
    }
    return pass;
}

describe("AnalyzeStack in one pass (policies/lib/one-stack-pass.ts)", function () {
    let handlers: { pass: AnalyzeStackHandler; sdk: AnalyzeStackHandler };
    before(async function () {
        handlers = { pass: packAnalyzeStackHandler(), sdk: await sdkAnalyzeStackHandler(ALL_POLICIES) };
    });

    // Each stack, and the levels its answers must show across the configs (so that each path is compared). The
    // staging stacks' stack policies decide everything, fresh preview included (propertyDependencies).
    const bothLevels = ["mandatory", "advisory"];
    const withCantRun = [...bothLevels, "advisory can't run"];
    const stacks: [string, () => TestResource[], string[]][] = [
        ["staging", () => stagingStack(), bothLevels],
        ["staging, fresh preview", () => stagingStack({ freshPreview: true }), bothLevels],
        ["staging, engine shape", () => engineShapedStack(stagingStack({ freshPreview: true })), bothLevels],
        ["realistic, 10% damaged", () => asTestResources(damagedStack(realisticStack(600, 3), 1, 0.1)), withCantRun],
        ["realistic, 25% damaged", () => asTestResources(damagedStack(realisticStack(400, 5), 2, 0.25)), withCantRun],
        ["secret-heavy, 15% damaged", () => asTestResources(damagedStack(secretHeavyStack(12, 3, 150), 3, 0.15)), withCantRun],
    ];
    const configs: [string, PackConfig][] = [
        ["no config", {}],
        ["all advisory", Object.fromEntries(STACK_POLICY_NAMES.map((p) => [p, "advisory"]))],
        ["every other one disabled, the rest remediate", Object.fromEntries(STACK_POLICY_NAMES.map((p, i) => [p, i % 2 ? "disabled" : "remediate"]))],
        ["the first disabled, config values", {
            [STACK_POLICY_NAMES[0]]: "disabled",
            "cloudrun-secret-refs-resolve": { enforcementLevel: "mandatory", externalSecrets: ["svc-1-secret-1", "projects/acme-prod/secrets/other"] },
            "cloudrun-connector-in-stack": { externalConnectors: ["projects/acme-prod/locations/us-east1/connectors/cx-1"] },
            "cloudrun-service-monthly-cost": { enforcementLevel: "mandatory", monthlyBudgetUsd: 1 },
        }],
    ];
    for (const [label, stack, mustSee] of stacks) {
        it(`answers as the SDK's handler does, byte for byte: ${label}, under ${configs.length} configs`, async function () {
            const resources = stack();
            const levels = new Set<string>();
            for (const [configLabel, config] of configs) {
                const bytes = expectSameBytes(await bothAnswers(resources, config, handlers), `${label}, ${configLabel}`);
                diagnosticsOf(bytes).forEach((d) => levels.add(`${d.enforcementLevel}${d.cantRun ? " can't run" : ""}`));
            }
            // The comparison must have something to compare: violations at both levels, and "can't run" advisories.
            expect([...levels], "levels seen").to.include.members(mustSee);
        });
    }

    it("answers as the SDK's handler does for every program of the corpus, applied and in preview", async function () {
        let diagnostics = 0;
        for (const fixture of CORPUS) {
            for (const mode of ["applied", "preview"] as const) {
                const bytes = expectSameBytes(await bothAnswers(engineResources(fixture, mode), {}, handlers), `${fixture.title} (${mode})`);
                diagnostics += diagnosticsOf(bytes).length;
            }
        }
        expect(diagnostics).to.be.greaterThan(0);
    });

    it("fails, as the SDK's handler does, on a config value a policy cannot use, and names the policy", async function () {
        const answers = await bothAnswers(stagingStack(), { "cloudrun-secret-refs-resolve": { externalSecrets: "not-a-list" } }, handlers);
        expect(answers.sdk).to.be.instanceOf(Error);
        expect(answers.pass).to.be.instanceOf(Error);
        expect((answers.pass as Error).message).to.include("policy 'cloudrun-secret-refs-resolve' failed").and.include("externalSecrets must be an array");
    });

    it("fails Configure when the config names the pass itself, whose level would switch every stack policy off", async function () {
        await configurePack({ "cloudrun-secret-refs-resolve": "advisory" });
        let failure: unknown;
        try {
            await configurePack({ [ONE_STACK_PASS]: "disabled" });
        } catch (error) {
            failure = error;
        }
        expect(String(failure)).to.include(`names ${ONE_STACK_PASS}`).and.include("configure each stack policy by its own name");
        // Neither the SDK nor the pass took that config: the one before it holds, and every stack policy still runs.
        const found = diagnosticsOf(expectSameBytes(await bothAnswers(secretNotCreated(), "keep", handlers), "after the refused config"));
        expect(found.filter((d) => d.policyName === "cloudrun-secret-refs-resolve").map((d) => d.enforcementLevel)).to.deep.equal(["advisory"]);
    });

    it("keeps the config before a Configure the SDK refuses (an enforcement level it does not know)", async function () {
        await configurePack({ "cloudrun-secret-refs-resolve": "advisory" });
        const refused = await configureRequest({ "cloudrun-connector-in-stack": "mandatory" });
        refused.getPolicyconfigMap().get("cloudrun-connector-in-stack")!.setEnforcementlevel(7 as never);
        let failure: unknown;
        try {
            await sendConfigure(refused);
        } catch (error) {
            failure = error;
        }
        expect(String(failure)).to.include("Unknown enforcement level 7");
        const found = diagnosticsOf(expectSameBytes(await bothAnswers(secretNotCreated(), "keep", handlers), "after the refused config"));
        expect(found.filter((d) => d.policyName === "cloudrun-secret-refs-resolve").map((d) => d.enforcementLevel)).to.deep.equal(["advisory"]);
    });

    it("leaves the SDK's serve as it was (the harness checks gRPC's addService when it loads the pack)", function () {
        expect(SDK_PARTS, "the SDK parts the pass uses").to.not.equal(undefined);
        expect(SDK_PARTS!.server.serve.name).to.equal("serve");
    });

    it("builds the stack's resource objects once per call, not once per stack policy", async function () {
        expect(STACK_POLICY_NAMES.length).to.be.greaterThan(1);
        await configurePack({});
        const resources = stagingStack();
        const request = analyzeStackRequest(resources);
        const built = async (handler: AnalyzeStackHandler) => {
            const reads = countPropertyReads(request);
            await answerOf(handler, request);
            return reads.stop();
        };
        expect(await built(handlers.pass)).to.equal(resources.length);
        expect(await built(handlers.sdk)).to.equal(resources.length * STACK_POLICY_NAMES.length);
    });
});

/** Counts the server's reads of each stack resource's properties (it reads them once per resource object it builds). */
function countPropertyReads(request: ReturnType<typeof analyzeStackRequest>): { stop(): number } {
    let reads = 0;
    const restore = request.getResourcesList().map((resource) => {
        const own = Object.getOwnPropertyDescriptor(resource, "getProperties");
        const read = resource.getProperties.bind(resource);
        resource.getProperties = () => (reads++, read());
        return () => (own ? Object.defineProperty(resource, "getProperties", own) : delete (resource as Partial<typeof resource>).getProperties);
    });
    return { stop: () => (restore.forEach((undo) => undo()), reads) };
}

describe("the one pass, on what the pack's policies never do", function () {
    const resources = () => stagingStack();
    const urn = () => resources()[0].urn ?? "";
    const notKnown = () => unknownValueError(at(rootOf({ template: { serviceAccount: UNKNOWN.string } }), "template", "serviceAccount"));
    // Named violations, empty messages, async checks, no level or severity, an unknown after a violation, config.
    const synthetic: StackValidationPolicy[] = [
        { name: "t-plain", description: "Plain.", enforcementLevel: "mandatory", severity: "low", validateStack: (_a, report) => { report("one", urn()); report(""); } },
        {
            name: "t-named", description: "Named.", enforcementLevel: "advisory", severity: "medium",
            validateStack: (_a, report) => {
                (report as unknown as (v: object) => void)({ message: "named", urn: urn(), severity: "high" });
                (report as unknown as (v: object) => void)({ description: "other description", enforcementLevel: "mandatory" });
            },
        },
        { name: "t-async", description: "Async.", severity: "medium", validateStack: async (_a, report) => { await Promise.resolve(); report("later"); } },
        { name: "t-unknown", description: "Unknown.", enforcementLevel: "mandatory", severity: "critical", validateStack: (_a, report) => { report("before"); throw notKnown(); } },
        { name: "t-config", description: "Config.", enforcementLevel: "advisory", validateStack: (args, report) => report(`config ${JSON.stringify(args.getConfig())}`) },
        { name: "t-stack", description: "Stack.", enforcementLevel: "advisory", validateStack: (args, report) => report(`${args.resources.length} resources, ${args.stackTags.size} tags`) },
        { name: "t-bare", description: "", validateStack: (_a, report) => { report(""); report("bare"); } },
    ];
    const configs: [string, PackConfig][] = [
        ["no config", {}],
        ["levels", { "t-plain": "advisory", "t-named": "remediate", "t-async": "mandatory", "t-unknown": "disabled", "t-config": { limit: 3, names: ["a"] } }],
        ["all disabled but one", { "t-plain": "disabled", "t-named": "disabled", "t-async": "disabled", "t-unknown": "disabled", "t-config": "disabled", "t-stack": "remediate" }],
    ];
    for (const packLevel of ["mandatory", "advisory"] as const) {
        it(`answers as the SDK's handler does, byte for byte (pack level ${packLevel})`, async function () {
            const { name, version } = await analyzerInfo();
            const identity = { name, version };
            await configureStackTags({ team: "platform", "pulumi:project": "cloudrun-staging" });
            let stored = storedConfig(await configureRequest({}));
            const pass = await sdkAnalyzeStackHandler([oneStackPass({ ...identity, level: packLevel }, synthetic, () => stored)], packLevel);
            const sdk = await sdkAnalyzeStackHandler(synthetic, packLevel);
            let compared = 0;
            try {
                for (const [label, config] of configs) {
                    stored = storedConfig(await configureRequest(config));
                    const bytes = expectSameBytes(await bothAnswers(resources(), config, { pass, sdk }), label);
                    compared += diagnosticsOf(bytes).length;
                }
            } finally {
                await configureStackTags({});
            }
            expect(compared).to.be.at.least(17);
        });
    }

    it("fails with the policy's name when a policy throws, and when one says it does not apply", async function () {
        const { name, version } = await analyzerInfo();
        const identity = { name, version, level: "mandatory" as const };
        const failing = (validateStack: StackValidationPolicy["validateStack"]): StackValidationPolicy => ({ name: "t-fails", description: "Fails.", validateStack });
        await configurePack({});
        for (const [policy, says] of [
            [failing(() => { throw new TypeError("boom"); }), "TypeError: boom"],
            [failing((args) => args.notApplicable("no services")), "cannot answer \"not applicable\""],
        ] as const) {
            const handler = await sdkAnalyzeStackHandler([oneStackPass(identity, [policy], () => ({}))]);
            const answer = await answerOf(handler, analyzeStackRequest(resources()));
            expect(answer).to.be.instanceOf(Error);
            expect((answer as Error).message).to.include(`policy '${ONE_STACK_PASS}'`).and.include("policy 't-fails' failed").and.include(says);
        }
    });

    it("leaves the SDK's handlers in place when it cannot serve: typed, no stack policy, no AnalyzeStack or Configure", function () {
        const identity = { name: "p", version: "1.0.0", level: "mandatory" as const };
        const rpc = () => undefined;
        const implementation = { configure: rpc, analyzeStack: rpc, analyze: rpc };
        const typed = Object.assign(() => undefined, { __pulumiType: "gcp:cloudrunv2/service:Service" });
        const plain: StackValidationPolicy = { name: "t", description: "T.", validateStack: () => undefined };
        expect(withOneStackPass(implementation, identity, [plain, { ...plain, name: "typed", validateStack: typed }])).to.equal(implementation);
        expect(withOneStackPass(implementation, identity, [{ name: "r", description: "R.", validateResource: () => undefined }])).to.equal(implementation);
        expect(withOneStackPass(implementation, identity, undefined)).to.equal(implementation);
        const noStack = { configure: rpc, analyze: rpc };
        expect(withOneStackPass(noStack, identity, [plain])).to.equal(noStack);
        const served = withOneStackPass(implementation, identity, [plain]);
        expect(served.analyzeStack).to.not.equal(rpc);
        expect(served.configure).to.not.equal(rpc);
        expect(served.analyze).to.equal(rpc);
    });
});

describe("serving the pack with the one pass (servePolicyPack), on a fake SDK", function () {
    const rpc = () => undefined;
    const stackPolicy: StackValidationPolicy = { name: "t", description: "T.", validateStack: () => undefined };
    /** A fake SDK: serve registers an analyzer implementation as server.js does, then another service. */
    function fakeSdk(options: { failingHandler?: boolean } = {}) {
        const registered: Record<string, unknown>[] = [];
        const onePassHandler = () => undefined;
        const grpcServer = { addService(_service: unknown, implementation: Record<string, unknown>) { registered.push(implementation); } };
        const server = {
            serve(_name: string, _version: string, _level: string, args: { policies?: unknown[] }) {
                grpcServer.addService.call({}, "analyzer", { configure: rpc, analyzeStack: rpc, analyze: rpc, policies: args.policies });
                grpcServer.addService.call({}, "health", { check: rpc });
            },
            makeAnalyzeStackRpcFun: () => {
                if (options.failingHandler) {
                    throw new Error("no such handler");
                }
                return onePassHandler;
            },
        };
        const parts = { ...SDK_PARTS!, server, grpcServer } as unknown as SdkParts;
        // As policy.js does: PolicyPack calls serve through the server module's exports.
        const construct = (name: string, args: { policies?: unknown[] }) => server.serve(name, "1.0.0", "mandatory", args);
        return { parts, construct, registered, onePassHandler, server, grpcServer };
    }

    it("serves AnalyzeStack with the pass, and puts serve and addService back", function () {
        const sdk = fakeSdk();
        const [serve, addService] = [sdk.server.serve, sdk.grpcServer.addService];
        expect(servePolicyPack("p", { policies: [stackPolicy] }, sdk.parts, sdk.construct as never)).to.equal(true);
        expect(sdk.registered.map((i) => Object.keys(i).sort().join(","))).to.deep.equal(["analyze,analyzeStack,configure,policies", "check"]);
        expect(sdk.registered[0].analyzeStack).to.equal(sdk.onePassHandler);
        expect(sdk.registered[0].configure).to.not.equal(rpc);
        expect([sdk.server.serve, sdk.grpcServer.addService]).to.deep.equal([serve, addService]);
    });

    it("serves as the SDK does when serve is read-only, the handler cannot be built, or the SDK parts are missing", function () {
        const readOnly = fakeSdk();
        Object.defineProperty(readOnly.server, "serve", { value: readOnly.server.serve, writable: false });
        expect(servePolicyPack("p", { policies: [stackPolicy] }, readOnly.parts, readOnly.construct as never)).to.equal(false);
        expect(readOnly.registered[0].analyzeStack).to.equal(rpc);

        // An export that throws when written (a read-only one does in strict code).
        const throwing = fakeSdk();
        const guarded = new Proxy(throwing.server, { set: () => { throw new TypeError("read-only"); } });
        expect(servePolicyPack("p", { policies: [stackPolicy] }, { ...throwing.parts, server: guarded } as SdkParts, throwing.construct as never)).to.equal(false);
        expect(throwing.registered[0].analyzeStack).to.equal(rpc);

        const failing = fakeSdk({ failingHandler: true });
        expect(servePolicyPack("p", { policies: [stackPolicy] }, failing.parts, failing.construct as never)).to.equal(false);
        expect(failing.registered[0].analyzeStack).to.equal(rpc);

        let constructed = 0;
        expect(servePolicyPack("p", { policies: [stackPolicy] }, undefined, () => { constructed++; })).to.equal(false);
        expect(constructed).to.equal(1);
    });

    it("puts serve back when the pack cannot be built", function () {
        const sdk = fakeSdk();
        const serve = sdk.server.serve;
        expect(() => servePolicyPack("p", { policies: [stackPolicy] }, sdk.parts, () => { throw new Error("no version"); })).to.throw("no version");
        expect(sdk.server.serve).to.equal(serve);
    });
});
