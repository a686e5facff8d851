/**
 * Policy pack configuration as the Pulumi engine handles it (`--policy-pack-config file.json`): parse the file's
 * format, start from each policy's schema defaults, apply the pack's initial config and then the user's, and
 * validate every policy that has a config schema with a real JSON Schema validator against the schema the
 * engine builds, `{type: "object", properties, required}` (pkg/resource/analyzer/config.go).
 *
 * The engine's verdicts are kept exactly: what it rejects fails here with its wording
 * (`validating policy config: <pack> <version>  <policy>: <message>`), what it lets through passes here too.
 * Each error also says, for people, where in the file it is (a JSON path) and what the value must be in words:
 * the engine's own lines can show a raw regex. Where the engine lets through what is probably a mistake (a policy
 * name the pack does not have, a key a schema does not declare), the result carries a warning with a "did you mean".
 */
import type Ajv from "ajv";
import type { ErrorObject } from "ajv";
import { closest, distance } from "fastest-levenshtein";

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** The CLI's policy pack config file: `{"all": "advisory", "p": "disabled", "q": {"enforcementLevel": "mandatory", "k": 1}}`. */
export type PolicyPackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

/** One policy's effective configuration, as sent in ConfigureAnalyzerRequest. */
export interface PolicyConfig {
    enforcementLevel: EnforcementLevel;
    properties: Record<string, unknown>;
}

/** A JSON schema, as policies declare them in configSchema.properties. */
export type JsonSchema = Record<string, unknown>;

/** The parts of GetAnalyzerInfo that reconciling needs. */
export interface ConfigurablePolicy {
    name: string;
    enforcementLevel: EnforcementLevel;
    configSchema?: { properties: Record<string, JsonSchema>; required: string[] };
}

/** What the pack identifies itself as, for the engine's error wording. */
export interface PackIdentity {
    name: string;
    version: string;
}

/** One error in a policy config file, for people: where it is and what the value must be, in words. */
export interface PolicyConfigProblem {
    /** JSON path in the file: [policy name, key, array index, ...]. */
    path: (string | number)[];
    /** Whether the problem is the entry's name (a policy the pack does not have) rather than its value. */
    about: "name" | "value";
    /** What is wrong and what it must be, after the path ("must be an integer, not a string"); never echoes the value. */
    words: string;
}

/**
 * Thrown where the engine fails before the program runs; `problems` are the engine's lines, one per error (the
 * message), `explained` the same errors for people (see PolicyConfigProblem).
 */
export class PolicyConfigError extends Error {
    constructor(readonly problems: string[], readonly explained: PolicyConfigProblem[] = []) {
        super(problems.join("\n"));
        this.name = "PolicyConfigError";
    }
}

/** A problem's path as people write it: `cloudrun-secret-refs-resolve.externalSecrets[0]`. */
export function policyConfigPathText(path: readonly (string | number)[]): string {
    return path.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? part : `.${part}`)).join("");
}

/** The configuration to send (every policy, plus whatever else the file named) and warnings about likely mistakes. */
export interface ReconciledConfig {
    config: Record<string, PolicyConfig>;
    warnings: string[];
}

/**
 * Everything the analyzer should be configured with, as the engine reconciles it, or a PolicyConfigError with
 * the engine's error lines.
 */
export function reconcilePolicyConfig(
    policies: readonly ConfigurablePolicy[],
    initialConfig: Record<string, Partial<PolicyConfig>>,
    userConfig: PolicyPackConfig,
    pack: PackIdentity = { name: "policy-pack", version: "0.0.0" },
): ReconciledConfig {
    const given = parsePolicyPackConfig(userConfig);
    let result = defaultConfig(policies);
    result = applyConfig(result, initialConfig);
    result = applyConfig(result, given);
    // The engine passes on an entry the pack does not know (even "all") with the level it gives, or none at all;
    // Configure then fails on the empty level (analyzer_plugin.go) before the program runs.
    const levelless = Object.keys(given).filter((name) => !policies.some((p) => p.name === name) && given[name].enforcementLevel === undefined);
    if (levelless.length > 0) {
        const names = policies.map((p) => p.name);
        throw new PolicyConfigError(
            levelless.map((name) =>
                `policy config for ${JSON.stringify(name)} sets properties but no enforcement level, and the pack has no policy of that name: ` +
                `the engine fails to configure the pack with invalid enforcement level ""${didYouMean(name, names)}`),
            levelless.map((name) => ({
                path: [name], about: "name",
                words: name === "all"
                    ? `sets properties but no enforcement level: "all" takes only a level (e.g. "all": "advisory"), so pulumi preview fails on it ` +
                        `(invalid enforcement level ""); put settings under each policy's own name`
                    : `sets properties but no enforcement level, and the pack has no policy of that name, so pulumi preview fails on it ` +
                        `(invalid enforcement level "")${didYouMean(name, names)}`,
            })));
    }
    const problems = policies.flatMap((p) => schemaProblems(p, result[p.name]?.properties ?? {}));
    if (problems.length > 0) {
        throw new PolicyConfigError(problems.map((p) => `validating policy config: ${pack.name} ${pack.version}  ${p.engine}`), problems.map((p) => p.explained));
    }
    return { config: result, warnings: likelyMistakes(policies, given) };
}

/** parsePolicyPackConfig in config.go: a level string, or an object whose enforcementLevel (if any) is a valid level. */
function parsePolicyPackConfig(config: PolicyPackConfig): Record<string, Partial<PolicyConfig>> {
    const result: Record<string, Partial<PolicyConfig>> = {};
    for (const [name, value] of Object.entries(config)) {
        let enforcementLevel: EnforcementLevel | undefined;
        let properties: Record<string, unknown> = {};
        if (typeof value === "string") {
            enforcementLevel = checkedLevel(name, value, [name]);
        } else if (isPlainObject(value)) {
            const { enforcementLevel: level, ...rest } = value as Record<string, unknown>;
            if (level !== undefined) {
                if (typeof level !== "string") {
                    throw new PolicyConfigError(
                        [`parsing enforcement level for ${JSON.stringify(name)}: ${JSON.stringify(level)} is not a valid enforcement level; must be a string`],
                        [{ path: [name, "enforcementLevel"], about: "value", words: `must be one of ${LEVELS_TEXT}, not ${article(jsonType(level))}` }]);
                }
                enforcementLevel = checkedLevel(name, level, [name, "enforcementLevel"]);
            }
            properties = rest;
        } else {
            throw new PolicyConfigError(
                [`parsing ${JSON.stringify(name)}: ${JSON.stringify(value)} is not a valid value; must be a string or object`],
                [{ path: [name], about: "value", words: `must be an enforcement level (${LEVELS_TEXT}) or an object of settings, not ${article(jsonType(value))}` }]);
        }
        // The engine drops entries that say nothing.
        if (enforcementLevel !== undefined || Object.keys(properties).length > 0) {
            result[name] = { enforcementLevel, properties };
        }
    }
    return result;
}

const LEVELS_TEXT = ENFORCEMENT_LEVELS.map((level) => JSON.stringify(level)).join(", ");

function checkedLevel(name: string, level: string, path: (string | number)[]): EnforcementLevel {
    if (!(ENFORCEMENT_LEVELS as readonly string[]).includes(level)) {
        throw new PolicyConfigError(
            [`parsing enforcement level for ${JSON.stringify(name)}: ${JSON.stringify(level)} is not a valid enforcement level`],
            [{
                path, about: "value",
                // `"p": "strict"` sets the level directly; `"p": {"enforcementLevel": "strict"}` names it.
                words: `${path.length === 1 ? "has an enforcement level that does not exist" : "is not an enforcement level"}; ` +
                    `use one of ${LEVELS_TEXT}${didYouMean(level, ENFORCEMENT_LEVELS)}`,
            }]);
    }
    return level as EnforcementLevel;
}

/** Each policy's own enforcement level plus the defaults its config schema declares. */
function defaultConfig(policies: readonly ConfigurablePolicy[]): Record<string, PolicyConfig> {
    const result: Record<string, PolicyConfig> = {};
    for (const policy of policies) {
        const properties: Record<string, unknown> = {};
        for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
            if ("default" in schema) {
                properties[key] = structuredClone(schema.default);
            }
        }
        result[policy.name] = { enforcementLevel: policy.enforcementLevel, properties };
    }
    return result;
}

/**
 * applyConfig in config.go: "all" sets every policy's level first; then each named entry, known to the pack or
 * not, sets its level and properties (so an unknown name is passed on to the pack, as the engine does).
 */
function applyConfig(base: Record<string, PolicyConfig>, config: Record<string, Partial<PolicyConfig>>): Record<string, PolicyConfig> {
    const result = { ...base };
    const all = config.all?.enforcementLevel;
    if (all) {
        for (const name of Object.keys(result)) {
            result[name] = { ...result[name], enforcementLevel: all };
        }
    }
    for (const [name, given] of Object.entries(config)) {
        const current = result[name];
        result[name] = {
            // Only an unknown name can lack a level here, and it is refused above.
            enforcementLevel: given.enforcementLevel ?? current?.enforcementLevel ?? "advisory",
            properties: { ...current?.properties, ...given.properties },
        };
    }
    return result;
}

// gojsonschema checks formats (email, uri, date-time, ...) too. `verbose` gives each error the schema it broke,
// whose description says in words what a pattern means. Each schema is compiled for one validation, so Ajv skips
// optimizing the code it generates (compiling takes 40% less). Made on first use: the offline check loads this
// module before it spawns the pack, and the validator is needed only once the pack has answered.
let validator: Ajv | undefined;
function ajv(): Ajv {
    if (!validator) {
        const { default: AjvClass } = require("ajv") as typeof import("ajv");
        const { default: addFormats } = require("ajv-formats") as typeof import("ajv-formats");
        validator = addFormats(new AjvClass({ allErrors: true, strict: false, verbose: true, code: { optimize: false } }));
    }
    return validator;
}

/**
 * Makes the validator and compiles the JSON Schema meta-schema it checks every policy's schema against (about
 * half the cost of the first validation), so that a caller waiting for a pack can do it before the pack answers.
 */
export function preparePolicyConfigValidation(): void {
    ajv().validateSchema({ type: "object" });
}

/** validatePolicyConfig in config.go: each error as the engine's validator words it ("field: description") and explained. */
function schemaProblems(policy: ConfigurablePolicy, properties: Record<string, unknown>): { engine: string; explained: PolicyConfigProblem }[] {
    if (!policy.configSchema) {
        return [];
    }
    const schema: JsonSchema = { type: "object" };
    if (Object.keys(policy.configSchema.properties).length > 0) {
        schema.properties = policy.configSchema.properties;
    }
    if (policy.configSchema.required.length > 0) {
        schema.required = policy.configSchema.required;
    }
    const validate = ajv().compile(schema);
    // The engine sorts its error lines (sort.Strings in pkg/engine/update.go).
    return validate(properties) ? [] : (validate.errors ?? [])
        .map((e) => ({ engine: `${policy.name}: ${engineWording(e, properties)}`, explained: explained(policy.name, e, properties) }))
        .sort((a, b) => (a.engine < b.engine ? -1 : a.engine > b.engine ? 1 : 0));
}

/** One schema error for people: the value's path in the file and what it must be, in words (never the value itself). */
function explained(policy: string, error: ErrorObject, document: unknown): PolicyConfigProblem {
    const segments = error.instancePath.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
    // Array indices as numbers, so the path reads externalSecrets[0] and finds the item in the file.
    const path: (string | number)[] = [policy];
    segments.forEach((segment, i) => path.push(Array.isArray(valueAt(document, segments.slice(0, i))) ? Number(segment) : segment));
    const params = error.params as Record<string, unknown>;
    const schema = (error.parentSchema ?? {}) as JsonSchema;
    const value = valueAt(document, segments);
    const plural = (n: unknown, what: string) => `${String(n)} ${what}${n === 1 ? "" : "s"}`;
    const words = ((): string => {
        switch (error.keyword) {
            case "type":
                return `must be ${String(params.type).split(",").map(article).join(" or ")}, not ${article(jsonType(value))}`;
            case "required":
                return `needs "${String(params.missingProperty)}", which is required`;
            case "minimum":
                return `must be at least ${String(params.limit)}`;
            case "exclusiveMinimum":
                return `must be greater than ${String(params.limit)}`;
            case "maximum":
                return `must be at most ${String(params.limit)}`;
            case "exclusiveMaximum":
                return `must be less than ${String(params.limit)}`;
            case "minLength":
                return params.limit === 1 ? "must not be empty" : `must be at least ${plural(params.limit, "character")} long`;
            case "maxLength":
                return `must be at most ${plural(params.limit, "character")} long`;
            case "pattern":
                // A pack that describes its patterns is understood; one that does not leaves only the regex.
                return typeof schema.description === "string"
                    ? `is not in the form its schema describes: ${schema.description}`
                    : `does not match the pattern ${String(params.pattern)} (the policy's schema gives no description of it)`;
            case "format":
                return `must be a valid ${String(params.format)}`;
            case "enum": {
                const allowed = params.allowedValues as unknown[];
                const strings = allowed.filter((v): v is string => typeof v === "string");
                return `must be one of ${allowed.map((v) => JSON.stringify(v)).join(", ")}${typeof value === "string" ? didYouMean(value, strings) : ""}`;
            }
            case "const":
                return `must be ${JSON.stringify(params.allowedValue)}`;
            case "minItems":
                return `must have at least ${plural(params.limit, "item")}`;
            case "maxItems":
                return `must have at most ${plural(params.limit, "item")}`;
            case "uniqueItems":
                return `must not repeat an item (items ${String(params.j)} and ${String(params.i)} are the same)`;
            case "additionalProperties": {
                const declared = Object.keys((schema.properties ?? {}) as Record<string, unknown>);
                return `has "${String(params.additionalProperty)}", which is not one of its keys${didYouMean(String(params.additionalProperty), declared)}`;
            }
            default:
                return error.message ?? `breaks its schema's "${error.keyword}"`;
        }
    })();
    return { path, about: "value", words };
}

/** "a string", "an integer", "an object". */
function article(type: string): string {
    return `${/^[aeiou]/.test(type) ? "an" : "a"} ${type}`;
}

/** gojsonschema's field naming ("minCpu", "externalGrants.0.secret"; the root is dropped) and descriptions. */
function engineWording(error: ErrorObject, document: unknown): string {
    const segments = error.instancePath.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
    const field = segments.join(".");
    const last = segments[segments.length - 1] ?? "(root)";
    const at = (text: string) => (field ? `${field}: ${text}` : text);
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
        case "type":
            return at(`Invalid type. Expected: ${String(params.type)}, given: ${jsonType(valueAt(document, segments))}`);
        case "required":
            return at(`${String(params.missingProperty)} is required`);
        case "minimum":
            return at(`Must be greater than or equal to ${String(params.limit)}`);
        case "exclusiveMinimum":
            return at(`Must be greater than ${String(params.limit)}`);
        case "maximum":
            return at(`Must be less than or equal to ${String(params.limit)}`);
        case "exclusiveMaximum":
            return at(`Must be less than ${String(params.limit)}`);
        case "minLength":
            return at(`String length must be greater than or equal to ${String(params.limit)}`);
        case "maxLength":
            return at(`String length must be less than or equal to ${String(params.limit)}`);
        case "pattern":
            return at(`Does not match pattern '${String(params.pattern)}'`);
        case "enum":
            return at(`${field || last} must be one of the following: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`);
        case "const":
            return at(`${field || last} does not match: ${JSON.stringify(params.allowedValue)}`);
        case "minItems":
            return at(`Array must have at least ${String(params.limit)} items`);
        case "maxItems":
            return at(`Array must have at most ${String(params.limit)} items`);
        case "format":
            return at(`Does not match format '${String(params.format)}'`);
        case "uniqueItems":
            return at(`array items[${String(params.j)},${String(params.i)}] must be unique`);
        case "additionalProperties":
            return at(`Additional property ${String(params.additionalProperty)} is not allowed`);
        default:
            return at(error.message ?? error.keyword);
    }
}

function valueAt(document: unknown, segments: readonly string[]): unknown {
    return segments.reduce<unknown>((node, key) => (typeof node === "object" && node !== null ? (node as Record<string, unknown>)[key] : undefined), document);
}

/** JSON Schema type names as gojsonschema reports the given value. */
function jsonType(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "array";
    if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
    return typeof value;
}

/** Names the engine passes through silently but that are almost surely typos: unknown policies, undeclared keys. */
function likelyMistakes(policies: readonly ConfigurablePolicy[], given: Record<string, Partial<PolicyConfig>>): string[] {
    const names = policies.map((p) => p.name);
    const warnings: string[] = [];
    for (const [name, entry] of Object.entries(given)) {
        const policy = policies.find((p) => p.name === name);
        if (name === "all") {
            continue;
        }
        if (!policy) {
            warnings.push(`policy config names "${name}", which this pack does not have; the engine passes it on and it has no effect${didYouMean(name, names)}`);
            continue;
        }
        const declared = Object.keys(policy.configSchema?.properties ?? {});
        for (const key of Object.keys(entry.properties ?? {}).filter((k) => !declared.includes(k))) {
            warnings.push(`policy config for ${name} sets "${key}", which its schema does not declare; the engine passes it on and the policy ignores it` +
                (declared.length > 0 ? didYouMean(key, declared) : ` (it has no settings)`));
        }
    }
    return warnings;
}

function didYouMean(word: string, candidates: readonly string[]): string {
    const suggestion = closestName(word, candidates);
    return suggestion === undefined ? "" : `; did you mean "${suggestion}"?`;
}

/**
 * The candidate `word` most likely meant: the nearest by edit distance if near enough (a typo), else the only
 * candidate that has each of the word's hyphen-separated parts (a name with a part left out, such as
 * "cloudrun-resource-floor" or "resource-floor" for "cloudrun-service-resource-floor").
 */
export function closestName(word: string, candidates: readonly string[]): string | undefined {
    if (candidates.length === 0) {
        return undefined;
    }
    const lower = word.toLowerCase();
    const nearest = closest(lower, candidates.map((c) => c.toLowerCase()));
    if (distance(lower, nearest) <= Math.max(2, Math.floor(word.length / 3))) {
        return candidates.find((c) => c.toLowerCase() === nearest);
    }
    const parts = (name: string) => name.toLowerCase().split(/[-_.]/).filter((part) => part !== "");
    const wanted = parts(word);
    // A part matches a candidate's part exactly, or with one typo when it is long enough for that to be telling.
    const partMatches = (part: string, own: string[]) => own.some((o) => o === part || (part.length >= 4 && distance(part, o) <= 1));
    const containing = candidates.filter((c) => wanted.length > 0 && wanted.every((part) => partMatches(part, parts(c))));
    return containing.length === 1 ? containing[0] : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
