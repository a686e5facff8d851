/** cloudrun-service-resource-floor and cloudrun-service-valid-resources. */
import { expect } from "chai";
import { T, Tree, UNKNOWN, analyzeResource, checkV2Service, goodContainer, goodV1Service, violationsOf } from "../helpers/policy-harness";

const FLOOR = "cloudrun-service-resource-floor";
const VALID = "cloudrun-service-valid-resources";

const check = checkV2Service;

const limits = (props: Tree) => props.template.containers[0].resources;

describe("cloudrun-service-resource-floor", function () {
    it("rejects 1 CPU / 512Mi, naming cpu and memory", async function () {
        const found = await check(FLOOR, (p) => { limits(p).limits = { cpu: "1", memory: "512Mi" }; });
        expect(found.map((d) => d.enforcementLevel)).to.deep.equal(["mandatory", "mandatory"]);
        expect(found[0].detail).to.match(/cpu limit 1 is below the floor "2"/);
        expect(found[1].detail).to.match(/memory limit 512Mi is below the floor "2Gi"/);
    });

    it("treats missing limits as Cloud Run's default 1 CPU / 512Mi", async function () {
        const found = await check(FLOOR, (p) => { delete p.template.containers[0].resources; });
        expect(found.map((d) => d.detail)).to.deep.equal([
            "containers[0] (api): cpu limit is unset, so Cloud Run gives it the default 1 CPU; set resources.limits.cpu to at least \"2\"",
            "containers[0] (api): memory limit is unset, so Cloud Run gives it the default 512Mi; set resources.limits.memory to at least \"2Gi\"",
        ]);
    });

    it("accepts exactly the floor, also written in millicores", async function () {
        expect(await check(FLOOR, (p) => { limits(p).limits = { cpu: "2000m", memory: "2Gi" }; })).to.deep.equal([]);
    });

    it("concerns the ingress container; everyContainer extends it to sidecars", async function () {
        const withSidecar = (p: Tree) => {
            p.template.containers.push({ name: "proxy", image: goodContainer().image, resources: { limits: { cpu: "1", memory: "2Gi" } } });
        };
        expect(await check(FLOOR, withSidecar)).to.deep.equal([]);
        expect((await check(FLOOR, withSidecar, { [FLOOR]: { everyContainer: true } })).map((d) => d.detail)).to.deep.equal([
            "containers[1] (proxy): cpu limit 1 is below the floor \"2\"; set resources.limits.cpu to at least \"2\"",
        ]);
    });

    it("applies to a job's and a worker pool's first container", async function () {
        for (const [type, props] of [
            [T.v2Job, { template: { template: { containers: [{ image: "i", resources: { limits: { cpu: "1", memory: "4Gi" } } }] } } }],
            [T.v2WorkerPool, { template: { containers: [{ image: "i", resources: { limits: { cpu: "1", memory: "4Gi" } } }] } }],
        ] as const) {
            const found = violationsOf(await analyzeResource({ type, name: "w", props }), FLOOR);
            expect(found.map((d) => d.detail), type).to.deep.equal(["containers[0]: cpu limit 1 is below the floor \"2\"; set resources.limits.cpu to at least \"2\""]);
        }
    });

    it("refuses a floor config that breaks its schema instead of using the default (minMemory \"0\", minCpu 1e309)", async function () {
        for (const bad of [{ minMemory: "0" }, { minCpu: Number.POSITIVE_INFINITY }, { minCpu: 16 }, { minMemory: "64Gi" }]) {
            let error: Error | undefined;
            await check(FLOOR, () => undefined, { [FLOOR]: bad }).catch((e: Error) => { error = e; });
            expect(error?.message, JSON.stringify(bad)).to.match(/invalid policy config for cloudrun-service-resource-floor: (minMemory|minCpu)/);
        }
    });

    it("takes the floor from config", async function () {
        const found = await check(FLOOR, () => undefined, { [FLOOR]: { minCpu: 4, minMemory: "8Gi" } });
        expect(found.map((d) => d.detail)).to.deep.equal([
            "containers[0] (api): cpu limit 2 is below the floor \"4\"; set resources.limits.cpu to at least \"4\"",
            "containers[0] (api): memory limit 4Gi is below the floor \"8Gi\"; set resources.limits.memory to at least \"8Gi\"",
        ]);
    });

    it("reports a value that is not a quantity", async function () {
        const found = await check(FLOOR, (p) => { limits(p).limits.memory = "lots"; });
        expect(found.map((d) => d.detail)).to.deep.equal([
            "containers[0] (api): memory limit is not a memory quantity; set resources.limits.memory to at least \"2Gi\"",
        ]);
    });

    it("gives the standard advisory when the limits are unknown", async function () {
        const found = await check(FLOOR, (p) => { limits(p).limits = UNKNOWN.object; });
        expect(found).to.have.length(1);
        expect(found[0].cantRun).to.equal(true);
        expect(found[0].enforcementLevel).to.equal("advisory");
        expect(found[0].message).to.match(/template\.containers\.0\.resources\.limits/);
    });

    it("still rejects a known low memory when the cpu is unknown", async function () {
        const found = await check(FLOOR, (p) => { limits(p).limits = { cpu: UNKNOWN.string, memory: "512Mi" }; });
        expect(found.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[false, "mandatory"]]);
        expect(found[0].detail).to.match(/memory limit 512Mi/);
    });

    it("checks v1 services", async function () {
        const props = goodV1Service();
        props.template.spec.containers[0].resources.limits = { cpu: "1", memory: "4Gi" };
        const found = violationsOf(await analyzeResource({ type: T.v1Service, name: "v1", props }), FLOOR);
        expect(found.map((d) => d.detail)).to.deep.equal(["containers[0]: cpu limit 1 is below the floor \"2\"; set resources.limits.cpu to at least \"2\""]);
    });
});

describe("cloudrun-service-valid-resources", function () {
    it("rejects memory below what the CPU needs", async function () {
        const found = await check(VALID, (p) => { limits(p).limits = { cpu: "4", memory: "1Gi" }; });
        expect(found.map((d) => d.detail)).to.deep.equal([
            "containers[0] (api): memory 1Gi with cpu 4: 4 CPU accepts 2Gi to 16Gi (4 CPU needs at least 2Gi)",
        ]);
        expect(found[0].enforcementLevel).to.equal("mandatory");
    });

    it("rejects a whole CPU value Cloud Run does not offer", async function () {
        const found = await check(VALID, (p) => { limits(p).limits = { cpu: "3", memory: "4Gi" }; });
        expect(found.map((d) => d.detail)).to.deep.equal(["containers[0] (api): cpu 3 is not accepted above 1; allowed: 1, 2, 4, 6, 8"]);
    });

    it("rejects more memory than the CPU allows", async function () {
        const found = await check(VALID, (p) => { limits(p).limits = { cpu: "2", memory: "16Gi" }; });
        expect(found[0].detail).to.match(/16Gi needs at least 4 CPU/);
    });

    it("applies Cloud Run's default memory when only cpu is set", async function () {
        const found = await check(VALID, (p) => { limits(p).limits = { cpu: "4" }; });
        expect(found.map((d) => d.detail)).to.deep.equal([
            "containers[0] (api): memory 512Mi with cpu 4: 4 CPU accepts 2Gi to 16Gi (4 CPU needs at least 2Gi) (memory is unset, so Cloud Run's default applies)",
        ]);
    });

    it("rejects fractional CPU with concurrency 80, the default cpuIdle and gen2", async function () {
        const found = await check(VALID, (p) => {
            limits(p).limits = { cpu: "0.5", memory: "512Mi" };
            delete limits(p).cpuIdle;
            p.template.maxInstanceRequestConcurrency = 80;
        });
        expect(found.map((d) => d.detail)).to.deep.equal([
            "containers[0] (api): cpu below 1 requires concurrency 1, got 80",
            "containers[0] (api): cpu below 1 requires cpuIdle true (CPU allocated only during requests) (cpuIdle is unset, so Cloud Run's default applies)",
            "containers[0] (api): cpu below 1 requires the gen1 execution environment, got gen2",
        ]);
    });

    it("accepts fractional CPU with concurrency unset or 0 (Cloud Run then uses 1), in steps of 0.001", async function () {
        for (const concurrency of [undefined, 0]) {
            for (const cpu of ["0.5", "0.125", "125m"]) {
                expect(await check(VALID, (p) => {
                    limits(p).limits = { cpu, memory: "512Mi" };
                    limits(p).cpuIdle = true;
                    p.template.executionEnvironment = "EXECUTION_ENVIRONMENT_GEN1";
                    if (concurrency === undefined) delete p.template.maxInstanceRequestConcurrency;
                    else p.template.maxInstanceRequestConcurrency = concurrency;
                }), `${cpu} / ${concurrency}`).to.deep.equal([]);
            }
        }
    });

    it("rejects memory no CPU allows even when the cpu is not known yet", async function () {
        const found = await check(VALID, (p) => { limits(p).limits = { cpu: UNKNOWN.string, memory: "64Gi" }; });
        expect(found.map((d) => [d.cantRun, d.enforcementLevel, d.detail])).to.deep.equal([
            [false, "mandatory", "containers[0] (api): memory 64Gi is outside 512Mi to 32Gi (gen2 minimum)"],
        ]);
    });

    it("rejects an L4 GPU with too little CPU, memory, or CPU only during requests", async function () {
        const gpu = (cpu: string, memory: string, cpuIdle: boolean) => (p: Tree) => {
            p.template.nodeSelector = { accelerator: "nvidia-l4" };
            limits(p).limits = { cpu, memory, "nvidia.com/gpu": "1" };
            limits(p).cpuIdle = cpuIdle;
        };
        expect(await check(VALID, gpu("4", "16Gi", false))).to.deep.equal([]);
        expect((await check(VALID, gpu("2", "8Gi", true))).map((d) => d.detail)).to.deep.equal([
            "containers[0] (api): an nvidia-l4 GPU needs at least 4 CPU, got 2",
            "containers[0] (api): an nvidia-l4 GPU needs at least 16Gi of memory, got 8Gi",
            "containers[0] (api): an nvidia-l4 GPU needs CPU always allocated (cpuIdle false, instance-based billing)",
        ]);
    });

    it("reads a numeric memory limit as bytes, and waits for an accelerator not known yet", async function () {
        expect(await check(VALID, (p) => { limits(p).limits = { cpu: 2, memory: 2 * 1024 ** 3 }; })).to.deep.equal([]);
        expect(await check(FLOOR, (p) => { limits(p).limits = { cpu: 2, memory: 2 * 1024 ** 3 }; })).to.deep.equal([]);
        const pending = await check(VALID, (p) => { p.template.nodeSelector = { accelerator: UNKNOWN.string }; });
        expect(pending.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[true, "advisory"]]);
    });

    it("checks every container of jobs and worker pools, without service-only rules", async function () {
        const job = { type: T.v2Job, name: "j", props: { template: { template: { containers: [{ image: "i", resources: { limits: { cpu: "4", memory: "1Gi" } } }] } } } };
        expect(violationsOf(await analyzeResource(job), VALID).map((d) => d.detail)).to.deep.equal([
            "containers[0]: memory 1Gi with cpu 4: 4 CPU accepts 2Gi to 16Gi (4 CPU needs at least 2Gi)",
        ]);
        const pool = { type: T.v2WorkerPool, name: "w", props: { template: { containers: [{ image: "i", resources: { limits: { cpu: "1", memory: "2Gi" } } }] } } };
        expect(violationsOf(await analyzeResource(pool), VALID)).to.deep.equal([]);
    });

    it("accepts fractional CPU set up the way Cloud Run requires", async function () {
        expect(await check(VALID, (p) => {
            limits(p).limits = { cpu: "0.5", memory: "512Mi" };
            limits(p).cpuIdle = true;
            p.template.maxInstanceRequestConcurrency = 1;
            p.template.executionEnvironment = "EXECUTION_ENVIRONMENT_GEN1";
        })).to.deep.equal([]);
    });

    it("accepts a container without limits (Cloud Run's defaults are valid)", async function () {
        expect(await check(VALID, (p) => { delete p.template.containers[0].resources; })).to.deep.equal([]);
    });

    it("rejects an execution environment Cloud Run does not know", async function () {
        const found = await check(VALID, (p) => { p.template.executionEnvironment = "GEN3"; });
        expect(found.map((d) => d.detail)).to.deep.equal([
            "template.executionEnvironment is not one of EXECUTION_ENVIRONMENT_GEN1, EXECUTION_ENVIRONMENT_GEN2",
        ]);
    });

    it("needs the concurrency only below 1 CPU", async function () {
        expect(await check(VALID, (p) => { p.template.maxInstanceRequestConcurrency = UNKNOWN.number; })).to.deep.equal([]);
        const fractional = await check(VALID, (p) => {
            limits(p).limits = { cpu: "0.5", memory: "512Mi" };
            limits(p).cpuIdle = true;
            p.template.executionEnvironment = "EXECUTION_ENVIRONMENT_GEN1";
            p.template.maxInstanceRequestConcurrency = UNKNOWN.number;
        });
        expect(fractional.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[true, "advisory"]]);
    });
});
