/**
 * `npm run check -- --stack <name>`: the offline check. Runs the Pulumi program for Pulumi.<name>.yaml under the
 * SDK's mock runtime in preview mode and sends every planned resource to the policy pack over the analyzer
 * protocol (the pack launched exactly as the engine launches it), then reports like `pulumi preview --policy-pack`.
 *
 * Exit codes: 0 no mandatory violation; 1 mandatory violations; 2 bad usage, invalid stack config or policy config.
 * What it does not do: no diff against deployed state, no provider calls, no cloud credentials.
 */
import { Command, CommanderError } from "commander";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { PolicyPackConfig, PolicyPackProcess, launchPolicyPack, type AnalyzerResource } from "../analyzer";
import type { CapturedResource } from "../program-runner";
import { readStackConfig } from "../stack-config";
import { CheckReport, summarize, toJson, toText } from "./report";

export const EXIT = { passed: 0, violations: 1, usage: 2 } as const;

/** An error that ends the check with exit code 2 and a message for the user. */
class UsageError extends Error {}

interface CheckOptions {
    stack: string;
    policyPackConfig?: string;
    json: boolean;
    projectDir: string;
    packDir: string;
}

async function main(argv: string[]): Promise<number> {
    const program = new Command("check")
        .description("Run the Pulumi program under mocks (preview) and check every planned resource against the policy pack.")
        .requiredOption("-s, --stack <name>", "stack whose Pulumi.<name>.yaml to check")
        .option("--policy-pack-config <file>", "policy config JSON, the same format as `pulumi preview --policy-pack-config`")
        .option("--json", "print one machine-readable JSON document", false)
        .option("--cwd <dir>", "project directory (holds Pulumi.yaml)", process.cwd())
        .exitOverride()
        .configureOutput({ writeErr: (text) => process.stderr.write(text) });
    try {
        program.parse(argv, { from: "user" });
    } catch (e) {
        if (e instanceof CommanderError) {
            return e.exitCode === 0 ? EXIT.passed : EXIT.usage;
        }
        throw e;
    }
    const opts = program.opts<{ stack: string; policyPackConfig?: string; json: boolean; cwd: string }>();
    const projectDir = path.resolve(opts.cwd);
    try {
        return await check({ ...opts, projectDir, packDir: path.join(projectDir, "policies") });
    } catch (e) {
        if (e instanceof UsageError) {
            process.stderr.write(`error: ${e.message}\n`);
            return EXIT.usage;
        }
        throw e;
    }
}

async function check(options: CheckOptions): Promise<number> {
    const stackConfig = guard(() => readStackConfig(options.projectDir, options.stack));
    const policyConfig = options.policyPackConfig ? readPolicyConfig(options.policyPackConfig) : {};

    // The pack starts (a separate process) while the program runs in this one. Loading the SDK blocks this
    // process for most of a second, so wait until the pack is actually spawned before starting on the program.
    let spawned: () => void = () => undefined;
    const packSpawned = new Promise<void>((resolve) => (spawned = resolve));
    const packLaunch = launchPolicyPack(options.packDir, {
        config: policyConfig,
        stack: { project: stackConfig.project, stack: options.stack, dryRun: true },
        onSpawned: spawned,
    });
    // Launch errors are reported below, after the program's own; this also ends the process on every path.
    const packOrNothing = packLaunch.catch(() => undefined);
    await Promise.race([packSpawned, packOrNothing]);
    let pack: PolicyPackProcess | undefined;
    try {
        const { runProgramUnderMocks } = require("../program-runner") as typeof import("../program-runner");
        const run = await runProgramUnderMocks({
            programPath: path.join(options.projectDir, programMain(options.projectDir)),
            project: stackConfig.project,
            stack: options.stack,
            preview: true,
            config: stackConfig.values,
            secretKeys: stackConfig.secretKeys,
        });
        if (run.error) {
            throw new UsageError(`the program failed for stack ${options.stack} (nothing was checked):\n${run.error.message}`);
        }
        pack = await packLaunch.catch((e: Error) => {
            throw new UsageError(e.name === "PolicyConfigError" ? `--policy-pack-config ${options.policyPackConfig ?? "(none)"}:\n${e.message}` : e.message);
        });
        for (const warning of pack.configWarnings) {
            process.stderr.write(`warning: --policy-pack-config ${options.policyPackConfig}: ${warning}\n`);
        }
        const resources = run.resources.map(toAnalyzerResource);
        const diagnostics = await pack.client.analyzeAll(resources);
        const report: CheckReport = {
            stack: options.stack,
            policyPack: { name: pack.info.name, version: pack.info.version },
            resources,
            diagnostics,
            policies: pack.info.policies,
        };
        process.stdout.write(options.json ? `${toJson(report)}\n` : toText(report, Boolean(process.stdout.isTTY)));
        return summarize(report).mandatory > 0 ? EXIT.violations : EXIT.passed;
    } finally {
        await (pack ?? (await packOrNothing))?.close();
    }
}

function toAnalyzerResource(r: CapturedResource): AnalyzerResource {
    return {
        urn: r.urn, type: r.type, name: r.name, parent: r.parent, properties: r.properties,
        dependencies: r.dependencies, propertyDependencies: r.propertyDependencies,
    };
}

/** The program's entry module: Pulumi.yaml `main`, else index.ts. */
function programMain(projectDir: string): string {
    const project = parseYaml(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as { main?: string };
    return project.main ?? "index.ts";
}

function readPolicyConfig(file: string): PolicyPackConfig {
    const text = guard(() => fs.readFileSync(file, "utf8"), `cannot read --policy-pack-config ${file}`);
    const parsed = guard(() => JSON.parse(text) as unknown, `--policy-pack-config ${file} is not valid JSON`);
    const outOfRange = nonFiniteNumberPath(parsed);
    if (outOfRange !== undefined) {
        // Go's JSON decoder, which the engine uses, refuses a number a float64 cannot hold (JSON.parse makes it Infinity).
        throw new UsageError(`--policy-pack-config ${file}: the number at ${outOfRange || "the top level"} is out of range; the engine cannot read it`);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new UsageError(`--policy-pack-config ${file} must be a JSON object of policy name → level or settings`);
    }
    return parsed as PolicyPackConfig;
}

/** The path of the first number that is not finite, or undefined. */
function nonFiniteNumberPath(value: unknown, path = ""): string | undefined {
    if (typeof value === "number") {
        return Number.isFinite(value) ? undefined : path;
    }
    if (typeof value === "object" && value !== null) {
        for (const [key, item] of Object.entries(value)) {
            const found = nonFiniteNumberPath(item, path ? `${path}.${key}` : key);
            if (found !== undefined) {
                return found;
            }
        }
    }
    return undefined;
}

/** Runs a step whose failure is the user's to fix (exit 2). */
function guard<T>(step: () => T, context?: string): T {
    try {
        return step();
    } catch (e) {
        const message = (e as Error).message;
        throw new UsageError(context ? `${context}: ${message}` : message);
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => { process.exitCode = code; },
        (e) => { process.stderr.write(`check failed: ${(e as Error).stack ?? e}\n`); process.exitCode = EXIT.usage; },
    );
}
