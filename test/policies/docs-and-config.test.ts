/** docs/policies.md and the shipped profiles (policies/policy-config.*.json) stay in step with the policies' metadata. */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ALL_POLICIES } from "../../policies/rules";
import { POLICY_DOCS_PATH, renderPolicyDocs } from "../../tools/gen-policy-docs";
import {
    EnforcementLevel, PackConfig, POLICIES_DIR, analyzeResource, analyzerInfo, goodV2Service, schemaErrors, v2Service,
} from "../helpers/policy-harness";

const STAGING_PATH = path.join(POLICIES_DIR, "policy-config.staging.json");
const GENERIC_PATH = path.join(POLICIES_DIR, "policy-config.generic.json");
const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

function readProfile(file: string): PackConfig {
    return JSON.parse(fs.readFileSync(file, "utf8")) as PackConfig;
}
const example = () => readProfile(STAGING_PATH);

function propertiesOf(entry: PackConfig[string]): Record<string, unknown> {
    if (typeof entry === "string") {
        return {};
    }
    const { enforcementLevel: _level, ...properties } = entry;
    return properties;
}

describe("generated policy docs", function () {
    it("docs/policies.md is what tools/gen-policy-docs.ts generates (run npm run docs:policies)", function () {
        expect(fs.readFileSync(POLICY_DOCS_PATH, "utf8")).to.equal(renderPolicyDocs());
    });

    it("documents every policy with its level, severity, fix and each config key with its default", function () {
        const docs = renderPolicyDocs();
        for (const policy of ALL_POLICIES) {
            const section = docs.slice(docs.indexOf(`## \`${policy.name}\``));
            expect(section, policy.name).to.contain(`**${policy.enforcementLevel}** · severity **${policy.severity}**`);
            expect(section, policy.name).to.contain(policy.remediationSteps);
            for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
                expect(section, `${policy.name}.${key}`).to.contain(`| \`${key}\` |`);
                expect(section, `${policy.name}.${key}`).to.contain(`\`${JSON.stringify((schema as { default: unknown }).default)}\``);
            }
        }
    });
});

describe("policies/policy-config.staging.json (this backend's staging requirements: the pack's defaults, spelled out)", function () {
    it("lists every policy of the pack, and nothing else", async function () {
        expect(Object.keys(example()).sort()).to.deep.equal((await analyzerInfo()).policies.map((p) => p.name).sort());
    });

    it("gives each policy its own enforcement level", async function () {
        const levels = new Map((await analyzerInfo()).policies.map((p) => [p.name, p.enforcementLevel]));
        for (const [name, entry] of Object.entries(example())) {
            const level = typeof entry === "string" ? entry : entry.enforcementLevel;
            expect(LEVELS, name).to.include(level);
            expect(level, name).to.equal(levels.get(name));
        }
    });

    it("validates every entry against the policy's served configSchema", async function () {
        const schemas = new Map((await analyzerInfo()).policies.map((p) => [p.name, p.configSchema]));
        for (const [name, entry] of Object.entries(example())) {
            const schema = schemas.get(name);
            const errors = schemaErrors(propertiesOf(entry), {
                type: "object",
                properties: schema?.properties ?? {},
                required: schema?.required ?? [],
                additionalProperties: false,
            }, name);
            expect(errors, name).to.deep.equal([]);
        }
    });

    it("lists every threshold with its default value", function () {
        const config = example();
        for (const policy of ALL_POLICIES) {
            const defaults = Object.fromEntries(Object.entries(policy.configSchema?.properties ?? {})
                .map(([key, schema]) => [key, (schema as { default: unknown }).default]));
            expect(propertiesOf(config[policy.name]), policy.name).to.deep.equal(defaults);
        }
    });

    it("is a config the pack accepts, giving the same verdicts as no config", async function () {
        const props = goodV2Service();
        props.template.containers[0].resources.limits = { cpu: "1", memory: "512Mi" };
        const strip = (ds: { policyName: string; detail: string }[]) => ds.map((d) => `${d.policyName}: ${d.detail}`);
        expect(strip(await analyzeResource(v2Service(props), example()))).to.deep.equal(strip(await analyzeResource(v2Service(props))));
    });

    it("policy-config.generic.json lists every policy and validates against the served schemas", async function () {
        const info = (await analyzerInfo()).policies;
        const generic = readProfile(GENERIC_PATH);
        expect(Object.keys(generic).sort()).to.deep.equal(info.map((p) => p.name).sort());
        for (const policy of info) {
            const entry = generic[policy.name];
            const level = typeof entry === "string" ? entry : entry.enforcementLevel;
            expect(LEVELS, policy.name).to.include(level);
            const errors = schemaErrors(propertiesOf(entry), {
                type: "object", properties: policy.configSchema?.properties ?? {}, required: [], additionalProperties: false,
            }, policy.name);
            expect(errors, policy.name).to.deep.equal([]);
        }
    });

    it("the schema check itself rejects wrong types, bounds, patterns and unknown keys", function () {
        const floor = ALL_POLICIES.find((p) => p.name === "cloudrun-service-resource-floor")!;
        const schema = { type: "object" as const, additionalProperties: false, properties: floor.configSchema!.properties };
        expect(schemaErrors({ minCpu: "2" }, schema)).to.have.length(1);
        expect(schemaErrors({ minCpu: 0 }, schema)).to.have.length(1);
        expect(schemaErrors({ minMemory: "two gigs" }, schema)).to.have.length(1);
        expect(schemaErrors({ minMemory: "0" }, schema)).to.have.length(1);
        expect(schemaErrors({ minCpu: 16 }, schema)).to.have.length(1);
        expect(schemaErrors({ typo: 1 }, schema)).to.have.length(1);
        expect(schemaErrors({ minCpu: 4, minMemory: "8Gi" }, schema)).to.deep.equal([]);
    });
});
