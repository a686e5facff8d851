/** cloudrun-service-monthly-cost: the estimate as a stack policy reports it, the budget, and its config. */
import { expect } from "chai";
import { definePolicyConfig } from "../../policies/lib/config";
import { ALL_POLICIES } from "../../policies/rules";
import {
    COST_POLICY, PackConfig, T, TestResource, UNKNOWN, analyzeStack, ofPolicy, schemaErrors, stagingStack, violationsOf,
} from "../helpers/policy-harness";

const policy = ALL_POLICIES.find((p) => p.name === COST_POLICY)!;

/** The staging stack (backend: 2 CPU / 4Gi, instance-based, min 1 via `change`; connector 2 × e2-standard-4). */
function stack(change: (props: any) => void = () => undefined): TestResource[] {
    return stagingStack({ service: (p) => { p.template.scaling = { minInstanceCount: 1 }; change(p); } });
}

async function costDiagnostics(resources: readonly TestResource[], config: PackConfig = {}) {
    return ofPolicy(await analyzeStack(resources, config), COST_POLICY);
}

/** With the env the engine sets for a pack (PULUMI_CONFIG, PULUMI_NODEJS_PROJECT), restored afterwards. */
async function withStackConfig<T>(config: Record<string, string>, body: () => Promise<T>): Promise<T> {
    const saved = { config: process.env.PULUMI_CONFIG, project: process.env.PULUMI_NODEJS_PROJECT };
    process.env.PULUMI_CONFIG = JSON.stringify(config);
    process.env.PULUMI_NODEJS_PROJECT = "cloudrun-staging";
    try {
        return await body();
    } finally {
        for (const [key, value] of [["PULUMI_CONFIG", saved.config], ["PULUMI_NODEJS_PROJECT", saved.project]] as const) {
            if (value === undefined) {
                delete process.env[key];
            } else {
                process.env[key] = value;
            }
        }
    }
}

describe("cloudrun-service-monthly-cost", function () {
    it("reports each service's estimate with its breakdown as an advisory, at the service", async function () {
        // always-on 2,628,000 × (2 × $0.000018 + 4 × $0.000002) = $115.632; connector 2 × 730 h × $0.13402284 = $195.6733464.
        const [found, ...rest] = await costDiagnostics(stack());
        expect(rest).to.deep.equal([]);
        expect(found.enforcementLevel).to.equal("advisory");
        expect(found.urn).to.match(/gcp:cloudrunv2\/service:Service::backend$/);
        expect(found.detail).to.match(/^backend: \$311\.31 a month \(v2 service, europe-west1 \(Tier 1\), instance-based billing, 2 vCPU \/ 4 GiB per instance\) = /);
        expect(found.detail).to.include("always-on $115.63 + traffic $0.00 + requests $0.00 + connector $195.67 + free tier $0.00.");
        expect(found.detail).to.include("Assumed: region europe-west1: Tier 1 prices; traffic: 1,000,000 requests a month, a mean request of 200 ms, ASSUMED");
    });

    it("never quotes an env value or a malformed name (numbers, enums and well-formed names only)", async function () {
        const found = await costDiagnostics(stack((p) => {
            p.template.containers[0].envs.push({ name: "API_URL", value: "https://user:hunter2@example.com" });
            p.name = "Not A Name hunter2";
        }));
        expect(found).to.have.length(1);
        expect(found[0].message).to.not.include("hunter2");
        expect(found[0].detail).to.match(/^backend: /); // the Pulumi resource name stands in
    });

    it("with monthlyBudgetUsd: a violation, at the configured level, only for services above it", async function () {
        const over = await costDiagnostics(stack(), { [COST_POLICY]: { enforcementLevel: "mandatory", monthlyBudgetUsd: 100 } });
        expect(over.map((d) => d.enforcementLevel)).to.deep.equal(["mandatory"]);
        expect(over[0].detail).to.match(/^\$311\.31 is above the monthly budget of \$100\.00\. backend: \$311\.31 a month/);
        expect(await costDiagnostics(stack(), { [COST_POLICY]: { enforcementLevel: "mandatory", monthlyBudgetUsd: 400 } })).to.deep.equal([]);
    });

    it("takes traffic from its config: by service name, then defaultTraffic; applies the free tier when asked", async function () {
        // Request-based, no min instances, 1 vCPU / 512Mi, concurrency 1: 10,000,000 × 0.1 s = 1,000,000 instance-s.
        //   traffic 1,000,000 × (1 × $0.000024 + 0.5 × $0.0000025) = $25.25; requests $4.00; free tier all: -$4.32 - $0.90 - $0.80.
        const requestBased = (p: any) => {
            p.template.scaling = { minInstanceCount: 0 };
            p.template.maxInstanceRequestConcurrency = 1;
            p.template.containers[0].resources = { limits: { cpu: "1", memory: "512Mi" }, cpuIdle: true };
        };
        const config = {
            [COST_POLICY]: { freeTier: "all", traffic: { backend: { requestsPerMonth: 10_000_000 } }, defaultTraffic: { requestsPerMonth: 1, meanRequestMs: 100 } },
        };
        const [found] = await costDiagnostics(stack(requestBased), config);
        expect(found.detail).to.include("traffic $25.25 + requests $4.00 + connector $195.67 + free tier -$6.02");
        expect(found.detail).to.match(/^backend: \$218\.90 a month/);
        expect(found.detail).to.include("10,000,000 requests a month, from policy config traffic.backend");
        expect(found.detail).to.include("a mean request of 100 ms, from policy config defaultTraffic");
    });

    it("takes traffic from the stack config the engine hands the pack (<project>:service.traffic)", async function () {
        const service = JSON.stringify({ name: "backend", traffic: { requestsPerMonth: 50_000_000, meanRequestMs: 4000 } });
        const [found] = await withStackConfig({ "cloudrun-staging:service": service }, () => costDiagnostics(stack()));
        // 50,000,000 × 4 s ÷ 40 = 5,000,000 instance-s; beyond the min instance's 2,628,000: 2,372,000 × $0.000044 = $104.368.
        expect(found.detail).to.include("50,000,000 requests a month, a mean request of 4,000 ms, from stack config cloudrun-staging:service.traffic");
        expect(found.detail).to.include("traffic $104.37");
    });

    it("with a budget and a CPU not known yet: a violation when the known part is already above it, else Pulumi's can't-decide advisory", async function () {
        const unknownCpu = stack((p) => { p.template.containers[0].resources.limits.cpu = UNKNOWN.string; });
        // Known: memory 2,628,000 × 4 × $0.000002 = $21.024 plus the connector $195.6733464: at least $216.70.
        const over = await costDiagnostics(unknownCpu, { [COST_POLICY]: { monthlyBudgetUsd: 20 } });
        expect(violationsOf(over, COST_POLICY).map((d) => d.detail)).to.have.length(1);
        expect(over[0].detail).to.match(/^at least \$216\.70 is above the monthly budget of \$20\.00\. .*Undecided until the values are known: template\.containers\[0\]\.resources\.limits\.cpu\./);
        const under = await costDiagnostics(unknownCpu, { [COST_POLICY]: { monthlyBudgetUsd: 1000 } });
        expect(under.map((d) => d.cantRun)).to.deep.equal([true]);
        expect(under[0].message).to.include("template.containers.0.resources.limits.cpu");
        // Without a budget the estimate is still reported, undecided for the CPU-priced parts only.
        const [reported] = await costDiagnostics(unknownCpu);
        expect(reported.detail).to.match(/^backend: at least \$216\.70 a month .* always-on ≥ \$21\.02 \(undecided\) \+ traffic \$0\.00 \+ requests \$0\.00 \+ connector \$195\.67/);
    });

    it("estimates jobs too, and no other resource type", async function () {
        const job: TestResource = {
            type: T.v2Job, name: "nightly",
            props: { name: "nightly", location: "europe-west1", template: { template: { containers: [{ image: "i", resources: { limits: { cpu: "1", memory: "512Mi" } } }] } } },
        };
        const bucket: TestResource = { type: "gcp:storage/bucket:Bucket", name: "b", props: { name: "b", location: "EU" } };
        const found = await costDiagnostics([job, bucket], { [COST_POLICY]: { traffic: { nightly: { executionsPerMonth: 30, meanTaskSeconds: 600 } } } });
        // 30 × 1 task × 600 s × (1 × $0.000018 + 0.5 × $0.000002) = $0.342
        expect(found.map((d) => d.detail)).to.have.length(1);
        expect(found[0].detail).to.match(/^nightly: \$0\.34 a month \(v2 job, europe-west1 \(Tier 1\), jobs rate/);
    });

    it("its config schema refuses a misspelled traffic field, a negative count and an unknown free tier", function () {
        const schema = { type: "object" as const, additionalProperties: false, properties: policy.configSchema!.properties };
        expect(schemaErrors({ traffic: { backend: { requests: 5 } } }, schema)).to.have.length(1);
        expect(schemaErrors({ defaultTraffic: { requestsPerMonth: -1 } }, schema)).to.have.length(1);
        expect(schemaErrors({ freeTier: "some" }, schema)).to.have.length(1);
        expect(schemaErrors({ monthlyBudgetUsd: 250, freeTier: "requests", traffic: { backend: { requestsPerMonth: 1e6, meanRequestMs: 120 } } }, schema)).to.deep.equal([]);
    });

    it("the config reader checks objects' members against additionalProperties too (a runner that skips validation)", function () {
        const config = definePolicyConfig("demo", {
            byName: { type: "object", additionalProperties: { type: "object", additionalProperties: false, properties: { n: { type: "number", minimum: 0 } } }, default: {}, description: "" },
        });
        const read = (given: object) => config.read({ getConfig: <C extends object>() => given as C });
        expect(read({ byName: { a: { n: 1 } } })).to.deep.equal({ byName: { a: { n: 1 } } });
        expect(() => read({ byName: { a: { n: -1 } } })).to.throw("invalid policy config for demo: byName.a.n must be at least 0");
        expect(() => read({ byName: { a: { m: 1 } } })).to.throw("byName.a.m is not a known key");
    });
});
