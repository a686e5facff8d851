/**
 * vpcaccess-connector-capacity (issue 13): a connector at least the team's size and big enough for the workloads
 * that use it. Fixtures follow public programs (source in each comment) in the engine's shapes: applied (outputs
 * known) and a fresh-stack preview (outputs and computed size fields unknown).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { CorpusFixture, engineResources, out } from "../corpus/corpus";
import {
    CONNECTOR_NAME, Diagnostic, GCP_PROJECT, PackConfig, POLICIES_DIR, REGION, T, TestResource, Tree, UNKNOWN, analyzeStack, ofPolicy, stagingStack,
    urnOf, violationsOf,
} from "../helpers/policy-harness";

const CAPACITY = "vpcaccess-connector-capacity";
const PROFILES: Record<"staging" | "generic", PackConfig> = {
    staging: JSON.parse(fs.readFileSync(path.join(POLICIES_DIR, "policy-config.staging.json"), "utf8")) as PackConfig,
    generic: JSON.parse(fs.readFileSync(path.join(POLICIES_DIR, "policy-config.generic.json"), "utf8")) as PackConfig,
};
const PROJECT = "acme-shop";
const HELLO = "us-docker.pkg.dev/cloudrun/container/hello";

const mandatory = (ds: readonly Diagnostic[]) => violationsOf(ds, CAPACITY).filter((d) => d.enforcementLevel === "mandatory");
const details = (ds: readonly Diagnostic[]) => violationsOf(ds, CAPACITY).map((d) => d.detail);
const isCapacity = (detail: string) => detail.includes(" Cloud Run instances at its largest size ");
const cantRun = (ds: readonly Diagnostic[]) => ofPolicy(ds, CAPACITY).filter((d) => d.cantRun);

/** The staging profile with one change to this policy's config. */
function stagingWith(change: Record<string, unknown>): PackConfig {
    const config = structuredClone(PROFILES.staging);
    config[CAPACITY] = { ...(config[CAPACITY] as object), ...change };
    return config;
}

/**
 * A connector serving one v2 service. Connector: pulumi/pulumi-gcp sdk/nodejs/vpcaccess/connector.ts, example
 * "Vpc Access Connector" (network + /28, minInstances 2, maxInstances 3; machineType left to its default e2-micro,
 * written out here). Service: the same SDK's cloudrunv2/service.ts "Cloudrunv2 Service Vpcaccess" (connector: the
 * connector's id output) with template.scaling.maxInstanceCount 10, as this repo's staging service sets it.
 */
function microFixture(connector: Record<string, unknown> = { minInstances: 2, maxInstances: 3, machineType: "e2-micro" }, maxInstanceCount: unknown = 10): CorpusFixture {
    return {
        title: "e2-micro 2..3 connector serving a service of 10 instances",
        source: { repo: "pulumi/pulumi-gcp", path: "sdk/nodejs/vpcaccess/connector.ts" },
        provider: { project: PROJECT, region: "us-central1" },
        resources: [
            { type: T.connector, name: "connector", props: { name: "vpc-con", ipCidrRange: "10.8.0.0/28", network: "default", region: "us-central1", ...connector } },
            {
                type: T.v2Service, name: "default",
                props: {
                    name: "cloudrun-service", location: "us-central1", deletionProtection: false,
                    template: {
                        containers: [{ image: HELLO }],
                        scaling: { maxInstanceCount },
                        vpcAccess: { connector: out("connector", `projects/${PROJECT}/locations/us-central1/connectors/vpc-con`), egress: "ALL_TRAFFIC" },
                    },
                },
            },
        ],
    };
}

/** Both engine shapes of a fixture. */
const shapes = (fixture: CorpusFixture) => (["applied", "preview"] as const).map((mode) => [mode, engineResources(fixture, mode)] as const);

/** In a fresh preview the provider computes the size fields the program left out: the other one of each pair is unknown. */
function withComputedSizesUnknown(stack: TestResource[]): TestResource[] {
    for (const r of stack.filter((x) => x.type === T.connector)) {
        for (const bound of ["min", "max"]) {
            const [instances, throughput] = [`${bound}Instances`, `${bound}Throughput`];
            r.props[r.props[instances] === undefined ? instances : throughput] = UNKNOWN.string;
        }
    }
    return stack;
}

describe("vpcaccess-connector-capacity: the acceptance fixtures", function () {
    it("e2-micro min 2 / max 3 serving maxInstanceCount 10: rejected under staging, with the numbers on both sides", async function () {
        for (const [mode, stack] of shapes(microFixture())) {
            const found = await analyzeStack(mode === "preview" ? withComputedSizesUnknown(stack) : stack, PROFILES.staging);
            expect(mandatory(found).map((d) => d.urn), mode).to.deep.equal(Array(3).fill(urnOf(T.connector, "connector")));
            const id = `projects/${PROJECT}/locations/us-central1/connectors/vpc-con`;
            expect(details(found), mode).to.deep.equal([
                `VPC connector ${id}: machineType e2-micro is not one the team allows (e2-standard-4): an e2-micro connector carries about ` +
                    "200-1000 Mbps from 2 to 10 instances (100 Mbps per instance), against 3200-16000 Mbps for e2-standard-4; set machineType to e2-standard-4",
                `VPC connector ${id}: maxInstances 3 is below the team's minimum maxInstances of 4; set maxInstances to at least 4`,
                `VPC connector ${id} carries 3 Cloud Run instances at its largest size (maxInstances 3 × 1 per e2-micro instance, the team's ratio), ` +
                    "but the workloads using it can run 10 together (service cloudrun-service: 10). Raise the connector's max size (maxInstances up to 10), " +
                    "use a larger machineType, or lower their max instances",
            ]);
            expect(violationsOf(found, CAPACITY).map((d) => d.propertyPath), mode).to.deep.equal(["machineType", "maxInstances", undefined]);
        }
    });

    it("the same fixture is accepted under the generic profile (advisory only: the ratio and floors are team requirements)", async function () {
        for (const [mode, stack] of shapes(microFixture())) {
            const found = await analyzeStack(stack, PROFILES.generic);
            expect(mandatory(found), mode).to.deep.equal([]);
            // Google's own minimums: no floor finding; the team ratio is still reported, as advice.
            expect(details(found).map((d) => d.split(" carries ")[1]?.slice(0, 22)), mode).to.deep.equal(["3 Cloud Run instances "]);
            expect(violationsOf(found, CAPACITY).map((d) => d.enforcementLevel)).to.deep.equal(["advisory"]);
        }
    });

    it("the staging stack (e2-standard-4, 2..6, service maxInstanceCount 10) is accepted, applied and in a fresh preview", async function () {
        for (const freshPreview of [false, true]) {
            const stack = stagingStack({ freshPreview });
            const found = await analyzeStack(freshPreview ? withComputedSizesUnknown(stack) : stack, PROFILES.staging);
            expect(ofPolicy(found, CAPACITY), `freshPreview ${freshPreview}`).to.deep.equal([]);
        }
    });

    it("the staging stack is refused once the service outgrows the connector (10 → 97 instances > 6 × 16)", async function () {
        const found = await analyzeStack(stagingStack({ service: (p) => { p.template.scaling.maxInstanceCount = 97; } }), PROFILES.staging);
        expect(details(found)).to.have.length(1);
        expect(details(found)[0]).to.contain(`VPC connector projects/${GCP_PROJECT}/locations/${REGION}/connectors/${CONNECTOR_NAME} carries 96 Cloud Run ` +
            "instances at its largest size (maxInstances 6 × 16 per e2-standard-4 instance, the team's ratio), but the workloads using it can run 97 together");
    });

    // Throughput form: CyyyP4ERPnk/CDR-Demo Network/VPC_connector.tf sizes its connector by min_throughput 200 /
    // max_throughput 800 with no machine type (e2-micro). Below, the same form carries the acceptance sizes (200/300 = 2..3 instances).
    const throughputConnector = (max: number) => ({ minThroughput: 200, maxThroughput: max });

    it("a throughput-sized connector (200/300, no instances) is handled the same way, also with its computed instance counts unknown", async function () {
        for (const [mode, stack] of shapes(microFixture(throughputConnector(300)))) {
            const staging = await analyzeStack(mode === "preview" ? withComputedSizesUnknown(stack) : stack, PROFILES.staging);
            expect(details(staging), mode).to.deep.equal([
                `VPC connector projects/${PROJECT}/locations/us-central1/connectors/vpc-con: machineType e2-micro is not one the team allows (e2-standard-4): ` +
                    "an e2-micro connector carries about 200-1000 Mbps from 2 to 10 instances (100 Mbps per instance), against 3200-16000 Mbps for e2-standard-4; " +
                    "set machineType to e2-standard-4",
                `VPC connector projects/${PROJECT}/locations/us-central1/connectors/vpc-con: maxThroughput 300 (3 instances) is below the team's minimum ` +
                    "maxThroughput of 400; set maxThroughput to at least 400",
                `VPC connector projects/${PROJECT}/locations/us-central1/connectors/vpc-con carries 3 Cloud Run instances at its largest size ` +
                    "(maxThroughput 300 (3 instances) × 1 per e2-micro instance, the team's ratio), but the workloads using it can run 10 together " +
                    "(service cloudrun-service: 10). Raise the connector's max size (maxInstances up to 10), use a larger machineType, or lower their max instances",
            ]);
            expect(cantRun(staging), mode).to.deep.equal([]);
            expect(mandatory(await analyzeStack(stack, PROFILES.generic)), mode).to.deep.equal([]);
        }
    });

    it("after apply the API reports both forms; instances decide and the message shows the throughput too", async function () {
        const found = await analyzeStack(engineResources(microFixture({ minInstances: 2, maxInstances: 3, minThroughput: 200, maxThroughput: 300 }), "applied"), PROFILES.staging);
        expect(details(found)[1]).to.contain("maxInstances 3 (maxThroughput 300) is below the team's minimum maxInstances of 4");
    });

    it("CDR-Demo's 200/800 carries 8 of 10; at 200/1000 the capacity fits and only the machine type remains", async function () {
        const of = async (max: number) => details(await analyzeStack(engineResources(microFixture(throughputConnector(max)), "applied"), PROFILES.staging));
        expect((await of(800)).filter((d) => isCapacity(d) && d.includes(" carries 8 Cloud Run instances"))).to.have.length(1);
        const at1000 = await of(1000);
        expect(at1000).to.have.length(1);
        expect(at1000[0]).to.contain("machineType e2-micro is not one the team allows");
    });
});

describe("vpcaccess-connector-capacity: unknown sizes in preview silence only the checks that need them", function () {
    it("a connector max not known yet: the machine type and minInstances are still judged, the capacity waits", async function () {
        const stack = engineResources(microFixture({ minInstances: 1, maxInstances: UNKNOWN.string, machineType: "e2-micro" }), "applied");
        const found = await analyzeStack(stack, PROFILES.staging);
        expect(details(found).map((d) => d.split(": ")[1].split(" ")[0])).to.deep.equal(["machineType", "minInstances"]);
        expect(cantRun(found)).to.have.length(1);
    });

    it("a machine type not known yet: sizes are still judged, the capacity waits", async function () {
        const stack = engineResources(microFixture({ minInstances: 2, maxInstances: 3, machineType: UNKNOWN.string }), "applied");
        const found = await analyzeStack(stack, PROFILES.staging);
        expect(details(found).map((d) => d.split(": ")[1].split(" ")[0])).to.deep.equal(["maxInstances"]);
        expect(cantRun(found)).to.have.length(1);
    });

    it("a service max not known yet: undecided while the rest fits, reported once the known part alone is too much", async function () {
        const fits = await analyzeStack(engineResources(microFixture(undefined, UNKNOWN.number), "applied"), stagingWith({ allowedMachineTypes: ["e2-micro"], minMaxInstances: 3 }));
        expect(details(fits)).to.deep.equal([]);
        expect(cantRun(fits)).to.have.length(1);

        const fixture = microFixture(undefined, UNKNOWN.number);
        fixture.resources.push({ ...microFixture().resources[1], name: "second" });
        (fixture.resources[2].props as Tree).name = "second-service";
        const over = details(await analyzeStack(engineResources(fixture, "applied"), stagingWith({ allowedMachineTypes: ["e2-micro"], minMaxInstances: 3 })));
        expect(over).to.have.length(1);
        expect(over[0]).to.contain("can run at least 11 together (service cloudrun-service: not known yet; service second-service: 10)");
    });

    it("a connector id not known yet resolves through the template's dependencies; with none, the verdict waits", async function () {
        const stack = engineResources(microFixture(), "preview");
        expect(details(await analyzeStack(stack, PROFILES.staging)).filter(isCapacity)).to.have.length(1);
        const service = stack.find((r) => r.type === T.v2Service)!;
        service.propertyDependencies = {};
        service.dependencies = [];
        const found = await analyzeStack(stack, PROFILES.staging);
        expect(details(found).filter(isCapacity)).to.deep.equal([]);
        expect(cantRun(found)).to.have.length(1);
    });
});

describe("vpcaccess-connector-capacity: v1, jobs, worker pools and external connectors", function () {
    /**
     * KaT0819/memorystore-redis-from-cloudrun main.tf: a v1 service with autoscaling.knative.dev/maxScale "5" and the
     * run.googleapis.com/vpc-access-connector annotation naming the connector; its README creates that connector with
     * gcloud defaults (e2-micro, 2..10 instances), so to this stack it is external.
     */
    const v1Stack = (maxScale: string): TestResource[] => [{
        type: T.v1Service, name: "gcr_service",
        props: {
            name: "mygcrservice", location: "asia-northeast1", project: PROJECT,
            autogenerateRevisionName: true,
            template: {
                metadata: { annotations: { "autoscaling.knative.dev/maxScale": maxScale, "run.googleapis.com/vpc-access-connector": "redis-net", "run.googleapis.com/vpc-access-egress": "all" } },
                spec: { containers: [{ image: HELLO, resources: { limits: { cpu: "1000m", memory: "512M" } } }] },
            },
        },
    }];
    const redisNet = { connector: "redis-net", machineType: "e2-micro", minInstances: 2, maxInstances: 10 };

    it("an external connector listed with its sizes gets the same checks, reported on the service", async function () {
        const config = stagingWith({ externalConnectorSizes: [redisNet] });
        const fits = await analyzeStack(v1Stack("5"), config);
        expect(details(fits)).to.deep.equal([
            "VPC connector redis-net (externalConnectorSizes): machineType e2-micro is not one the team allows (e2-standard-4): an e2-micro connector " +
                "carries about 200-1000 Mbps from 2 to 10 instances (100 Mbps per instance), against 3200-16000 Mbps for e2-standard-4; set machineType to e2-standard-4",
        ]);
        expect(violationsOf(fits, CAPACITY)[0].urn).to.match(/gcp:cloudrun\/service:Service::gcr_service$/);
        const over = details(await analyzeStack(v1Stack("20"), config));
        expect(over[1]).to.equal("VPC connector redis-net (externalConnectorSizes) carries 10 Cloud Run instances at its largest size (maxInstances 10 × 1 " +
            "per e2-micro instance, the team's ratio), but the workloads using it can run 20 together (service mygcrservice: 20). Raise the connector's " +
            "max size (maxInstances up to 10), use a larger machineType, or lower their max instances");
    });

    it("an external connector listed nowhere is not judged (cloudrun-connector-in-stack owns whether it exists)", async function () {
        expect(ofPolicy(await analyzeStack(v1Stack("20"), PROFILES.staging), CAPACITY)).to.deep.equal([]);
    });

    it("a v1 service without maxScale counts Cloud Run's default 100", async function () {
        const stack = v1Stack("5");
        delete (stack[0].props as Tree).template.metadata.annotations["autoscaling.knative.dev/maxScale"];
        const found = details(await analyzeStack(stack, stagingWith({ externalConnectorSizes: [redisNet], allowedMachineTypes: ["e2-micro"] })));
        expect(found).to.have.length(1);
        expect(found[0]).to.contain("can run 100 together (service mygcrservice: 100 (max instances unset: Cloud Run's default))");
    });

    /**
     * pulumi/pulumi-gcp sdk/nodejs/cloudrunv2/job.ts, "Cloudrunv2 Job Vpcaccess": an e2-standard-4 connector (by subnet,
     * 2..3 instances) and a job using its id; taskCount and parallelism unset (one task at a time).
     */
    function jobFixture(template: Record<string, unknown> = {}): CorpusFixture {
        return {
            title: "Cloudrunv2 Job Vpcaccess",
            source: { repo: "pulumi/pulumi-gcp", path: "sdk/nodejs/cloudrunv2/job.ts" },
            provider: { project: PROJECT, region: "us-central1" },
            resources: [
                { type: "gcp:compute/subnetwork:Subnetwork", name: "custom_test", props: { name: "run-subnetwork", ipCidrRange: "10.2.0.0/28", region: "us-central1", network: "run-network" } },
                {
                    type: T.connector, name: "connector",
                    props: { name: "run-vpc", subnet: { name: out("custom_test", "run-subnetwork") }, machineType: "e2-standard-4", minInstances: 2, maxInstances: 3, region: "us-central1" },
                },
                {
                    type: T.v2Job, name: "default",
                    props: {
                        name: "cloudrun-job", location: "us-central1", deletionProtection: false,
                        template: {
                            ...template,
                            template: {
                                containers: [{ image: "us-docker.pkg.dev/cloudrun/container/job" }],
                                vpcAccess: { connector: out("connector", `projects/${PROJECT}/locations/us-central1/connectors/run-vpc`), egress: "ALL_TRAFFIC" },
                            },
                        },
                    },
                },
            ],
        };
    }

    it("a job counts the tasks it runs at once: one by default, parallelism capped by taskCount", async function () {
        for (const [mode, stack] of shapes(jobFixture())) {
            // 3 instances are below the staging floor of 4; one task is far within 3 × 16.
            expect(details(await analyzeStack(stack, PROFILES.staging)).map((d) => d.split(": ")[1].split(" ")[0]), mode).to.deep.equal(["maxInstances"]);
        }
        const wide = details(await analyzeStack(engineResources(jobFixture({ taskCount: 100, parallelism: 50 }), "applied"), PROFILES.staging));
        expect(wide[1]).to.contain("carries 48 Cloud Run instances at its largest size (maxInstances 3 × 16 per e2-standard-4 instance, the team's ratio), " +
            "but the workloads using it can run 50 together (job cloudrun-job: 50 tasks at once)");
        const capped = details(await analyzeStack(engineResources(jobFixture({ taskCount: 40, parallelism: 0 }), "applied"), PROFILES.staging));
        expect(capped).to.have.length(1);
    });

    it("a worker pool counts its manual instance count, and services sharing one connector add up", async function () {
        const stack = stagingStack();
        const connectorId = `projects/${GCP_PROJECT}/locations/${REGION}/connectors/${CONNECTOR_NAME}`;
        stack.push({
            type: T.v2WorkerPool, name: "consumers",
            props: { name: "consumers", location: REGION, project: GCP_PROJECT, scaling: { manualInstanceCount: 90 }, template: { containers: [{ image: HELLO }], vpcAccess: { connector: connectorId } } },
        });
        const found = details(await analyzeStack(stack, PROFILES.staging));
        expect(found).to.have.length(1);
        expect(found[0]).to.contain("can run 100 together (service backend: 10; worker pool consumers: 90 (manualInstanceCount))");
    });
});

describe("vpcaccess-connector-capacity: configuration", function () {
    it("the ratio is the team's and configurable: a larger e2-micro ratio lets the acceptance fixture's capacity pass", async function () {
        const ratios = { "e2-micro": 4, "f1-micro": 0.5, "e2-standard-4": 16 };
        const found = details(await analyzeStack(engineResources(microFixture(), "applied"), stagingWith({ cloudRunInstancesPerConnectorInstance: ratios })));
        expect(found.filter(isCapacity)).to.deep.equal([]);
        expect(found).to.have.length(2);
    });

    it("floors and machine types relax to Google's own limits", async function () {
        const config = stagingWith({ allowedMachineTypes: ["e2-micro", "f1-micro", "e2-standard-4"], minMaxInstances: 3, cloudRunInstancesPerConnectorInstance: { "e2-micro": 4, "f1-micro": 2, "e2-standard-4": 16 } });
        expect(ofPolicy(await analyzeStack(engineResources(microFixture(), "applied"), config), CAPACITY)).to.deep.equal([]);
    });

    it("refuses a config it cannot use: a ratio missing a machine type, a zero ratio, no allowed machine type, an external entry without a max", async function () {
        const bad: [Record<string, unknown>, RegExp][] = [
            [{ cloudRunInstancesPerConnectorInstance: { "e2-micro": 1 } }, /cloudRunInstancesPerConnectorInstance\.f1-micro is required/],
            [{ cloudRunInstancesPerConnectorInstance: { "e2-micro": 0, "f1-micro": 1, "e2-standard-4": 1 } }, /cloudRunInstancesPerConnectorInstance\.e2-micro must be greater than 0/],
            [{ allowedMachineTypes: [] }, /allowedMachineTypes must list at least one machine type/],
            [{ allowedMachineTypes: ["n1-standard-1"] }, /allowedMachineTypes\[0\] must be one of/],
            [{ externalConnectorSizes: [{ connector: "redis-net", machineType: "e2-micro" }] }, /externalConnectorSizes\[0\] needs maxInstances or maxThroughput/],
            [{ minMaxInstances: 11 }, /minMaxInstances must be at most 10/],
        ];
        for (const [change, expected] of bad) {
            let error: Error | undefined;
            await analyzeStack(engineResources(microFixture(), "applied"), stagingWith(change)).catch((e: Error) => { error = e; });
            expect(error?.message, JSON.stringify(change)).to.match(expected);
        }
    });
});

describe("vpcaccess-connector-capacity: messages show names and numbers only", function () {
    it("a connector or service name that is not a well-formed name is not echoed", async function () {
        const fixture = microFixture();
        fixture.resources[0].props.name = "postgres://admin:hunter2@db";
        (fixture.resources[1].props as Tree).name = "Secret Value hunter2";
        const found = await analyzeStack(engineResources(fixture, "preview"), PROFILES.staging);
        expect(details(found)).to.have.length(3);
        for (const d of ofPolicy(found, CAPACITY)) {
            expect(d.message).not.to.contain("hunter2");
        }
    });
});
