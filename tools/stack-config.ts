/**
 * Reads a stack's config the way the Pulumi CLI hands it to a program: Pulumi.yaml project defaults merged under
 * Pulumi.<stack>.yaml, every key namespaced, objects as JSON text. Secure values cannot be decrypted here, so they
 * become opaque placeholders and are reported as secret keys; their ciphertext never leaves this module.
 */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";

/** The placeholder a secure value becomes offline. */
export const SECURE_PLACEHOLDER = "[secure value: not decrypted offline]";

/** A stack's config in the runtime's shape. */
export interface StackConfigMap {
    project: string;
    stack: string;
    /** Namespaced key → value text (JSON for objects and arrays). */
    values: Record<string, string>;
    /** Keys whose value is (or contains) a secure value. */
    secretKeys: string[];
    /**
     * Where each secure value is, as a key path in `pulumi config --path` syntax: the key itself when its whole
     * value is secure, else the nested path (`proj:service.env.API_TOKEN`, `proj:list[0]`).
     */
    securePaths: string[];
}

/** Raised when the project or stack file is missing or not valid YAML. */
export class StackFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackFileError";
    }
}

const STACK_FILE_RE = /(?:^|[\\/])Pulumi\.([^\\/]+)\.yaml$/;

/**
 * A stack named on the command line: a name (its file is Pulumi.<name>.yaml in the project) or the path of a
 * Pulumi.<name>.yaml file anywhere (a scratch variant outside the project), whose stack is <name>.
 */
export function stackArgument(projectDir: string, given: string): { stack: string; file: string } {
    const asFile = STACK_FILE_RE.exec(given);
    return asFile ? { stack: asFile[1], file: path.resolve(given) } : { stack: given, file: path.join(projectDir, stackFileName(given)) };
}

/** Reads Pulumi.yaml from projectDir and the stack's file (default: Pulumi.<stack>.yaml beside it). */
export function readStackConfig(projectDir: string, stack: string, stackFile = path.join(projectDir, stackFileName(stack))): StackConfigMap {
    const project = readYamlFile(path.join(projectDir, "Pulumi.yaml")) as { name?: unknown; config?: Record<string, unknown> };
    if (typeof project?.name !== "string") {
        throw new StackFileError(`${path.join(projectDir, "Pulumi.yaml")}: missing the project name`);
    }
    if (!fs.existsSync(stackFile)) {
        const known = stackNames(projectDir);
        throw new StackFileError(`no stack file ${stackFile}; stacks here: ${known.join(", ") || "none"}`);
    }
    const stackDoc = readYamlFile(stackFile) as { config?: Record<string, unknown> } | null;
    return toConfigMap(project.name, stack, project.config ?? {}, stackDoc?.config ?? {});
}

/**
 * Warnings, one line each, for every setting this stack shares with another stack file in projectDir that makes
 * both stacks claim one cloud resource: the same service name or connector name in the same project and region, or
 * the same connector range on the same project's network. The usual cause is a per-PR stack copied unchanged from
 * staging. Each warning names both files and the key. Reads files only; never throws (a stack file that cannot be
 * read is skipped: it fails on its own when its stack runs).
 */
export function stackConflicts(projectDir: string, stack: string): string[] {
    const own = readQuietly(projectDir, stack);
    if (!own) {
        return [];
    }
    const ownClaims = resourceClaims(own);
    const warnings: string[] = [];
    for (const otherStack of stackNames(projectDir).filter((name) => name !== stack)) {
        const other = readQuietly(projectDir, otherStack);
        const otherClaims = other ? resourceClaims(other) : [];
        for (const claim of ownClaims) {
            if (otherClaims.some((c) => c.key === claim.key && c.value === claim.value && c.scope === claim.scope)) {
                warnings.push(`${stackFileName(stack)} and ${stackFileName(otherStack)} both set ${claim.key} to ` +
                    `${JSON.stringify(claim.value)} (${claim.scope}): ${claim.clash}; give one of the stacks its own value ` +
                    "(README: Add another stack)");
            }
        }
    }
    return warnings;
}

/** A value that names one cloud resource within a scope (project and region or network). */
interface ResourceClaim {
    key: string;
    value: string;
    scope: string;
    /** What goes wrong when two stacks deploy it. */
    clash: string;
}

/** What a stack's config claims. Secure values (placeholders here) and unset keys claim nothing. */
function resourceClaims(map: StackConfigMap): ResourceClaim[] {
    const ns = map.project;
    const setting = (key: string): string | undefined => (map.values[key] === SECURE_PLACEHOLDER ? undefined : map.values[key]);
    const object = (key: string): Record<string, unknown> => {
        try {
            const parsed: unknown = JSON.parse(setting(key) ?? "null");
            return parsed !== null && typeof parsed === "object" ? parsed as Record<string, unknown> : {};
        } catch {
            return {};
        }
    };
    const project = `project ${setting("gcp:project") ?? "(unset)"}`;
    const region = `region ${setting("gcp:region") ?? "(unset)"}`;
    const service = object(`${ns}:service`);
    const connector = object(`${ns}:vpc`).createConnector as Record<string, unknown> | undefined ?? {};
    const claims: (ResourceClaim | undefined)[] = [
        claim(`${ns}:service.name`, service.name, `${project}, ${region}`, "both stacks would deploy the same Cloud Run service"),
        claim(`${ns}:vpc.createConnector.name`, connector.name, `${project}, ${region}`, "both stacks would create the same VPC connector"),
        claim(`${ns}:vpc.createConnector.ipCidrRange`, connector.ipCidrRange, `${project}, network ${String(connector.network ?? "(unset)")}`,
            "two connectors on one network cannot share a range"),
    ];
    return claims.filter((c): c is ResourceClaim => c !== undefined);
}

function claim(key: string, value: unknown, scope: string, clash: string): ResourceClaim | undefined {
    return typeof value === "string" && value !== "" && value !== SECURE_PLACEHOLDER ? { key, value, scope, clash } : undefined;
}

/** The stacks that have a stack file in projectDir. */
function stackNames(projectDir: string): string[] {
    try {
        return fs.readdirSync(projectDir).map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1]).filter((name): name is string => name !== undefined).sort();
    } catch {
        return [];
    }
}

function stackFileName(stack: string): string {
    return `Pulumi.${stack}.yaml`;
}

function readQuietly(projectDir: string, stack: string): StackConfigMap | undefined {
    try {
        return readStackConfig(projectDir, stack);
    } catch {
        return undefined;
    }
}

/** Merges project defaults and stack values into the runtime's config map. Pure. */
export function toConfigMap(
    project: string, stack: string, projectConfig: Record<string, unknown>, stackConfig: Record<string, unknown>,
): StackConfigMap {
    const merged = new Map<string, unknown>();
    for (const [key, declaration] of Object.entries(projectConfig)) {
        const fallback = projectDefault(declaration);
        if (fallback !== undefined) {
            merged.set(namespaced(project, key), fallback);
        }
    }
    for (const [key, value] of Object.entries(stackConfig)) {
        merged.set(namespaced(project, key), value);
    }
    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    const securePaths: string[] = [];
    for (const [key, value] of merged) {
        const { plain, securePaths: paths } = stripSecure(value, key);
        values[key] = typeof plain === "object" && plain !== null ? JSON.stringify(plain) : String(plain);
        if (paths.length > 0) {
            secretKeys.push(key);
            securePaths.push(...paths);
        }
    }
    return { project, stack, values, secretKeys, securePaths };
}

/** A project config declaration's value: `default`/`value` of a structured declaration, or a shorthand scalar. */
function projectDefault(declaration: unknown): unknown {
    if (declaration !== null && typeof declaration === "object" && !Array.isArray(declaration)) {
        const d = declaration as Record<string, unknown>;
        return d.value ?? d.default;
    }
    return declaration;
}

function namespaced(project: string, key: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

/** Replaces every `{secure: ...}` with the placeholder; reports the path of each one found under `at`. */
function stripSecure(value: unknown, at: string): { plain: unknown; securePaths: string[] } {
    if (Array.isArray(value)) {
        const parts = value.map((v, i) => stripSecure(v, `${at}[${i}]`));
        return { plain: parts.map((p) => p.plain), securePaths: parts.flatMap((p) => p.securePaths) };
    }
    if (value !== null && typeof value === "object") {
        const entries = Object.entries(value as Record<string, unknown>);
        if (entries.length === 1 && entries[0][0] === "secure") {
            return { plain: SECURE_PLACEHOLDER, securePaths: [at] };
        }
        const securePaths: string[] = [];
        const plain = Object.fromEntries(entries.map(([k, v]) => {
            const part = stripSecure(v, childPath(at, k));
            securePaths.push(...part.securePaths);
            return [k, part.plain];
        }));
        return { plain, securePaths };
    }
    return { plain: value, securePaths: [] };
}

/** A child key's path as `pulumi config --path` writes it: `.name`, or `["a.b"]` for keys that need quoting. */
function childPath(parent: string, key: string): string {
    return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

function readYamlFile(file: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        throw new StackFileError(`cannot read ${file}`);
    }
    try {
        return parseYaml(text);
    } catch (e) {
        throw new StackFileError(`${file}: not valid YAML: ${(e as Error).message}`);
    }
}
