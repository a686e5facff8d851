import { expect } from "chai";
import {
    DEFAULT_STARTUP_PROBE, MAX_STARTUP_BUDGET_SECONDS, connectorProblems, parseCpu, parseDurationSeconds, parseMemoryMiB,
    parseSecretName, resourceProblems, startupProbeBoundProblems, startupWindowSeconds,
} from "../../policies/lib/cloud-run-limits";

const fields = (spec: Parameters<typeof resourceProblems>[0]) => resourceProblems(spec).map((p) => p.field);

describe("Cloud Run limits (the one table config and policies share)", () => {
    describe("quantities", () => {
        it("parses CPU as Cloud Run writes it", () => {
            expect([parseCpu("2"), parseCpu(4), parseCpu("0.5"), parseCpu("1000m")]).to.deep.equal([2, 4, 0.5, 1]);
            expect([parseCpu("two"), parseCpu(""), parseCpu(null), parseCpu(-1), parseCpu("2 cpu")]).to.deep.equal([undefined, undefined, undefined, undefined, undefined]);
        });

        it("parses memory into MiB with binary and decimal units", () => {
            expect([parseMemoryMiB("512Mi"), parseMemoryMiB("2Gi"), parseMemoryMiB("1G")]).to.deep.equal([512, 2048, 1e9 / 1024 ** 2]);
            expect([parseMemoryMiB("lots"), parseMemoryMiB(2048), parseMemoryMiB("2 Gi")]).to.deep.equal([undefined, undefined, undefined]);
        });

        it("parses request timeouts as protobuf durations", () => {
            expect([parseDurationSeconds("600s"), parseDurationSeconds("1.5s")]).to.deep.equal([600, 1.5]);
            expect([parseDurationSeconds("600"), parseDurationSeconds("10m"), parseDurationSeconds(600)]).to.deep.equal([undefined, undefined, undefined]);
        });

        it("splits secret names in both forms", () => {
            expect(parseSecretName("db-url")).to.deep.equal({ secretId: "db-url" });
            expect(parseSecretName("projects/p1/secrets/db-url")).to.deep.equal({ project: "p1", secretId: "db-url" });
            expect(parseSecretName("projects/p1/secrets/db-url/versions/3")).to.equal(undefined);
        });
    });

    describe("CPU / memory combinations", () => {
        it("accepts the documented table's edges", () => {
            for (const [cpu, memory] of [["1", "512Mi"], ["1", "4Gi"], ["2", "8Gi"], ["4", "2Gi"], ["4", "16Gi"], ["6", "24Gi"], ["8", "32Gi"]]) {
                expect(resourceProblems({ cpu, memory, executionEnvironment: "gen2" }), `${cpu}/${memory}`).to.deep.equal([]);
            }
        });

        it("rejects memory above what the CPU allows, and below the minimum some CPUs need", () => {
            expect(fields({ cpu: "1", memory: "8Gi" })).to.deep.equal(["memory"]);
            expect(fields({ cpu: "4", memory: "1Gi" })).to.deep.equal(["memory"]);
            expect(fields({ cpu: "8", memory: "2Gi" })).to.deep.equal(["memory"]);
            expect(resourceProblems({ cpu: "2", memory: "16Gi" })[0].message).to.include("needs at least 4 CPU");
        });

        it("rejects CPU values Cloud Run does not offer", () => {
            for (const cpu of ["3", "3.5", "5", "16", "0.05"]) {
                expect(fields({ cpu, memory: "2Gi" }), cpu).to.include("cpu");
            }
        });

        it("applies the fractional-CPU rules: memory caps, concurrency 1, cpuIdle, gen1", () => {
            expect(resourceProblems({ cpu: "0.5", memory: "1Gi", executionEnvironment: "gen1", concurrency: 1, cpuIdle: true })).to.deep.equal([]);
            expect(fields({ cpu: "0.25", memory: "1Gi" })).to.deep.equal(["memory"]);
            expect(fields({ cpu: "0.5", memory: "2Gi" })).to.deep.equal(["memory"]);
            expect(fields({ cpu: "0.5", memory: "512Mi", concurrency: 80, cpuIdle: false, executionEnvironment: "gen2" }))
                .to.have.members(["concurrency", "cpuIdle", "executionEnvironment"]);
        });

        it("knows the gen2 memory minimum", () => {
            expect(fields({ cpu: "1", memory: "256Mi", executionEnvironment: "gen2" })).to.deep.equal(["memory"]);
            expect(fields({ cpu: "1", memory: "256Mi", executionEnvironment: "gen1" })).to.deep.equal([]);
        });
    });

    describe("startup probe bounds", () => {
        it("Cloud Run's default probe is TCP 240 s × 1: a 240 s window", () => {
            expect(startupWindowSeconds(DEFAULT_STARTUP_PROBE)).to.equal(240);
        });

        it("rejects the incident's proposed fix: timeoutSeconds 480 with periodSeconds 240", () => {
            const problems = startupProbeBoundProblems({ timeoutSeconds: 480, periodSeconds: 240, failureThreshold: 1 });
            expect(problems.join("\n")).to.include("timeoutSeconds 480 must be 1 to periodSeconds (240)");
        });

        it("rejects a period or initial delay above 240 s and a failure window above 240 s", () => {
            expect(startupProbeBoundProblems({ periodSeconds: 300 }).join()).to.include("periodSeconds 300 is outside 1 to 240");
            expect(startupProbeBoundProblems({ initialDelaySeconds: 241 }).join()).to.include("initialDelaySeconds 241");
            expect(startupProbeBoundProblems({ periodSeconds: 30, failureThreshold: 10 }).join()).to.include("exceeds 240s");
        });

        it("the largest coverable startup is 480 s (240 s delay + 240 s window)", () => {
            expect(MAX_STARTUP_BUDGET_SECONDS).to.equal(480);
        });
    });

    describe("connectors", () => {
        it("accepts a valid connector", () => {
            expect(connectorProblems({ name: "backend-staging", ipCidrRange: "10.8.0.0/28", minInstances: 2, maxInstances: 3, machineType: "e2-micro" })).to.deep.equal([]);
        });

        it("names each bad field", () => {
            const problems = connectorProblems({ name: "1bad", ipCidrRange: "10.8.0.0/24", minInstances: 1, maxInstances: 11, machineType: "n2-standard-2" });
            expect(problems.map((p) => p.field)).to.have.members(["name", "ipCidrRange", "minInstances", "maxInstances", "machineType"]);
        });

        it("checks throughput sizing in steps of 100 with max above min", () => {
            expect(connectorProblems({ minThroughput: 200, maxThroughput: 300 })).to.deep.equal([]);
            expect(connectorProblems({ minThroughput: 250, maxThroughput: 200 }).map((p) => p.field)).to.have.members(["minThroughput", "maxThroughput", "maxThroughput"]);
        });
    });
});
