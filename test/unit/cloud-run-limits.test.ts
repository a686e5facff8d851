import { expect } from "chai";
import {
    DEFAULT_STARTUP_PROBE, MAX_STARTUP_BUDGET_SECONDS, connectorProblems, parseCpu, parseDurationSeconds, parseIpv4Cidr, parseMemoryMiB,
    gpuProblems, parseSecretName, probeBoundProblems, resourceProblems, startupProbeBoundProblems, startupWindowSeconds,
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
            expect([parseMemoryMiB("lots"), parseMemoryMiB(-1), parseMemoryMiB("2 Gi")]).to.deep.equal([undefined, undefined, undefined]);
            // A number is bytes, as the provider turns it into the same quantity string.
            expect([parseMemoryMiB(2 * 1024 ** 3), parseMemoryMiB("2147483648")]).to.deep.equal([2048, 2048]);
        });

        it("parses request timeouts as protobuf durations", () => {
            expect([parseDurationSeconds("600s"), parseDurationSeconds("1.5s")]).to.deep.equal([600, 1.5]);
            expect([parseDurationSeconds("600"), parseDurationSeconds("10m"), parseDurationSeconds(600)]).to.deep.equal([undefined, undefined, undefined]);
        });

        it("splits secret names in every form, and only well-formed ones (so a parsed name is safe to show)", () => {
            expect(parseSecretName("db-url")).to.deep.equal({ secretId: "db-url" });
            expect(parseSecretName("projects/acme-p1/secrets/db-url")).to.deep.equal({ project: "acme-p1", secretId: "db-url" });
            expect(parseSecretName("projects/123456789012/secrets/db-url")).to.deep.equal({ project: "123456789012", secretId: "db-url" });
            expect(parseSecretName("projects/acme-p1/locations/europe-west1/secrets/db-url"))
                .to.deep.equal({ project: "acme-p1", location: "europe-west1", secretId: "db-url" });
            for (const bad of ["projects/acme-p1/secrets/db-url/versions/3", "postgres://u:pw@h/db", "a secret value", "projects/<x>/secrets/db-url", ""]) {
                expect(parseSecretName(bad), bad).to.equal(undefined);
            }
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
            for (const cpu of ["3", "3.5", "5", "16", "0.05", "0.0005"]) {
                expect(fields({ cpu, memory: "2Gi" }), cpu).to.include("cpu");
            }
        });

        it("applies the fractional-CPU rules: memory caps, concurrency 1 (or unset), cpuIdle, gen1; steps of 0.001", () => {
            expect(resourceProblems({ cpu: "0.5", memory: "1Gi", executionEnvironment: "gen1", concurrency: 1, cpuIdle: true })).to.deep.equal([]);
            // Unset or 0 concurrency below 1 CPU: Cloud Run uses 1 (API reference).
            expect(resourceProblems({ cpu: "0.5", memory: "512Mi", executionEnvironment: "gen1", concurrency: 0, cpuIdle: true })).to.deep.equal([]);
            expect(resourceProblems({ cpu: "0.5", memory: "512Mi", executionEnvironment: "gen1", cpuIdle: true })).to.deep.equal([]);
            expect(resourceProblems({ cpu: "0.125", memory: "512Mi" })).to.deep.equal([]);
            expect(resourceProblems({ cpu: "125m", memory: "512Mi" })).to.deep.equal([]);
            expect(fields({ cpu: "0.1255", memory: "512Mi" })).to.deep.equal(["cpu"]);
            expect(fields({ cpu: "0.25", memory: "1Gi" })).to.deep.equal(["memory"]);
            expect(fields({ cpu: "0.5", memory: "2Gi" })).to.deep.equal(["memory"]);
            expect(fields({ cpu: "0.5", memory: "512Mi", concurrency: 80, cpuIdle: false, executionEnvironment: "gen2" }))
                .to.have.members(["concurrency", "cpuIdle", "executionEnvironment"]);
        });

        it("judges what it can when cpu or memory is not known: 64Gi fits no CPU", () => {
            expect(fields({ memory: "64Gi" })).to.deep.equal(["memory"]);
            expect(fields({ cpu: "3" })).to.deep.equal(["cpu"]);
            expect(resourceProblems({ memory: "2Gi" })).to.deep.equal([]);
        });

        it("never quotes the given text, only parsed numbers", () => {
            const messages = resourceProblems({ cpu: "s3cr3t value", memory: "hunter2 pw" }).map((p) => p.message).join("\n");
            expect(messages).to.include("cpu is not a CPU quantity");
            expect(messages).not.to.include("s3cr3t").and.not.to.include("hunter2");
        });

        it("knows the GPU minimums (L4: 4 CPU, 16Gi, CPU always allocated)", () => {
            expect(gpuProblems("nvidia-l4", { cpu: "4", memory: "16Gi", cpuIdle: false })).to.deep.equal([]);
            expect(gpuProblems("nvidia-l4", { cpu: "2", memory: "8Gi", cpuIdle: true }).map((p) => p.field)).to.deep.equal(["cpu", "memory", "cpuIdle"]);
            expect(gpuProblems("nvidia-l4", { memory: "8Gi" }).map((p) => p.field)).to.deep.equal(["memory"]);
            expect(gpuProblems("some-future-gpu", { cpu: "1" })).to.deep.equal([]);
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
            expect(problems.join("\n")).to.include("timeoutSeconds 480 must be at most periodSeconds (240)");
        });

        it("rejects a period or initial delay above 240 s, but not a long failure window (no services page caps it)", () => {
            expect(startupProbeBoundProblems({ periodSeconds: 300 }).join()).to.include("periodSeconds 300 is outside 1 to 240");
            expect(startupProbeBoundProblems({ initialDelaySeconds: 241 }).join()).to.include("initialDelaySeconds 241");
            expect(startupProbeBoundProblems({ periodSeconds: 30, failureThreshold: 10 })).to.deep.equal([]);
        });

        it("liveness bounds: initial delay and period up to 3600, timeout at most the period", () => {
            expect(probeBoundProblems("liveness", { initialDelaySeconds: 3600, periodSeconds: 3600, timeoutSeconds: 3600 })).to.deep.equal([]);
            expect(probeBoundProblems("liveness", { initialDelaySeconds: 3601 }).join()).to.include("initialDelaySeconds 3601 is outside 0 to 3600");
            expect(probeBoundProblems("liveness", { periodSeconds: 0.5 }).join()).to.include("periodSeconds 0.5 is outside 1 to 3600");
            expect(probeBoundProblems("liveness", { periodSeconds: 5, timeoutSeconds: 6 }).join()).to.include("timeoutSeconds 6 must be at most periodSeconds (5)");
        });

        it("an unknown field silences only the checks that need it", () => {
            const unknownDelay = new Set(["initialDelaySeconds"]);
            expect(probeBoundProblems("startup", { periodSeconds: 5, timeoutSeconds: 6 }, unknownDelay).join()).to.include("timeoutSeconds 6");
            expect(probeBoundProblems("startup", { periodSeconds: 5, timeoutSeconds: 6 }, new Set(["periodSeconds"]))).to.deep.equal([]);
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

        it("finds a CIDR's network address and whether host bits are set (no 32-bit overflow above 128.0.0.0)", () => {
            const network = (range: string) => {
                const cidr = parseIpv4Cidr(range);
                return cidr && [cidr.network, cidr.hostBitsSet];
            };
            expect(network("10.8.0.5/28")).to.deep.equal(["10.8.0.0/28", true]);
            expect(network("10.8.0.16/28")).to.deep.equal(["10.8.0.16/28", false]);
            expect(network("192.168.1.17/28")).to.deep.equal(["192.168.1.16/28", true]);
            expect(network("255.255.255.255/28")).to.deep.equal(["255.255.255.240/28", true]);
            expect(network("10.8.0.5/32")).to.deep.equal(["10.8.0.5/32", false]);
            expect(network("172.16.5.4/0")).to.deep.equal(["0.0.0.0/0", true]);
            expect([network("10.8.0.0"), network("10.8.0.256/28"), network("10.8.0.0/33")]).to.deep.equal([undefined, undefined, undefined]);
        });

        it("checks throughput sizing in steps of 100 with max above min", () => {
            expect(connectorProblems({ minThroughput: 200, maxThroughput: 300 })).to.deep.equal([]);
            expect(connectorProblems({ minThroughput: 250, maxThroughput: 200 }).map((p) => p.field)).to.have.members(["minThroughput", "maxThroughput", "maxThroughput"]);
        });
    });
});
