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
}

/** Raised when the project or stack file is missing or not valid YAML. */
export class StackFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackFileError";
    }
}

/** Reads Pulumi.yaml and Pulumi.<stack>.yaml from projectDir. */
export function readStackConfig(projectDir: string, stack: string): StackConfigMap {
    const project = readYamlFile(path.join(projectDir, "Pulumi.yaml")) as { name?: unknown; config?: Record<string, unknown> };
    if (typeof project?.name !== "string") {
        throw new StackFileError(`${path.join(projectDir, "Pulumi.yaml")}: missing the project name`);
    }
    const stackFile = path.join(projectDir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(stackFile)) {
        const known = fs.readdirSync(projectDir).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f)).map((f) => f.split(".")[1]);
        throw new StackFileError(`no stack file ${stackFile}; stacks here: ${known.join(", ") || "none"}`);
    }
    const stackDoc = readYamlFile(stackFile) as { config?: Record<string, unknown> } | null;
    return toConfigMap(project.name, stack, project.config ?? {}, stackDoc?.config ?? {});
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
    for (const [key, value] of merged) {
        const { plain, secure } = stripSecure(value);
        values[key] = typeof plain === "object" && plain !== null ? JSON.stringify(plain) : String(plain);
        if (secure) {
            secretKeys.push(key);
        }
    }
    return { project, stack, values, secretKeys };
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

/** Replaces every `{secure: ...}` with the placeholder; reports whether there was one. */
function stripSecure(value: unknown): { plain: unknown; secure: boolean } {
    if (Array.isArray(value)) {
        const parts = value.map(stripSecure);
        return { plain: parts.map((p) => p.plain), secure: parts.some((p) => p.secure) };
    }
    if (value !== null && typeof value === "object") {
        const entries = Object.entries(value as Record<string, unknown>);
        if (entries.length === 1 && entries[0][0] === "secure") {
            return { plain: SECURE_PLACEHOLDER, secure: true };
        }
        let secure = false;
        const plain = Object.fromEntries(entries.map(([k, v]) => {
            const part = stripSecure(v);
            secure ||= part.secure;
            return [k, part.plain];
        }));
        return { plain, secure };
    }
    return { plain: value, secure: false };
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
