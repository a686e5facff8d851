/** Runs the offline check as `npm run check` does (a child process, no TTY) and validates what it prints. */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";

export const ROOT = path.resolve(__dirname, "../..");
const CHECK = path.join(ROOT, "tools", "check", "main.js");

export interface CheckRun {
    code: number | null;
    stdout: string;
    stderr: string;
}

/** Runs the check without a TTY and without colour settings unless `env` gives them. */
export function runCheck(args: string[], env: Record<string, string> = {}): Promise<CheckRun> {
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !["FORCE_COLOR", "NO_COLOR", "TERM"].includes(name)));
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CHECK, ...args], { cwd: ROOT, env: { ...inherited, ...env }, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
}

/** Errors of a document against docs/check-output.schema.json, the schema the README documents. */
export function outputSchemaErrors(doc: unknown): string[] {
    const validate = new Ajv({ allErrors: true }).compile(JSON.parse(fs.readFileSync(path.join(ROOT, "docs", "check-output.schema.json"), "utf8")));
    return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
