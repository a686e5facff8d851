/**
 * The pack as the CLI sees it: policy list and metadata from GetAnalyzerInfo, config through Configure,
 * good fixtures passing every policy, and the rule that the pack loads no provider SDK.
 */
import { spawnSync } from "child_process";
import { expect } from "chai";
import * as fs from "fs";
import { builtinModules } from "module";
import * as path from "path";
import { CLOUD_RUN_DOCS } from "../../policies/lib/cloud-run-limits";
import { ALL_POLICIES, PACK_NAME } from "../../policies/rules";
import {
    COST_POLICY, POLICIES_DIR, STACK_POLICIES, T, analyzeResource, analyzerInfo, analyzeStack, goodConnector, goodV1Service, goodV2Service, stagingStack, v2Service, withoutCostEstimates,
} from "../helpers/policy-harness";

const EXPECTED_NAMES = [
    "cloudrun-service-valid-resources",
    "cloudrun-service-valid-probes",
    "cloudrun-service-valid-scaling",
    "cloudrun-service-valid-containers",
    "cloudrun-service-valid-vpc",
    "cloudrun-service-resource-floor",
    "cloudrun-service-startup-probe",
    "cloudrun-service-liveness-probe",
    "cloudrun-service-request-timeout",
    "cloudrun-service-env",
    "cloudrun-service-required-secret-env",
    "cloudrun-service-secret-version-pinned",
    "cloudrun-service-identity-and-ingress",
    "cloudrun-invoker-not-public",
    "cloudrun-service-image-digest",
    "cloudrun-service-vpc-egress",
    "vpcaccess-connector-valid",
    "vpcaccess-connector-capacity",
    "cloudrun-secret-refs-resolve",
    "cloudrun-secret-accessor-grants",
    "cloudrun-connector-in-stack",
    "cloudrun-identity-and-image-from-stack",
    "cloudrun-service-monthly-cost",
];
const ADVISORY = ["cloudrun-service-liveness-probe", "cloudrun-service-secret-version-pinned", "cloudrun-service-monthly-cost"];

describe("policy pack", function () {
    describe("metadata served to the CLI", function () {
        it("serves exactly the agreed policies under the pack name", async function () {
            const info = await analyzerInfo();
            expect(info.name).to.equal(PACK_NAME);
            expect(info.policies.map((p) => p.name)).to.deep.equal(EXPECTED_NAMES);
        });

        it("marks the liveness, pinning and cost policies advisory and every other policy mandatory", async function () {
            for (const policy of (await analyzerInfo()).policies) {
                expect(policy.enforcementLevel, policy.name).to.equal(ADVISORY.includes(policy.name) ? "advisory" : "mandatory");
            }
        });

        it("serves the cross-resource checks and the cost estimate as stack policies and the rest as resource policies", async function () {
            for (const policy of (await analyzerInfo()).policies) {
                const expected = [...STACK_POLICIES, COST_POLICY].includes(policy.name) ? "stack" : "resource";
                expect(policy.policyType, policy.name).to.equal(expected);
            }
        });

        it("gives every policy a severity, remediation steps and a Cloud Run documentation url", async function () {
            const docs = Object.values(CLOUD_RUN_DOCS) as string[];
            for (const policy of (await analyzerInfo()).policies) {
                expect(policy.severity, policy.name).to.be.greaterThan(0);
                expect(policy.remediationSteps.length, policy.name).to.be.greaterThan(40);
                expect(docs, policy.name).to.include(policy.url);
                expect(policy.description.length, policy.name).to.be.greaterThan(60);
            }
        });

        it("publishes a default for every config property, equal to the default the code merges in", async function () {
            const served = new Map((await analyzerInfo()).policies.map((p) => [p.name, p]));
            for (const policy of ALL_POLICIES) {
                for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
                    expect(schema, `${policy.name}.${key}`).to.have.property("default");
                    expect(served.get(policy.name)?.configSchema?.properties[key].default, `${policy.name}.${key}`).to.deep.equal(
                        (schema as { default: unknown }).default);
                }
            }
        });

        it("keeps one policy per rules/ file, named after the policy", function () {
            const files = fs.readdirSync(path.join(POLICIES_DIR, "rules")).filter((f) => f !== "index.ts").map((f) => f.replace(/\.ts$/, ""));
            expect(files.sort()).to.deep.equal([...EXPECTED_NAMES].sort());
        });
    });

    describe("imports", function () {
        const sources = ["index.ts", ...["lib", "rules"].flatMap((dir) =>
            fs.readdirSync(path.join(POLICIES_DIR, dir)).filter((f) => f.endsWith(".ts")).map((f) => `${dir}/${f}`))];

        it("imports only relative modules, Node's built-ins and @pulumi/policy, never a provider SDK", function () {
            for (const file of sources) {
                const text = fs.readFileSync(path.join(POLICIES_DIR, file), "utf8");
                const specifiers = [...text.matchAll(/(?:from\s+|import\s+|require\()\s*["']([^"']+)["']/g)].map((m) => m[1]);
                for (const specifier of specifiers) {
                    const allowed = specifier.startsWith(".") || /^@pulumi\/policy(\/|$)/.test(specifier) || builtinModules.includes(specifier.replace(/^node:/, ""));
                    expect(allowed, `${file} imports ${specifier}`).to.equal(true);
                }
            }
        });

        it("loads no provider SDK: the compiled policies, in a fresh process, pull in no @pulumi/gcp module", function () {
            // A fresh process: this mocha process also runs the program, which does load @pulumi/gcp.
            const probe = [
                `require(${JSON.stringify(path.join(POLICIES_DIR, "bin", "rules", "index.js"))});`,
                "console.log(JSON.stringify(Object.keys(require.cache).filter((f) => /[\\/]@pulumi[\\/](gcp|docker)[\\/]/.test(f))));",
            ].join("\n");
            const run = spawnSync(process.execPath, ["-e", probe], { encoding: "utf8" });
            expect(run.status, run.stderr).to.equal(0);
            expect(JSON.parse(run.stdout)).to.deep.equal([]);
        });
    });

    describe("good fixtures", function () {
        it("passes the staging v2 service with no diagnostic at all", async function () {
            expect(await analyzeResource(v2Service(goodV2Service()))).to.deep.equal([]);
        });

        it("passes the same service declared with the v1 API", async function () {
            expect(await analyzeResource({ type: T.v1Service, name: "backend-v1", props: goodV1Service() })).to.deep.equal([]);
        });

        it("passes the staging connector", async function () {
            expect(await analyzeResource({ type: T.connector, name: "backend-staging", props: goodConnector() })).to.deep.equal([]);
        });

        it("passes the staging stack: its only stack diagnostic is the service's cost estimate (advisory)", async function () {
            const diagnostics = await analyzeStack(stagingStack());
            expect(withoutCostEstimates(diagnostics)).to.deep.equal([]);
            expect(diagnostics.map((d) => `${d.enforcementLevel} ${d.policyName}`)).to.deep.equal([`advisory ${COST_POLICY}`]);
        });

        it("ignores resource types it does not police", async function () {
            const props = { name: "bucket", location: "EU", template: { containers: [{ image: "nginx:latest" }] } };
            expect(await analyzeResource({ type: "gcp:storage/bucket:Bucket", name: "b", props })).to.deep.equal([]);
        });
    });

    describe("configuration through Configure", function () {
        const incident = () => {
            const props = goodV2Service();
            props.template.containers[0].resources.limits = { cpu: "1", memory: "512Mi" };
            return v2Service(props);
        };

        it("drops a policy set to \"disabled\"", async function () {
            const enabled = await analyzeResource(incident());
            const disabled = await analyzeResource(incident(), { "cloudrun-service-resource-floor": "disabled" });
            expect(enabled.map((d) => d.policyName)).to.include("cloudrun-service-resource-floor");
            expect(disabled.map((d) => d.policyName)).not.to.include("cloudrun-service-resource-floor");
        });

        it("reports at the configured enforcement level", async function () {
            const diagnostics = await analyzeResource(incident(), { "cloudrun-service-resource-floor": { enforcementLevel: "advisory" } });
            const floor = diagnostics.filter((d) => d.policyName === "cloudrun-service-resource-floor");
            expect(floor).to.have.length(2);
            expect(floor.every((d) => d.enforcementLevel === "advisory")).to.equal(true);
        });

        it("fails, naming the policy and keys, when a configured value has the wrong type (never falls back to the default)", async function () {
            let error: Error | undefined;
            await analyzeResource(incident(), { "cloudrun-service-resource-floor": { minCpu: "lots", minMemory: 3 } }).catch((e: Error) => { error = e; });
            expect(error?.message).to.contain("invalid policy config for cloudrun-service-resource-floor: minCpu must be a number; minMemory must be a string");
        });
    });
});
