/**
 * Checks a Docker build context before anything is built: every path the app needs at run time must exist and
 * must survive .dockerignore (Docker's own matching rules, via @balena/dockerignore). Incident: a .dockerignore
 * pattern silently dropped a module the app imports.
 */
import dockerignore from "@balena/dockerignore";
import * as fs from "fs";
import * as path from "path";

/** What to check: the context directory (absolute or relative to baseDir), its Dockerfile and required paths. */
export interface BuildContextSpec {
    context: string;
    dockerfile: string;
    requiredPaths: readonly string[];
}

/** One problem with the build context, keyed by the config field it concerns. */
export interface BuildContextProblem {
    /** Config path below `image.build`, e.g. "requiredPaths[2]". */
    field: string;
    message: string;
}

/**
 * Every problem with the build context (empty when the build can proceed). Reads the file system only.
 */
export function buildContextProblems(baseDir: string, spec: BuildContextSpec): BuildContextProblem[] {
    const contextDir = path.resolve(baseDir, spec.context);
    if (!isDirectory(contextDir)) {
        return [{ field: "context", message: `build context ${JSON.stringify(spec.context)} is not a directory (resolved to ${contextDir})` }];
    }
    const problems: BuildContextProblem[] = [];
    if (!fs.existsSync(path.resolve(contextDir, spec.dockerfile))) {
        problems.push({ field: "dockerfile", message: `Dockerfile ${JSON.stringify(spec.dockerfile)} not found in ${spec.context}` });
    }
    const patterns = readDockerignore(contextDir);
    const matcher = dockerignore().add(patterns);
    spec.requiredPaths.forEach((required, index) => {
        const field = `requiredPaths[${index}]`;
        const relative = toContextPath(required);
        if (relative === undefined) {
            problems.push({ field, message: `${JSON.stringify(required)} must be a relative path inside the build context` });
        } else if (!fs.existsSync(path.join(contextDir, relative))) {
            problems.push({ field, message: `${JSON.stringify(required)} does not exist in build context ${spec.context}` });
        } else if (matcher.ignores(relative)) {
            const pattern = excludingPattern(patterns, relative);
            problems.push({
                field,
                message: `${JSON.stringify(required)} is excluded by ${spec.context}/.dockerignore pattern ${JSON.stringify(pattern)}; ` +
                    `remove that pattern or add "!${relative}" after it`,
            });
        }
    });
    return problems;
}

/** The .dockerignore lines that are patterns (comments and blanks dropped), or none when the file is absent. */
function readDockerignore(contextDir: string): string[] {
    const file = path.join(contextDir, ".dockerignore");
    if (!fs.existsSync(file)) {
        return [];
    }
    return fs.readFileSync(file, "utf8").split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
}

/** The last plain (non-negated) pattern that on its own excludes the path: the one to name in the error. */
function excludingPattern(patterns: readonly string[], relative: string): string {
    const match = [...patterns].reverse().find((p) => !p.startsWith("!") && dockerignore().add([p]).ignores(relative));
    return match ?? patterns.join(", ");
}

/** Normalises a required path to Docker's context-relative form; undefined when it escapes the context. */
function toContextPath(required: string): string | undefined {
    const normalised = path.posix.normalize(required.replace(/\\/g, "/")).replace(/\/+$/, "");
    if (normalised === "" || normalised === "." || normalised.startsWith("../") || normalised === ".." || path.posix.isAbsolute(normalised)) {
        return undefined;
    }
    return normalised;
}

function isDirectory(p: string): boolean {
    try {
        return fs.statSync(p).isDirectory();
    } catch {
        return false;
    }
}
