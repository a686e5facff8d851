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

/**
 * How many checks run at once. A check is two processes (the program under mocks and the pack) that partly wait on
 * each other, so two at a time keep both cores busy; more only queue for the CPU.
 */
const CONCURRENT_CHECKS = 2;
let checksRunning = 0;
const checksWaiting: (() => void)[] = [];

/** Runs the check without a TTY and without colour settings unless `env` gives them. Queued: see CONCURRENT_CHECKS. */
export async function runCheck(args: string[], env: Record<string, string> = {}): Promise<CheckRun> {
    if (checksRunning >= CONCURRENT_CHECKS) {
        await new Promise<void>((resolve) => checksWaiting.push(resolve));
    }
    checksRunning++;
    try {
        return await spawnCheck(args, env);
    } finally {
        checksRunning--;
        checksWaiting.shift()?.();
    }
}

function spawnCheck(args: string[], env: Record<string, string>): Promise<CheckRun> {
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

const sharedRuns = new Map<string, Promise<CheckRun>>();

/**
 * One run per distinct command (arguments and environment) for the whole test process, for commands whose inputs
 * stay as they are while the tests run (the repo's stack files, or files written once in a `before`): the tests
 * that assert on the same command share its output instead of each starting the check again. Call it in a `before`
 * to start the runs there (queued, see CONCURRENT_CHECKS) and again in the tests to await them.
 */
export function sharedCheck(args: string[], env: Record<string, string> = {}): Promise<CheckRun> {
    const key = JSON.stringify([args, Object.entries(env).sort()]);
    let run = sharedRuns.get(key);
    if (!run) {
        run = runCheck(args, env);
        // Started ahead of the test that awaits it: a failure to spawn is that test's failure, not an unhandled rejection.
        run.catch(() => undefined);
        sharedRuns.set(key, run);
    }
    return run;
}

/** Errors of a document against docs/check-output.schema.json, the schema the README documents. */
export function outputSchemaErrors(doc: unknown): string[] {
    const validate = new Ajv({ allErrors: true }).compile(JSON.parse(fs.readFileSync(path.join(ROOT, "docs", "check-output.schema.json"), "utf8")));
    return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
