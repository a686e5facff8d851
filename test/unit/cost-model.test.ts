/**
 * The cost model against numbers worked out by hand: Google's own worked example, the staging stack, the seed's two
 * configurations, and one case per rule of the model. Every expected amount is written out from the pricing table
 * (policies/lib/cloud-run-pricing.ts, read from https://cloud.google.com/run/pricing), not computed from it, so a
 * changed price or a changed rule fails here.
 */
import { expect } from "chai";
import { CLOUD_RUN_REGION_TIERS } from "../../policies/lib/cloud-run-limits";
import { CLOUD_RUN_PRICES, CONNECTOR_INSTANCE_HOURLY, FREE_TIER, PRICE_SOURCES } from "../../policies/lib/cloud-run-pricing";
import {
    CostInputResource, CostOptions, ServiceCostEstimate, estimateStackCosts, formatUsd, roundCents, stackConfigTraffic,
} from "../../policies/lib/cost-model";
import { compareCosts, estimateLine, renderCostComparison, renderCostEstimates } from "../../policies/lib/cost-report";
import { engineStack } from "../../tools/analyzer/engine-shape";
import { costInputsOf } from "../../tools/check/costs";
import { NS, editKey, runStaging, stagingConfig } from "../helpers/program-harness";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const V2 = "gcp:cloudrunv2/service:Service";
const CONNECTOR = "gcp:vpcaccess/connector:Connector";
const urn = (type: string, name: string) => `urn:pulumi:dev::p::${type}::${name}`;

interface ServiceSpec {
    name?: string;
    region?: string;
    cpu?: unknown;
    memory?: unknown;
    cpuIdle?: boolean;
    concurrency?: number;
    min?: number;
    max?: number;
    connector?: unknown;
    env?: Record<string, string>;
}

function v2Service(spec: ServiceSpec): CostInputResource {
    const name = spec.name ?? "api";
    const limits: Record<string, unknown> = {};
    if (spec.cpu !== undefined) limits.cpu = spec.cpu;
    if (spec.memory !== undefined) limits.memory = spec.memory;
    return {
        urn: urn(V2, name),
        type: V2,
        name,
        properties: {
            name,
            location: spec.region ?? "europe-west1",
            template: {
                ...(spec.concurrency !== undefined ? { maxInstanceRequestConcurrency: spec.concurrency } : {}),
                scaling: { minInstanceCount: spec.min ?? 0, maxInstanceCount: spec.max ?? 0 },
                ...(spec.connector !== undefined ? { vpcAccess: { connector: spec.connector, egress: "PRIVATE_RANGES_ONLY" } } : {}),
                containers: [{
                    image: "europe-docker.pkg.dev/p/r/api@sha256:" + "0".repeat(64),
                    resources: { limits, ...(spec.cpuIdle !== undefined ? { cpuIdle: spec.cpuIdle } : {}) },
                    envs: Object.entries(spec.env ?? {}).map(([n, value]) => ({ name: n, value })),
                }],
            },
        },
    };
}

function connector(name: string, extra: Record<string, unknown> = {}): CostInputResource {
    return { urn: urn(CONNECTOR, name), type: CONNECTOR, name, properties: { name, region: "europe-west1", minInstances: 2, maxInstances: 3, machineType: "e2-micro", ...extra } };
}

function estimate(resources: CostInputResource[], options: CostOptions = {}, name = "api"): ServiceCostEstimate {
    const found = estimateStackCosts(resources, options).find((e) => e.name === name);
    if (!found) {
        throw new Error(`no estimate for ${name}`);
    }
    return found;
}

const cents = (usd: number | undefined) => (usd === undefined ? undefined : roundCents(usd));
const parts = (e: ServiceCostEstimate) => Object.fromEntries(Object.entries(e.breakdown).map(([k, p]) => [k, cents(p.usd)]));

describe("Cloud Run pricing table (policies/lib/cloud-run-pricing.ts)", () => {
    it("holds the page's Tier 1 list prices, each with its source and the date read", () => {
        const t1 = CLOUD_RUN_PRICES[1];
        expect([t1.requestBased.cpuActive.usd, t1.requestBased.memoryActive.usd, t1.requestBased.cpuIdleMinInstance.usd,
            t1.requestBased.memoryIdleMinInstance.usd, t1.requestBased.requestsPerMillion.usd]).to.deep.equal([0.000024, 0.0000025, 0.0000025, 0.0000025, 0.4]);
        expect([t1.instanceBased.cpu.usd, t1.instanceBased.memory.usd, t1.jobs.cpu.usd, t1.jobs.memory.usd]).to.deep.equal([0.000018, 0.000002, 0.000018, 0.000002]);
        expect(FREE_TIER.requestBased).to.deep.equal({ vcpuSeconds: 180_000, gibSeconds: 360_000, requests: 2_000_000 });
        expect(FREE_TIER.instanceBased).to.deep.equal({ vcpuSeconds: 240_000, gibSeconds: 450_000, requests: 0 });
        for (const tier of [1, 2] as const) {
            for (const group of Object.values(CLOUD_RUN_PRICES[tier])) {
                for (const price of Object.values(group) as { source: keyof typeof PRICE_SOURCES }[]) {
                    const source = PRICE_SOURCES[price.source];
                    expect(source.read, price.source).to.match(/^\d{4}-\d{2}-\d{2}$/);
                    expect(source.url, price.source).to.match(/^https:\/\//);
                }
            }
        }
        expect(PRICE_SOURCES.runPricing.copy).to.include("2025-08-19");
        expect(PRICE_SOURCES.tier2.authority, "Tier 2 was not read from Google's page itself").to.equal("secondary");
    });

    it("prices connector machine types from the E2 SKUs (e2-micro = 0.25 vCPU + 1 GiB)", () => {
        expect(CONNECTOR_INSTANCE_HOURLY["e2-micro"].usd).to.be.closeTo(0.0083764275, 1e-12);
        expect(CONNECTOR_INSTANCE_HOURLY["e2-standard-4"].usd).to.be.closeTo(0.13402284, 1e-12);
        expect(CONNECTOR_INSTANCE_HOURLY["f1-micro"].usd).to.equal(0.0076);
    });

    it("uses the regions table of cloud-run-limits.ts (europe-west1 Tier 1, europe-west3 Tier 2)", () => {
        expect([CLOUD_RUN_REGION_TIERS["europe-west1"], CLOUD_RUN_REGION_TIERS["europe-west3"]]).to.deep.equal([1, 2]);
    });
});

describe("cost model: Google's worked examples (https://cloud.google.com/run/pricing, Pricing Examples)", () => {
    // Example 4: request-based billing in europe-west1, 10 million requests a month of 200 ms, 0.167 vCPU, 256 MiB,
    // 1 concurrent request per instance. "Your estimated monthly cost for this workload is $7.25. Without the
    // vCPU/Memory free tier, the cost would be $12.47."
    const example4 = () => [v2Service({ name: "resize", cpu: "0.167", memory: "256Mi", cpuIdle: true, concurrency: 1 })];
    const traffic = { defaultTraffic: { requestsPerMonth: 10_000_000, meanRequestMs: 200 } };

    it("Example 4 without the vCPU/memory free tier: $12.47", () => {
        // 10,000,000 × 0.2 s ÷ 1 = 2,000,000 instance-s; CPU 334,000 vCPU-s × $0.000024 = $8.016;
        // memory 500,000 GiB-s × $0.0000025 = $1.25; requests 8,000,000 billable × $0.40/M = $3.20. Total $12.466.
        const e = estimate(example4(), { ...traffic, freeTier: "requests" }, "resize");
        expect(cents(e.monthlyUsd)).to.equal(12.47);
        expect(e.breakdown.traffic.usd).to.be.closeTo(9.266, 1e-9);
        expect(e.breakdown.requests.usd).to.be.closeTo(4, 1e-9);
        expect(e.breakdown.freeTier.usd).to.be.closeTo(-0.8, 1e-9);
    });

    it("Example 4 with the free tier: $7.25", () => {
        // Free tier as a spending discount at Tier 1 prices: 180,000 vCPU-s × $0.000024 = $4.32 and
        // 360,000 GiB-s × $0.0000025 = $0.90 off: $12.466 - $5.22 = $7.246.
        const e = estimate(example4(), { ...traffic, freeTier: "all" }, "resize");
        expect(cents(e.monthlyUsd)).to.equal(7.25);
        expect(formatUsd(e.monthlyUsd as number)).to.equal("$7.25");
    });

    it("Example 4 with no free tier at all (this model's default): $13.27", () => {
        const e = estimate(example4(), traffic, "resize");
        expect(cents(e.monthlyUsd)).to.equal(13.27);
        expect(e.assumptions.join("\n")).to.include("free tier not applied");
    });
});

describe("cost model: the staging stack (Pulumi.staging.yaml, run under mocks as the check runs it)", function () {
    this.timeout(60_000);

    /** The estimates the check computes for a stack config: program run, AnalyzeStack's outputs, estimate. */
    async function checkEstimates(config = stagingConfig(), options: CostOptions = {}): Promise<ServiceCostEstimate[]> {
        const run = await runStaging({ preview: true, config });
        expect(run.error, run.error?.message).to.equal(undefined);
        const outputs = engineStack(run.resources, {
            project: config.values["gcp:project"], region: config.values["gcp:region"], stack: config.stack, projectName: config.project, phase: "preview",
        });
        return estimateStackCosts(costInputsOf(outputs), options);
    }

    it("matches the hand calculation: $311.31 a month", async () => {
        // Pulumi.staging.yaml: europe-west1 (Tier 1), 2 CPU / 4Gi, cpuIdle false (instance-based), min 1, concurrency 40;
        // connector backend-staging: 2 × e2-standard-4. No traffic stated: 1,000,000 requests of 200 ms assumed.
        //   always-on  1 × 730 h × 3,600 s × (2 × $0.000018 + 4 × $0.000002) = 2,628,000 × $0.000044  = $115.632
        //   traffic    1,000,000 × 0.2 s ÷ 40 = 5,000 instance-s, all served by the min instance       = $0
        //   requests   instance-based billing has no request fee                                       = $0
        //   connector  2 × 730 h × (4 × $0.02181159 + 16 × $0.00292353) = 1,460 × $0.13402284           = $195.6733464
        //   total                                                                                      = $311.3053464
        const [backend, ...others] = await checkEstimates();
        expect(others).to.deep.equal([]);
        expect(backend).to.include({ name: "backend", region: "europe-west1", tier: 1, billing: "instance-based", vcpu: 2, memoryGiB: 4 });
        expect(backend.breakdown.alwaysOn.usd).to.be.closeTo(115.632, 1e-6);
        expect(backend.breakdown.traffic.usd).to.equal(0);
        expect(backend.breakdown.requests.usd).to.equal(0);
        expect(backend.breakdown.connector.usd).to.be.closeTo(195.6733464, 1e-6);
        expect(cents(backend.monthlyUsd)).to.equal(311.31);
        expect(backend.undecided, "a fresh preview leaves image and ids unknown, none of them priced").to.deep.equal([]);
        expect(backend.assumptions.join("\n")).to.match(/1,000,000 requests a month, a mean request of 200 ms, ASSUMED/);
    });

    it("the seed's two configurations: 2 CPU / 4Gi $311.31 vs 1 CPU / 512Mi $245.61, $65.70 less a month", async () => {
        // 1 CPU / 512Mi, otherwise staging: always-on 2,628,000 × (1 × $0.000018 + 0.5 × $0.000002) = 2,628,000 × $0.000019
        // = $49.932; connector unchanged $195.6733464; total $245.6053464. Difference $245.61 - $311.31 = -$65.70.
        const cut = editKey(stagingConfig(), `${NS}:service`, (s) => ({ ...s, resources: { cpu: "1", memory: "512Mi" } }));
        const base = await checkEstimates();
        const other = await checkEstimates(cut);
        expect(other[0].breakdown.alwaysOn.usd).to.be.closeTo(49.932, 1e-6);
        expect(cents(other[0].monthlyUsd)).to.equal(245.61);
        const comparison = compareCosts(base, other);
        expect(comparison.total).to.deep.equal({ name: "total", base: 311.31, other: 245.61, differenceUsd: -65.7 });
        expect(renderCostComparison("staging", "cut", comparison)).to.match(/backend +\$311\.31 → +\$245\.61 +-\$65\.70 a month/);
    });

    it("stack config traffic (service.traffic) replaces the assumed default and is named as the source", async () => {
        // 40,000,000 requests × 0.5 s ÷ 40 = 500,000 instance-s, within the min instance's 2,628,000: still $0 beyond it.
        const config = editKey(stagingConfig(), `${NS}:service`, (s) => ({ ...s, traffic: { requestsPerMonth: 40_000_000, meanRequestMs: 500 } }));
        const [backend] = await checkEstimates(config, { stackTraffic: stackConfigTraffic(config.values, config.project) });
        expect(backend.assumptions.join("\n")).to.include(`40,000,000 requests a month, a mean request of 500 ms, from stack config ${NS}:service.traffic`);
        expect(backend.breakdown.traffic.basis).to.match(/^500,000 instance-s/);
    });
});

describe("cost model: amounts as text", () => {
    it("formats dollars with thousands separators and cents, a negative amount with its sign first", () => {
        expect(formatUsd(1234.5)).to.equal("$1,234.50");
        expect(formatUsd(-0.8)).to.equal("-$0.80");
        expect(formatUsd(12.465)).to.equal("$12.47");
        expect(formatUsd(0.004)).to.equal("$0.00");
        expect(formatUsd(1_000_000)).to.equal("$1,000,000.00");
    });
});

describe("cost model: the rules", () => {
    it("request-based billing: min instances at the idle rate for the time they serve nothing, traffic at the active rate, requests per million", () => {
        // 1 vCPU / 512Mi, min 1, 2,000,000 requests of 100 ms at concurrency 10: 20,000 active instance-s.
        //   traffic   20,000 × (1 × $0.000024 + 0.5 × $0.0000025) = $0.505
        //   always-on (2,628,000 - 20,000) × (1 × $0.0000025 + 0.5 × $0.0000025) = 2,608,000 × $0.00000375 = $9.78
        //   requests  2 × $0.40 = $0.80
        const e = estimate([v2Service({ cpu: "1", memory: "512Mi", cpuIdle: true, concurrency: 10, min: 1 })],
            { defaultTraffic: { requestsPerMonth: 2_000_000, meanRequestMs: 100 } });
        expect(e.billing).to.equal("request-based");
        expect(e.breakdown.traffic.usd).to.be.closeTo(0.505, 1e-9);
        expect(e.breakdown.alwaysOn.usd).to.be.closeTo(9.78, 1e-9);
        expect(e.breakdown.requests.usd).to.be.closeTo(0.8, 1e-9);
        expect(cents(e.monthlyUsd)).to.equal(11.09);
    });

    it("instance-based billing: traffic beyond the min instances costs the full rate; no request fee", () => {
        // 1 vCPU / 1Gi, min 1, 100,000,000 requests of 1 s at concurrency 10 = 10,000,000 instance-s; 2,628,000 served by the min instance.
        //   always-on 2,628,000 × (1 × $0.000018 + 1 × $0.000002) = $52.56
        //   traffic   (10,000,000 - 2,628,000) × $0.00002 = $147.44
        const e = estimate([v2Service({ cpu: "1", memory: "1Gi", cpuIdle: false, concurrency: 10, min: 1 })],
            { defaultTraffic: { requestsPerMonth: 100_000_000, meanRequestMs: 1000 } });
        expect(parts(e)).to.deep.equal({ alwaysOn: 52.56, traffic: 147.44, requests: 0, connector: 0, freeTier: 0 });
    });

    it("Tier 2 regions use the Tier 2 table (europe-west3: $0.0000216 / $0.0000024 instance-based)", () => {
        // 2,628,000 × (1 × $0.0000216 + 1 × $0.0000024) = $63.072
        const e = estimate([v2Service({ region: "europe-west3", cpu: "1", memory: "1Gi", cpuIdle: false, min: 1 })], { defaultTraffic: { requestsPerMonth: 0 } });
        expect(e.tier).to.equal(2);
        expect(e.breakdown.alwaysOn.usd).to.be.closeTo(63.072, 1e-9);
    });

    it("caps traffic at what max instances can serve in a month, and says so", () => {
        // 1,000,000,000 requests of 1 s at concurrency 1 need 1e9 instance-s; max 2 instances serve 5,256,000.
        const e = estimate([v2Service({ cpu: "1", memory: "512Mi", cpuIdle: false, concurrency: 1, max: 2 })],
            { defaultTraffic: { requestsPerMonth: 1e9, meanRequestMs: 1000 } });
        expect(e.breakdown.traffic.usd).to.be.closeTo(5_256_000 * 0.000019, 1e-6);
        expect(e.assumptions.join("\n")).to.include("capped at 2 instances");
    });

    it("splits a connector's cost evenly among the services that use it (by name or by id)", () => {
        // e2-micro × 2 × 730 h = 1,460 × $0.0083764275 = $12.22958415, $6.114792075 each.
        const c = connector("shared");
        const a = v2Service({ name: "a", cpu: "1", memory: "512Mi", cpuIdle: true, connector: "shared" });
        const b = v2Service({ name: "b", cpu: "1", memory: "512Mi", cpuIdle: true, connector: "projects/acme-proj/locations/europe-west1/connectors/shared" });
        const estimates = estimateStackCosts([c, a, b], { defaultTraffic: { requestsPerMonth: 0 } });
        expect(estimates.map((e) => e.breakdown.connector.usd)).to.have.length(2);
        for (const e of estimates) {
            expect(e.breakdown.connector.usd, e.name).to.be.closeTo(6.114792075, 1e-9);
            expect(e.assumptions.join("\n")).to.include("split evenly among the 2 service(s) and job(s)");
        }
    });

    it("finds the connector of a fresh preview (id unknown) through the template's dependencies", () => {
        const c = connector("vpc", { machineType: "f1-micro", minInstances: 3 });
        const s = { ...v2Service({ cpu: "1", memory: "512Mi", cpuIdle: true, connector: UNKNOWN }), propertyDependencies: { template: [c.urn] }, dependencies: [c.urn] };
        // 3 × 730 h × $0.0076 = $16.644
        expect(estimate([c, s], { defaultTraffic: { requestsPerMonth: 0 } }).breakdown.connector.usd).to.be.closeTo(16.644, 1e-9);
    });

    it("does not price a connector managed outside the stack, and says so", () => {
        const e = estimate([v2Service({ cpu: "1", memory: "512Mi", connector: "elsewhere" })]);
        expect(e.breakdown.connector.usd).to.equal(0);
        expect(e.assumptions.join("\n")).to.include("connector elsewhere is not in this stack (managed elsewhere): not priced");
    });

    it("an unknown CPU leaves only the CPU-priced parts undecided and names the field", () => {
        const c = connector("vpc");
        const e = estimate([c, v2Service({ cpu: UNKNOWN, memory: "4Gi", cpuIdle: false, min: 1, connector: "vpc" })], { defaultTraffic: { requestsPerMonth: 0 } });
        expect(e.monthlyUsd).to.equal(undefined);
        expect(e.undecided).to.deep.equal(["template.containers[0].resources.limits.cpu"]);
        expect(e.breakdown.alwaysOn.usd).to.equal(undefined);
        // Memory is still priced: 2,628,000 × 4 × $0.000002 = $21.024; the connector too: $12.22958415.
        expect(e.breakdown.alwaysOn.knownUsd).to.be.closeTo(21.024, 1e-9);
        expect(e.breakdown.connector.usd).to.be.closeTo(12.22958415, 1e-9);
        expect(e.knownMonthlyUsd).to.be.closeTo(33.25358415, 1e-9);
        expect(estimateLine(e)).to.match(/^api: at least \$33\.25 a month .* always-on ≥ \$21\.02 \(undecided\)/);
    });

    it("manual scaling: manualInstanceCount instances run all month, whatever the revision's min and max say", () => {
        // 5 × 2,628,000 s × (1 × $0.000018 + 1 × $0.000002) = $262.80, as five min instances would cost.
        const manual = v2Service({ cpu: "1", memory: "1Gi", cpuIdle: false });
        manual.properties.scaling = { scalingMode: "MANUAL", manualInstanceCount: 5 };
        const e = estimate([manual], { defaultTraffic: { requestsPerMonth: 0 } });
        expect(e.breakdown.alwaysOn.usd).to.be.closeTo(262.8, 1e-9);
        const autoscaled = estimate([v2Service({ cpu: "1", memory: "1Gi", cpuIdle: false, min: 5 })], { defaultTraffic: { requestsPerMonth: 0 } });
        expect(e.monthlyUsd).to.be.closeTo(autoscaled.monthlyUsd ?? NaN, 1e-9);
    });

    it("manual scaling not known yet: an unknown count, or an unknown mode beside a set count, leaves the always-on part undecided", () => {
        const withScaling = (scaling: Record<string, unknown>) => {
            const s = v2Service({ cpu: "1", memory: "1Gi", cpuIdle: false, min: 1 });
            s.properties.scaling = scaling;
            return estimate([s], { defaultTraffic: { requestsPerMonth: 0 } });
        };
        expect(withScaling({ scalingMode: "MANUAL", manualInstanceCount: UNKNOWN }).undecided).to.deep.equal(["scaling.manualInstanceCount"]);
        expect(withScaling({ scalingMode: UNKNOWN, manualInstanceCount: 3 }).undecided).to.deep.equal(["scaling.scalingMode"]);
        // Without a manual count, only autoscaling can run: the revision's min instance decides.
        expect(withScaling({ scalingMode: UNKNOWN }).breakdown.alwaysOn.usd).to.be.closeTo(52.56, 1e-9);
    });

    it("with the free tier applied, \"at least\" stays a lower bound while the spend is undecided", () => {
        // The always-on part is decided, the traffic (and so the spend the discount is capped at) is not.
        const spec: ServiceSpec = { cpu: "1", memory: "1Gi", cpuIdle: false, min: 1 };
        const options: CostOptions = { freeTier: "all", defaultTraffic: { requestsPerMonth: 10_000_000, meanRequestMs: 500 } };
        const undecided = estimate([v2Service({ ...spec, concurrency: UNKNOWN as unknown as number })], options);
        expect(undecided.monthlyUsd).to.equal(undefined);
        for (const concurrency of [1, 10, 80, 1000]) {
            const decided = estimate([v2Service({ ...spec, concurrency })], options).monthlyUsd ?? NaN;
            expect(undecided.knownMonthlyUsd, `concurrency ${concurrency}`).to.be.at.most(decided);
        }
    });

    it("with the free tier applied, an undecided discount never takes off what the spend cannot cover (a connector stays counted)", () => {
        // Min 0 and concurrency unknown: no CPU or memory spend is decided, so the discount counts 0 in "at least",
        // and the connector's $16.644 (3 × f1-micro) is the least this service costs, whatever the concurrency is.
        const c = connector("vpc", { machineType: "f1-micro", minInstances: 3 });
        const options: CostOptions = { freeTier: "all", defaultTraffic: { requestsPerMonth: 10_000_000, meanRequestMs: 500 } };
        const withConnector = (spec: Partial<ServiceSpec>) => estimate([c, v2Service({ cpu: "1", memory: "1Gi", cpuIdle: false, min: 0, connector: "vpc", ...spec })], options);
        for (const undecided of [withConnector({ concurrency: UNKNOWN as unknown as number }), withConnector({ cpuIdle: UNKNOWN as unknown as boolean })]) {
            expect(undecided.monthlyUsd).to.equal(undefined);
            expect(undecided.knownMonthlyUsd).to.be.closeTo(16.644, 1e-9);
        }
        for (const concurrency of [1, 80, 1000]) {
            expect(withConnector({ concurrency }).monthlyUsd ?? NaN).to.be.at.least(16.644);
        }
    });

    it("prices Cloud Run's defaults when limits and concurrency are unset, and says so", () => {
        const e = estimate([v2Service({ cpuIdle: true })], { defaultTraffic: { requestsPerMonth: 8_000_000, meanRequestMs: 100 } });
        expect([e.vcpu, e.memoryGiB]).to.deep.equal([1, 0.5]);
        // 8,000,000 × 0.1 s ÷ 80 = 10,000 instance-s × (1 × $0.000024 + 0.5 × $0.0000025) = $0.2525
        expect(e.breakdown.traffic.usd).to.be.closeTo(0.2525, 1e-9);
        expect(e.assumptions.join("\n")).to.include("concurrency is unset: Cloud Run's default 80").and.include("no cpu limit");
    });

    it("takes each traffic field from the first source stating it: policy traffic by name, stack config, defaultTraffic, the default", () => {
        const service = [v2Service({ name: "api", cpu: "1", memory: "512Mi", cpuIdle: true, concurrency: 1 })];
        const e = estimate(service, {
            trafficByName: { api: { requestsPerMonth: 3_000_000 } },
            stackTraffic: { serviceName: "api", traffic: { requestsPerMonth: 1, meanRequestMs: 300 }, key: "proj:service.traffic" },
            defaultTraffic: { meanRequestMs: 5 },
        });
        expect(e.breakdown.requests.basis).to.match(/^3,000,000 requests/);
        expect(e.breakdown.traffic.basis).to.match(/^900,000 instance-s/);
        expect(e.assumptions).to.include.members([
            "traffic: 3,000,000 requests a month, from policy config traffic.api",
            "traffic: a mean request of 300 ms, from stack config proj:service.traffic",
        ]);
        const other = estimate([v2Service({ name: "other", cpu: "1", memory: "512Mi", cpuIdle: true })], {
            stackTraffic: { serviceName: "api", traffic: { requestsPerMonth: 1 }, key: "proj:service.traffic" }, defaultTraffic: { meanRequestMs: 5 },
        }, "other");
        expect(other.assumptions.join("\n")).to.include("a mean request of 5 ms, from policy config defaultTraffic").and.match(/1,000,000 requests a month, ASSUMED/);
    });

    it("reads v1 services: the cpu-throttling annotation and the autoscaling annotations", () => {
        const v1 = {
            urn: urn("gcp:cloudrun/service:Service", "legacy"), type: "gcp:cloudrun/service:Service", name: "legacy",
            properties: {
                name: "legacy", location: "us-central1",
                template: {
                    metadata: { annotations: { "run.googleapis.com/cpu-throttling": "false", "autoscaling.knative.dev/minScale": "2" } },
                    spec: { containerConcurrency: 10, containers: [{ image: "x", resources: { limits: { cpu: "1", memory: "512Mi" } } }] },
                },
            },
        };
        const e = estimate([v1], { defaultTraffic: { requestsPerMonth: 0 } }, "legacy");
        // 2 × 2,628,000 × (1 × $0.000018 + 0.5 × $0.000002) = $99.864
        expect(e).to.include({ billing: "instance-based", kind: "service" });
        expect(e.breakdown.alwaysOn.usd).to.be.closeTo(99.864, 1e-9);
    });

    it("prices a job: executions × tasks × run time (at least a minute) at the jobs rate", () => {
        const job = {
            urn: urn("gcp:cloudrunv2/job:Job", "report"), type: "gcp:cloudrunv2/job:Job", name: "report",
            properties: { name: "report", location: "europe-west1", template: { taskCount: 3, template: { containers: [{ image: "x", resources: { limits: { cpu: "1", memory: "512Mi" } } }] } } },
        };
        // 730 executions × 3 tasks × 60 s (a 20 s task is billed a minute) × (1 × $0.000018 + 0.5 × $0.000002) = 131,400 × $0.000019 = $2.4966
        const e = estimate([job], { trafficByName: { report: { executionsPerMonth: 730, meanTaskSeconds: 20 } } }, "report");
        expect(e).to.include({ kind: "job", billing: "job" });
        expect(e.breakdown.traffic.usd).to.be.closeTo(2.4966, 1e-9);
        expect(estimate([job], {}, "report").assumptions.join("\n")).to.match(/0 executions a month, a mean task of 60 s, ASSUMED/);
    });

    it("reads stack config traffic from <project>:service, as JSON text or an object, ignoring what is not a count", () => {
        const values = { "proj:service": JSON.stringify({ name: "backend", traffic: { requestsPerMonth: 5, meanRequestMs: -1 } }) };
        expect(stackConfigTraffic(values, "proj")).to.deep.equal({ serviceName: "backend", traffic: { requestsPerMonth: 5 }, key: "proj:service.traffic" });
        expect(stackConfigTraffic({ "proj:service": { name: "backend" } }, "proj")).to.equal(undefined);
        expect(stackConfigTraffic({ "proj:service": "not json" }, "proj")).to.equal(undefined);
        expect(stackConfigTraffic({}, "proj")).to.equal(undefined);
    });

    it("never shows a value that could be secret: env values and malformed names stay out of every text", () => {
        const secretish = "postgres://admin:hunter2@db/prod";
        const s = v2Service({ name: "api", cpu: "1", memory: "512Mi", env: { DATABASE_URL: secretish } });
        (s.properties as { name: string }).name = secretish;
        const estimates = estimateStackCosts([s, connector("vpc")]);
        const text = renderCostEstimates("dev", estimates) + estimates.map(estimateLine).join("\n") + JSON.stringify(estimates);
        expect(text).to.not.include("hunter2");
        expect(estimates[0].name, "the Pulumi resource name stands in for a malformed service name").to.equal("api");
    });
});
