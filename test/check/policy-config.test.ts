/**
 * Policy-config errors as the offline check reports them (`--policy-pack-config <file>`): each names the file and,
 * where it can be found, line:column; says what the value must be in words (never a raw regex); and suggests the
 * policy a misspelled name most likely meant. Functions are called directly with this pack's real schemas; the
 * check-cli tests cover the same messages end to end.
 */
import { expect } from "chai";
import {
    ConfigurablePolicy, JsonSchema, PolicyConfigError, closestName, reconcilePolicyConfig,
} from "../../tools/analyzer";
import { parsePolicyConfig, policyConfigErrorText, syntaxErrorOffset } from "../../tools/check/policy-config";
import { ALL_POLICIES, PACK_NAME } from "../../policies/rules";

const FILE = "policies/policy-config.mine.json";
const PACK = { name: PACK_NAME, version: "0.1.0" };
/** The pack's policies as GetAnalyzerInfo gives them to the check. */
const POLICIES: ConfigurablePolicy[] = ALL_POLICIES.map((p) => ({
    name: p.name,
    enforcementLevel: p.enforcementLevel,
    configSchema: p.configSchema ? { properties: p.configSchema.properties as Record<string, JsonSchema>, required: p.configSchema.required ?? [] } : undefined,
}));
const NAMES = POLICIES.map((p) => p.name);

/** `FILE:line:column` of the first occurrence of `needle` in `text` (plus `shift` characters), counted here by hand. */
function at(text: string, needle: string, shift = 0): string {
    const offset = text.indexOf(needle) + shift;
    expect(offset, needle).to.be.greaterThan(shift - 1);
    const lines = text.slice(0, offset).split("\n");
    return `${FILE}:${lines.length}:${lines[lines.length - 1].length + 1}`;
}

/** A syntax error's message up to V8's own reason (whose words can change between Node versions). */
function notJsonAt(location: string): RegExp {
    return new RegExp(`^--policy-pack-config ${location.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not valid JSON: [^\n]+$`);
}

/** The message readPolicyConfig would give for this text. */
function syntaxError(text: string): string {
    expect(() => parsePolicyConfig(text, FILE)).to.throw();
    try {
        parsePolicyConfig(text, FILE);
    } catch (e) {
        return (e as Error).message;
    }
    return "";
}

/** The check's error text for a file whose text is `text` (throws if the pack accepts it). */
function configErrorText(text: string): string {
    const source = parsePolicyConfig(text, FILE);
    try {
        reconcilePolicyConfig(POLICIES, {}, source.config, PACK);
    } catch (e) {
        expect(e).to.be.instanceOf(PolicyConfigError);
        return policyConfigErrorText(e as PolicyConfigError, source);
    }
    expect.fail("the pack accepted the config");
}

/** Every `pattern` in a schema, with whether the schema that holds it describes it. */
function patterns(schema: unknown, at: string): { at: string; described: boolean }[] {
    if (typeof schema !== "object" || schema === null) {
        return [];
    }
    const s = schema as Record<string, unknown>;
    const own = typeof s.pattern === "string" ? [{ at, described: typeof s.description === "string" && s.description !== "" }] : [];
    const nested = [
        ...Object.entries((s.properties ?? {}) as Record<string, unknown>).map(([k, v]) => patterns(v, `${at}.${k}`)),
        ...[s.items].flat().map((item) => patterns(item, `${at}[]`)),
    ];
    return [...own, ...nested.flat()];
}

describe("policy config errors (--policy-pack-config), as the check reports them", function () {
    describe("a file that is not JSON: file:line:column, from JSON.parse's offset", function () {
        it("a trailing comma in an object (V8 gives a position)", function () {
            const text = '{\n  "cloudrun-service-resource-floor": {\n    "minCpu": 2,\n  }\n}\n';
            expect(at(text, "}")).to.equal(`${FILE}:4:3`);
            expect(syntaxError(text)).to.match(notJsonAt(`${FILE}:4:3`)).and.not.to.include("position");
        });

        it("a trailing comma in an array (V8 names only the token; it is found by parsing prefixes)", function () {
            const text = '{\n  "cloudrun-secret-refs-resolve": {\n    "externalSecrets": ["db-url",]\n  }\n}\n';
            expect(syntaxError(text)).to.match(notJsonAt(at(text, ",]", 1))).and.to.include("']'");
        });

        it("a file cut short points past its last character, and the message never copies the file's text", function () {
            const cut = '{\n  "all": ';
            expect(syntaxError(cut)).to.match(notJsonAt(at(cut, ": ", 2)));
            const literal = '{\n  "all": tru,\n  "secretish": "hunter2"\n}';
            const copied = syntaxError(literal);
            expect(copied).to.match(notJsonAt(at(literal, "tru,", 3)));
            expect(copied).not.to.include("hunter2");
        });

        it("the offset search agrees with the offsets V8 does give", function () {
            for (const text of ['{"a": 1,}', '{"a" 1}', '{"a": [1, 2}', '{"a": "x"} y']) {
                let message = "";
                try {
                    JSON.parse(text);
                } catch (e) {
                    message = (e as Error).message;
                }
                const position = Number(/at position (\d+)/.exec(message)?.[1]);
                expect(syntaxErrorOffset(text, message), text).to.equal(position);
            }
        });
    });

    describe("values the engine refuses: where, and what the value must be, in words", function () {
        it("a pattern is explained by its schema's description, never shown as a regex", function () {
            const text = [
                "{",
                '  "cloudrun-service-resource-floor": { "enforcementLevel": "mandatory", "minMemory": "0" },',
                '  "cloudrun-secret-refs-resolve": { "externalSecrets": ["db-url", "projects//secrets/x"] }',
                "}",
            ].join("\n");
            const lines = configErrorText(text).split("\n");
            expect(lines[0]).to.equal(`--policy-pack-config ${FILE}: 2 problems (pulumi preview refuses this file too):`);
            expect(lines[1]).to.equal(`  ${at(text, '"0"')}: cloudrun-service-resource-floor.minMemory is not in the form its schema describes: ` +
                'A positive memory quantity such as "2Gi" or "512Mi" (at most 32Gi): the smallest memory limit the main container may declare.');
            expect(lines[2]).to.equal(`  ${at(text, '"projects//')}: cloudrun-secret-refs-resolve.externalSecrets[1] is not in the form its schema describes: ` +
                'a secret id such as "db-url" (1-255 letters, digits, "-" or "_"), or its path "projects/<project>/secrets/<id>" or ' +
                '"projects/<project>/locations/<region>/secrets/<id>"');
            expect(lines.join("\n")).not.to.match(/\^|\$|\[\^/);
        });

        it("types, bounds and repeats in words, in the file's order, each at its line and column", function () {
            const text = [
                "{",
                '  "cloudrun-service-required-secret-env": { "requiredSecretEnv": ["A", "A"] },',
                '  "cloudrun-service-request-timeout": { "minSeconds": "600s", "maxSeconds": 0 }',
                "}",
            ].join("\n");
            expect(configErrorText(text).split("\n").slice(1)).to.deep.equal([
                `  ${at(text, '["A"')}: cloudrun-service-required-secret-env.requiredSecretEnv must not repeat an item (items 1 and 0 are the same)`,
                `  ${at(text, '"600s"')}: cloudrun-service-request-timeout.minSeconds must be an integer, not a string`,
                `  ${at(text, "0 }")}: cloudrun-service-request-timeout.maxSeconds must be at least 1`,
            ]);
        });

        it("an enforcement level that does not exist: the levels, and the one most likely meant", function () {
            const text = '{\n  "cloudrun-service-resource-floor": { "enforcementLevel": "mandtory" }\n}';
            expect(configErrorText(text)).to.equal([
                `--policy-pack-config ${FILE}: 1 problem (pulumi preview refuses this file too):`,
                `  ${at(text, '"mandtory"')}: cloudrun-service-resource-floor.enforcementLevel is not an enforcement level; ` +
                    'use one of "advisory", "mandatory", "remediate", "disabled"; did you mean "mandatory"?',
            ].join("\n"));
        });

        it("an out-of-range number names the file, line and column", function () {
            const text = '{\n  "cloudrun-service-resource-floor": { "minCpu": 1e999 }\n}';
            expect(syntaxError(text)).to.equal(`--policy-pack-config ${at(text, "1e999")}: the number at cloudrun-service-resource-floor.minCpu is out of range; the engine cannot read it`);
        });

        it("every pattern in the pack's config schemas carries a description to say it in words", function () {
            const found = POLICIES.flatMap((p) => Object.entries(p.configSchema?.properties ?? {}).flatMap(([key, schema]) => patterns(schema, `${p.name}.${key}`)));
            expect(found.length).to.be.greaterThan(0);
            expect(found.filter((f) => !f.described).map((f) => f.at)).to.deep.equal([]);
        });
    });

    describe("a misspelled policy name: did you mean", function () {
        it("a typo, or a name with a part left out, suggests the policy; a vague word suggests nothing", function () {
            expect(closestName("cloudrun-service-resource-flor", NAMES)).to.equal("cloudrun-service-resource-floor");
            expect(closestName("cloudrun-resource-floor", NAMES)).to.equal("cloudrun-service-resource-floor");
            expect(closestName("resource-floor", NAMES)).to.equal("cloudrun-service-resource-floor");
            expect(closestName("cloudrun-request-timout", NAMES)).to.equal("cloudrun-service-request-timeout");
            expect(closestName("service", NAMES)).to.equal(undefined);
            expect(closestName("cloudrun", NAMES)).to.equal(undefined);
        });

        it("the engine passes an unknown name on, so the check warns (not errs), with the suggestion", function () {
            const { warnings } = reconcilePolicyConfig(POLICIES, {}, { "cloudrun-resource-floor": "disabled" }, PACK);
            expect(warnings).to.deep.equal([
                'policy config names "cloudrun-resource-floor", which this pack does not have; the engine passes it on and it has no effect; ' +
                'did you mean "cloudrun-service-resource-floor"?',
            ]);
        });

        it("an unknown name with settings but no level is an error (the engine's too), at the name, with the suggestion", function () {
            const text = '{\n  "cloudrun-resource-floor": { "minCpu": 4 }\n}';
            expect(configErrorText(text).split("\n")[1]).to.equal(
                `  ${at(text, '"cloudrun-resource-floor"')}: cloudrun-resource-floor sets properties but no enforcement level, and the pack has no policy ` +
                'of that name, so pulumi preview fails on it (invalid enforcement level ""); did you mean "cloudrun-service-resource-floor"?');
        });
    });
});
