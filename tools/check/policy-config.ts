/**
 * `--policy-pack-config <file>` as the check reads it and reports on it. Every error names the file, and the line
 * and column where one can be found (`file:line:column`, as compilers print it, so editors and terminals link to
 * it), and says in words what the value must be.
 */
import * as fs from "fs";
import { Node as YamlNode, parseDocument } from "yaml";
import { walkPath } from "./config-locations";
import { PolicyConfigError, PolicyPackConfig, policyConfigPathText } from "../analyzer/config";

/** A policy config file, read and parsed. */
export interface PolicyConfigFile {
    file: string;
    config: PolicyPackConfig;
    /** The file's text, to find where a problem is. */
    text: string;
}

/** A policy config file the check cannot use; the message names the file (and line:column where known). */
export class PolicyConfigFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PolicyConfigFileError";
    }
}

/** Reads and parses the file as the engine does; throws PolicyConfigFileError. */
export function readPolicyConfig(file: string): PolicyConfigFile {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new PolicyConfigFileError(`cannot read --policy-pack-config ${file}: ${(e as Error).message}`);
    }
    return parsePolicyConfig(text, file);
}

/** The file's text parsed as the engine does; throws PolicyConfigFileError. */
export function parsePolicyConfig(text: string, file: string): PolicyConfigFile {
    if (text.trim() === "") {
        return { file, config: {}, text }; // The engine accepts an empty file as no config.
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (e) {
        const message = (e as Error).message;
        const offset = syntaxErrorOffset(text, message);
        throw new PolicyConfigFileError(`--policy-pack-config ${where(file, text, offset)} is not valid JSON: ${syntaxErrorReason(message)}`);
    }
    const outOfRange = nonFiniteNumberPath(parsed);
    if (outOfRange !== undefined) {
        // Go's JSON decoder, which the engine uses, refuses a number a float64 cannot hold (JSON.parse makes it Infinity).
        throw new PolicyConfigFileError(`--policy-pack-config ${where(file, text, offsetOf(text, outOfRange, "value"))}: ` +
            `the number at ${outOfRange.length > 0 ? policyConfigPathText(outOfRange) : "the top level"} is out of range; the engine cannot read it`);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new PolicyConfigFileError(`--policy-pack-config ${file} must be a JSON object of policy name → level or settings`);
    }
    return { file, config: parsed as PolicyPackConfig, text };
}

/**
 * A PolicyConfigError (what the engine refuses) for people: one line per problem at file:line:column, what the
 * value must be in words. `source` is undefined when no file was given (the pack's own config is at fault).
 */
export function policyConfigErrorText(error: PolicyConfigError, source: PolicyConfigFile | undefined): string {
    if (error.explained.length === 0) {
        return `--policy-pack-config ${source?.file ?? "(none)"}:\n${error.message}`;
    }
    // In the file's order (the engine sorts its lines alphabetically).
    const located = error.explained
        .map((problem) => ({ problem, offset: source ? offsetOf(source.text, problem.path, problem.about) : undefined }))
        .sort((a, b) => (a.offset ?? Infinity) - (b.offset ?? Infinity));
    const lines = located.map(({ problem, offset }) =>
        `  ${source ? where(source.file, source.text, offset) : "(pack default)"}: ${policyConfigPathText(problem.path)} ${problem.words}`);
    const count = `${lines.length} problem${lines.length === 1 ? "" : "s"}`;
    const header = source
        ? `--policy-pack-config ${source.file}: ${count} (pulumi preview refuses this file too):`
        : `the policy pack's own config (no --policy-pack-config given): ${count} (pulumi preview refuses it too):`;
    return [header, ...lines].join("\n");
}

/**
 * A policy that refuses its configured value while it runs (the pack's own check, which a schema cannot express,
 * e.g. a memory quantity above Cloud Run's maximum), for people: the file and the policy's reason. Undefined when
 * `message` (an Analyze failure) is not that.
 */
export function policyConfigValueFailure(message: string, source: PolicyConfigFile | undefined): string | undefined {
    // The pack's PolicyConfigValueError, as @pulumi/policy reports a policy that throws: "...:\nPolicyConfigValueError: <reason>\n    at ...".
    const reason = /^PolicyConfigValueError: (.*)$/m.exec(message)?.[1];
    if (reason === undefined) {
        return undefined;
    }
    if (!source) {
        return `the policy pack's own config (no --policy-pack-config given): ${reason}`;
    }
    // The reason names the policy ("invalid policy config for <policy>: ..."): point at its entry.
    const policy = /^invalid policy config for (\S+):/.exec(reason)?.[1];
    const offset = policy === undefined ? undefined : offsetOf(source.text, [policy], "name");
    return `--policy-pack-config ${where(source.file, source.text, offset)}: ${reason} (the policy refuses it when it runs; pulumi preview fails the same way)`;
}

function where(file: string, text: string, offset: number | undefined): string {
    if (offset === undefined) {
        return file;
    }
    const { line, column } = lineAndColumn(text, offset);
    return `${file}:${line}:${column}`;
}

/** 1-based line and column (in UTF-16 units, as editors count them for these files) of an offset in the text. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
    const before = text.slice(0, offset);
    const line = before.split(/\r\n|\r|\n/).length;
    const lineStart = Math.max(before.lastIndexOf("\n"), before.lastIndexOf("\r")) + 1;
    return { line, column: offset - lineStart + 1 };
}

/**
 * Where JSON.parse stopped. V8 says "at position N" for most errors; at the end of the text for "Unexpected end";
 * for some it names only the token ("Unexpected token ']', "[1,]" is not valid JSON", a trailing comma in an
 * array): the token is then where the text stops being the start of any JSON document, found by parsing longer
 * and longer prefixes until one fails on that token.
 */
export function syntaxErrorOffset(text: string, message: string): number | undefined {
    const position = / at position (\d+)/.exec(message);
    if (position) {
        return Number(position[1]);
    }
    if (/^Unexpected end of JSON input/.test(message)) {
        return text.length;
    }
    const token = /^Unexpected token '(.)'/su.exec(message)?.[1];
    // A policy config is a few kilobytes; the search is quadratic, so a huge file goes without a position.
    if (token === undefined || text.length > 200_000) {
        return undefined;
    }
    for (let end = token.length; end <= text.length; end++) {
        if (text.slice(end - token.length, end) !== token) {
            continue;
        }
        try {
            JSON.parse(text.slice(0, end));
        } catch (e) {
            if ((e as Error).message.startsWith(`Unexpected token '${token}'`)) {
                return end - token.length;
            }
        }
    }
    return undefined;
}

/** JSON.parse's reason without its position (given as line:column instead) or a copy of the text. */
function syntaxErrorReason(message: string): string {
    return message
        .replace(/ at position \d+.*$/s, "")
        .replace(/^(Unexpected token '.'),.*$/su, "$1");
}

/**
 * The offset of the value at `path` (or of its entry's name, for `about: "name"`) in a JSON text. When the path
 * does not reach a node (a missing key), the deepest value it reaches.
 */
function offsetOf(text: string, path: readonly (string | number)[], about: "name" | "value"): number | undefined {
    const doc = parseDocument(text, { uniqueKeys: false });
    const steps = walkPath(doc.contents, path);
    const last = steps.at(-1);
    const node = steps.length === path.length && about === "name" && last?.key ? last.key : last?.value ?? doc.contents;
    return (node as YamlNode | null | undefined)?.range?.[0];
}

/** The path of the first number that is not finite, or undefined. */
function nonFiniteNumberPath(value: unknown, path: (string | number)[] = []): (string | number)[] | undefined {
    if (typeof value === "number") {
        return Number.isFinite(value) ? undefined : path;
    }
    if (typeof value === "object" && value !== null) {
        for (const [key, item] of Object.entries(value)) {
            const found = nonFiniteNumberPath(item, [...path, Array.isArray(value) ? Number(key) : key]);
            if (found !== undefined) {
                return found;
            }
        }
    }
    return undefined;
}
