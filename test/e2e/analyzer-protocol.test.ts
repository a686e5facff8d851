/**
 * The policy pack end to end, as the Pulumi engine drives it: the compiled pack (policies/bin, built by
 * `npm test` before mocha) is started with run-policy-pack and spoken to over pulumirpc.Analyzer.
 */
import { expect } from "chai";
import * as path from "path";
import {
    Diagnostic, PolicyConfigError, PolicyPackConfig, PolicyPackProcess, UNKNOWN, isUnknownValueAdvisory, launchPolicyPack,
} from "../../tools/analyzer";
import {
    INCIDENT_CONTAINER, PROJECT, STACK, STAGING_CONTAINER, fromPolicy, mandatory, serviceResource, stagingStack, summarize,
} from "../helpers/analyzer-fixtures";

const POLICIES_DIR = path.resolve(__dirname, "../../policies");

function isRunning(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

/** Every policy of the pack and the level it ships with. */
const EXPECTED_LEVELS: Record<string, "advisory" | "mandatory"> = {
    "cloudrun-service-valid-resources": "mandatory",
    "cloudrun-service-valid-probes": "mandatory",
    "cloudrun-service-valid-scaling": "mandatory",
    "cloudrun-service-valid-containers": "mandatory",
    "cloudrun-service-valid-vpc": "mandatory",
    "cloudrun-service-resource-floor": "mandatory",
    "cloudrun-service-startup-probe": "mandatory",
    "cloudrun-service-liveness-probe": "advisory",
    "cloudrun-service-request-timeout": "mandatory",
    "cloudrun-service-env": "mandatory",
    "cloudrun-service-required-secret-env": "mandatory",
    "cloudrun-service-secret-version-pinned": "advisory",
    "cloudrun-service-identity-and-ingress": "mandatory",
    "cloudrun-invoker-not-public": "mandatory",
    "cloudrun-service-image-digest": "mandatory",
    "cloudrun-service-vpc-egress": "mandatory",
    "vpcaccess-connector-valid": "mandatory",
    "vpcaccess-connector-capacity": "mandatory",
    "cloudrun-secret-refs-resolve": "mandatory",
    "cloudrun-secret-accessor-grants": "mandatory",
    "cloudrun-connector-in-stack": "mandatory",
    "cloudrun-identity-and-image-from-stack": "mandatory",
    "cloudrun-service-monthly-cost": "advisory",
};
const STACK_POLICIES = [
    "vpcaccess-connector-capacity", "cloudrun-secret-refs-resolve", "cloudrun-secret-accessor-grants", "cloudrun-connector-in-stack",
    "cloudrun-identity-and-image-from-stack", "cloudrun-service-monthly-cost",
];

const FLOOR = "cloudrun-service-resource-floor";
const TIMEOUT = "cloudrun-service-request-timeout";
const STARTUP_PROBE = "cloudrun-service-startup-probe";
const IMAGE_DIGEST = "cloudrun-service-image-digest";
const FROM_STACK = "cloudrun-identity-and-image-from-stack";
const SECRET_REFS = "cloudrun-secret-refs-resolve";
const ACCESSOR_GRANTS = "cloudrun-secret-accessor-grants";

describe("policy pack over the analyzer protocol", function () {
    let pack: PolicyPackProcess;

    before(async function () {
        this.timeout(120_000);
        pack = await launchPolicyPack(POLICIES_DIR, { stack: { project: PROJECT, stack: STACK } });
    });

    after(async function () {
        await pack?.close();
    });

    /** Runs `body` with the pack configured by `config`, then restores the defaults. */
    async function withConfig(config: PolicyPackConfig, body: () => Promise<void>): Promise<void> {
        await pack.client.configure(config);
        try {
            await body();
        } finally {
            await pack.client.configure({});
        }
    }

    function expectNoMandatory(diagnostics: Diagnostic[]): void {
        expect(mandatory(diagnostics), summarize(diagnostics)).to.deep.equal([]);
    }

    describe("the engine's call order (pkg/engine/update.go, step_generator.go)", function () {
        it("opens with ConfigureStack, GetPluginInfo, GetAnalyzerInfo and Configure (always, even without a config file); no Handshake reaches the pack", function () {
            expect(pack.client.calls.slice(0, 4)).to.deep.equal(["ConfigureStack", "GetPluginInfo", "GetAnalyzerInfo", "Configure"]);
            expect(pack.pluginVersion).to.match(/^\d+\.\d+\.\d+/);
        });

        it("asks Remediate before Analyze for each resource, then AnalyzeStack once, and Cancel at shutdown", async function () {
            const own = await launchPolicyPack(POLICIES_DIR, { stack: { project: PROJECT, stack: STACK } });
            try {
                const resources = stagingStack().slice(0, 2);
                await own.client.analyzeAll(resources);
                expect(own.client.calls.slice(4)).to.deep.equal([
                    `Remediate(${resources[0].urn})`, `Analyze(${resources[0].urn})`,
                    `Remediate(${resources[1].urn})`, `Analyze(${resources[1].urn})`,
                    "AnalyzeStack(2 resources)",
                ]);
            } finally {
                // As the offline check closes it, about to exit: Cancel is still sent and the pack still ends.
                await own.close({ awaitExit: false });
            }
            expect(own.client.calls[own.client.calls.length - 1]).to.equal("Cancel");
            const deadline = Date.now() + 10_000;
            while (isRunning(own.pid) && Date.now() < deadline) {
                await new Promise((resolve) => setTimeout(resolve, 20));
            }
            expect(isRunning(own.pid), "the pack is still running 10 s after close").to.equal(false);
        });
    });

    describe("GetAnalyzerInfo", function () {
        it("names the pack and lists every policy with its enforcement level", function () {
            expect(pack.info.name).to.equal("cloud-run-guardrails");
            const levels = Object.fromEntries(pack.info.policies.map((p) => [p.name, p.enforcementLevel]));
            expect(levels).to.deep.equal(EXPECTED_LEVELS);
        });

        it("marks the stack policies as stack policies and describes every policy", function () {
            for (const policy of pack.info.policies) {
                expect(policy.policyType, policy.name).to.equal(STACK_POLICIES.includes(policy.name) ? "stack" : "resource");
                expect(policy.description, policy.name).to.not.equal("");
            }
        });

        it("publishes config schemas with defaults, which the CLI-style configure sends", function () {
            const floor = pack.info.policies.find((p) => p.name === FLOOR);
            expect(floor?.configSchema?.properties).to.include.keys("minCpu", "minMemory");
            for (const [key, schema] of Object.entries(floor!.configSchema!.properties)) {
                expect(schema, `${FLOOR}.${key}`).to.have.property("default");
                expect(pack.config[FLOOR].properties[key], `${FLOOR}.${key} sent`).to.deep.equal(schema.default);
            }
        });

        it("reports the @pulumi/policy version through GetPluginInfo", async function () {
            expect(await pack.client.getPluginVersion()).to.match(/^1\.21\./);
        });
    });

    describe("Analyze", function () {
        it("rejects the incident revision: resource floor (cpu and memory), request timeout and startup probe", async function () {
            const diagnostics = await pack.client.analyze(serviceResource(INCIDENT_CONTAINER));
            const failing = mandatory(diagnostics);
            for (const policy of [FLOOR, TIMEOUT, STARTUP_PROBE]) {
                expect(fromPolicy(failing, policy), `${policy} in:\n${summarize(diagnostics)}`).to.have.length.greaterThan(0);
            }
            const floorMessages = fromPolicy(failing, FLOOR).map((d) => d.message).join("\n");
            expect(floorMessages).to.match(/\bcpu\b/).and.to.match(/\bmemory\b/);
            expect(failing.every((d) => d.urn === "" || d.urn === serviceResource().urn)).to.equal(true);
        });

        it("passes the staging service", async function () {
            expectNoMandatory(await pack.client.analyze(serviceResource(STAGING_CONTAINER)));
        });

        it("leaves an unknown image to the stack, which gives the standard advisory (nothing built it there), and still decides the other policies", async function () {
            const diagnostics = await pack.client.analyzeAll([serviceResource({ ...INCIDENT_CONTAINER, image: UNKNOWN })]);
            expect(fromPolicy(diagnostics, IMAGE_DIGEST), summarize(diagnostics)).to.deep.equal([]);
            const image = fromPolicy(diagnostics, FROM_STACK);
            expect(image, summarize(diagnostics)).to.have.length(1);
            expect(isUnknownValueAdvisory(image[0]), image[0].message).to.equal(true);
            for (const policy of [FLOOR, TIMEOUT, STARTUP_PROBE]) {
                expect(fromPolicy(mandatory(diagnostics), policy), `${policy} in:\n${summarize(diagnostics)}`).to.have.length.greaterThan(0);
            }
        });

        it("reports only advisories when unknowns hide nothing wrong (an unknown image is left to the stack)", async function () {
            const diagnostics = await pack.client.analyze(serviceResource({ ...STAGING_CONTAINER, image: UNKNOWN, cpu: UNKNOWN }));
            expectNoMandatory(diagnostics);
            const unknownAdvisories = diagnostics.filter(isUnknownValueAdvisory).map((d) => d.policyName);
            expect(unknownAdvisories).to.include(FLOOR).and.not.include(IMAGE_DIGEST);
        });
    });

    describe("Configure", function () {
        it("lowering the resource floor lets the incident's 1 CPU / 512Mi through", async function () {
            await withConfig({ [FLOOR]: { minCpu: 1, minMemory: "512Mi" } }, async () => {
                const diagnostics = await pack.client.analyze(serviceResource(INCIDENT_CONTAINER));
                expect(fromPolicy(diagnostics, FLOOR), summarize(diagnostics)).to.deep.equal([]);
                expect(fromPolicy(mandatory(diagnostics), STARTUP_PROBE)).to.have.length.greaterThan(0);
            });
        });

        it("raising the resource floor rejects staging's 2 CPU / 4Gi", async function () {
            await withConfig({ [FLOOR]: { minCpu: 4, minMemory: "8Gi" } }, async () => {
                const diagnostics = await pack.client.analyze(serviceResource(STAGING_CONTAINER));
                expect(fromPolicy(mandatory(diagnostics), FLOOR), summarize(diagnostics)).to.have.length.greaterThan(0);
            });
        });

        it("disables a policy, and turns every policy advisory with \"all\"", async function () {
            await withConfig({ [FLOOR]: "disabled" }, async () => {
                expect(fromPolicy(await pack.client.analyze(serviceResource(INCIDENT_CONTAINER)), FLOOR)).to.deep.equal([]);
            });
            await withConfig({ all: "advisory" }, async () => {
                const diagnostics = await pack.client.analyze(serviceResource(INCIDENT_CONTAINER));
                expect(diagnostics).to.have.length.greaterThan(0);
                expectNoMandatory(diagnostics);
            });
        });

        it("refuses values the schema rejects with the engine's wording, and warns about names the engine passes on", async function () {
            await pack.client.configure({ [FLOOR]: "disabled" });
            const error = await pack.client.configure({ [FLOOR]: { minCpu: "two" } } as PolicyPackConfig).then(() => undefined, (e: unknown) => e);
            expect(error).to.be.instanceOf(PolicyConfigError);
            expect((error as Error).message).to.equal(
                `validating policy config: cloud-run-guardrails ${pack.info.version}  ${FLOOR}: minCpu: Invalid type. Expected: number, given: string`);
            // Nothing was sent: the pack keeps the last configuration that was (the floor disabled).
            expect(fromPolicy(await pack.client.analyze(serviceResource(INCIDENT_CONTAINER)), FLOOR)).to.deep.equal([]);
            const warned = await pack.client.configure({ "cloudrun-service-resource-flor": "disabled", [FLOOR]: { minCPU: 4 } } as PolicyPackConfig);
            expect(warned.warnings.join("\n")).to.contain("did you mean \"cloudrun-service-resource-floor\"?").and.to.contain("did you mean \"minCpu\"?");
            await pack.client.configure({});
            expect(fromPolicy(await pack.client.analyze(serviceResource(INCIDENT_CONTAINER)), FLOOR)).to.have.length.greaterThan(0);
        });
    });

    describe("AnalyzeStack (with Analyze of every resource, as a preview runs them)", function () {
        it("passes the staging stack", async function () {
            const diagnostics = await pack.client.analyzeAll(stagingStack());
            expectNoMandatory(diagnostics);
            expect(diagnostics.filter(isUnknownValueAdvisory), summarize(diagnostics)).to.deep.equal([]);
        });

        for (const [scenario, settings] of [
            ["grant secretIds and members are unknown", { unknownGrantRefs: true }],
            ["the runtime account's email is unknown too (first preview)", { unknownGrantRefs: true, unknownAccountEmail: true }],
        ] as const) {
            it(`decides secret references and grants from propertyDependencies when ${scenario}`, async function () {
                const diagnostics = await pack.client.analyzeAll(stagingStack(settings));
                expectNoMandatory(diagnostics);
                for (const policy of [SECRET_REFS, ACCESSOR_GRANTS]) {
                    expect(fromPolicy(diagnostics, policy), summarize(diagnostics)).to.deep.equal([]);
                }
            });
        }

        it("cannot match those grants without propertyDependencies (so the cases above rely on them)", async function () {
            const stack = stagingStack({ unknownGrantRefs: true }).map(({ propertyDependencies: _withheld, ...rest }) => rest);
            const diagnostics = await pack.client.analyzeAll(stack);
            expect(fromPolicy(diagnostics, ACCESSOR_GRANTS), summarize(diagnostics)).to.have.length.greaterThan(0);
        });

        it("pipelined (as the offline check sends them) gives the same diagnostics, in the same order, as one call at a time", async function () {
            const { CLICKHOUSE_URL: _dropped, ...otherSecrets } = STAGING_CONTAINER.secretEnv!;
            const staging = stagingStack({ secretEnv: otherSecrets, unknownGrantRefs: true });
            // Copies under other URNs, so the calls span more than one pipelined window.
            const stack = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].flatMap((copy) => staging.map((r) => (copy === 0 ? r : { ...r, urn: `${r.urn}-copy${copy}`, name: `${r.name}-copy${copy}` })));
            expect(stack.length).to.be.greaterThan(64);
            const oneAtATime = await pack.client.analyzeAll(stack);
            expect(mandatory(oneAtATime), summarize(oneAtATime)).to.have.length.greaterThan(0);
            expect(await pack.client.analyzeAll(stack, stack, { pipelined: true })).to.deep.equal(oneAtATime);
        });

        it("rejects a stack whose service lacks CLICKHOUSE_URL", async function () {
            const { CLICKHOUSE_URL, ...otherSecrets } = STAGING_CONTAINER.secretEnv!;
            expect(CLICKHOUSE_URL).to.be.a("string");
            const diagnostics = await pack.client.analyzeAll(stagingStack({ secretEnv: otherSecrets }));
            expect(mandatory(diagnostics).filter((d) => d.message.includes("CLICKHOUSE_URL")), summarize(diagnostics)).to.have.length.greaterThan(0);
        });

        it("rejects a stack whose service points REDIS_URL at localhost", async function () {
            const { REDIS_URL, ...otherSecrets } = STAGING_CONTAINER.secretEnv!;
            expect(REDIS_URL).to.be.a("string");
            const diagnostics = await pack.client.analyzeAll(stagingStack({
                secretEnv: otherSecrets,
                env: { ...STAGING_CONTAINER.env, REDIS_URL: "redis://localhost:6379" },
            }));
            expect(mandatory(diagnostics).filter((d) => /REDIS_URL|localhost/.test(d.message)), summarize(diagnostics)).to.have.length.greaterThan(0);
        });
    });
});
