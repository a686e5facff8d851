/**
 * `npm run check -- --stack <name>`: the offline check. Runs the Pulumi program for Pulumi.<name>.yaml (in --cwd,
 * any Pulumi TypeScript or JavaScript program) under the SDK's mock runtime in preview mode and sends every
 * planned resource to the policy pack (--policy-pack, default this repository's) over the analyzer protocol, the
 * pack launched and called as the engine does; then reports like `pulumi preview --policy-pack`.
 * `--from-export <file>` analyzes a `pulumi stack export` instead, as `pulumi policy analyze --file` does.
 *
 * Output (--format): text, one line per violation saying where the user edits it (the stack config key and its
 * line when the program recorded one, else the resource and property path), then the fix and the doc link; json,
 * always one document on stdout, errors included (schema: docs/check-output.schema.json); sarif, SARIF 2.1.0.
 *
 * Costs (costs.ts): each Cloud Run service's and job's monthly estimate follows the verdicts (JSON: `costs`);
 * `--compare <stack or Pulumi.<x>.yaml>` checks that stack too, in a child process, and prints both and the difference.
 *
 * Exit codes: 0 no mandatory violation; 1 mandatory violations; 2 bad usage, a program that fails, invalid stack
 * config, policy config or export, a pack that cannot start (one clear message, no stack trace).
 * What it does not do: no diff against deployed state, no provider calls, no cloud credentials.
 */
import { Command, CommanderError, Option } from "commander";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
// Not "../analyzer": its client loads gRPC, which main.js loads (without the TypeScript hook) once the pack is spawned.
import type { AnalyzerResource } from "../analyzer/client";
import { PolicyConfigError, preparePolicyConfigValidation } from "../analyzer/config";
import { launchPolicyPack, type PolicyPackProcess } from "../analyzer/launch";
import { readStackConfig, stackArgument, stackConflicts } from "../stack-config";
import type { CheckCosts } from "./costs";
import type { ConfigSources } from "../../infra/config-sources";
import type { CheckReport, Finding, ReportResource } from "./report";
import { StackFileLocator } from "./config-locations";
import type { ColorChoice } from "./color";
import type { EngineShapeOptions } from "../analyzer/engine-shape";
import type { ExportedStack } from "./stack-export";
import { policyConfigErrorText, policyConfigValueFailure, readPolicyConfig } from "./policy-config";

// The pack's start-up is the check's critical path: the modules only needed once it runs (reports, costs, the engine's
// request shapes) load after it has been spawned, on first use.
const reportModule = () => require("./report") as typeof import("./report");
const costsModule = () => require("./costs") as typeof import("./costs");
const engineShape = () => require("../analyzer/engine-shape") as typeof import("../analyzer/engine-shape");

export const EXIT = { passed: 0, violations: 1, usage: 2 } as const;

/** An error that ends the check with exit code 2 and a message for the user. */
class UsageError extends Error {}

type Format = "text" | "json" | "sarif";

interface CheckOptions {
    stack?: string;
    fromExport?: string;
    policyPackConfig?: string;
    compare?: string;
    format: Format;
    color: ColorChoice;
    verbose: boolean;
    projectDir: string;
    packDir: string;
    /** Loads the Pulumi SDK before the program runs (see main.js); by default it loads on first use. */
    loadSdk: () => void;
    /** Loads gRPC, the analyzer's protocol and Ajv once the pack is spawned (see main.js); by default on first use. */
    loadAnalyzerClient: () => void;
}

/** Ways for the command's entry (main.js) to load modules itself; each defaults to loading them on first use. */
export type CheckHooks = Partial<Pick<CheckOptions, "loadSdk" | "loadAnalyzerClient">>;

/** This repository's pack: the default for --policy-pack. */
const DEFAULT_PACK_DIR = path.resolve(__dirname, "../../policies");

/** Runs the check on `argv` (the arguments after `check`); resolves to the exit code. */
export async function main(argv: string[], hooks: CheckHooks = {}): Promise<number> {
    const program = new Command("check")
        .description("Check a Pulumi program (run under mocks, as a preview) or a stack export against a policy pack, offline.")
        .option("-s, --stack <name>", "stack whose Pulumi.<name>.yaml to check (runs the program in --cwd), or the path of a Pulumi.<name>.yaml file")
        .option("--compare <stack>", "also estimate another stack's monthly cost (a name or a Pulumi.<name>.yaml file) and print the difference")
        .option("--from-export <file>", "analyze a `pulumi stack export` (checkpoint version 3) instead of running a program")
        .option("--policy-pack <dir>", "the policy pack to run", DEFAULT_PACK_DIR)
        .option("--policy-pack-config <file>", "policy config JSON, the same format as `pulumi preview --policy-pack-config`")
        .addOption(new Option("--format <format>", "output: text for people, json (one document, schema docs/check-output.schema.json), sarif (SARIF 2.1.0)")
            .choices(["text", "json", "sarif"]).default("text"))
        .option("--json", "the same as --format json")
        .addOption(new Option("--color <when>", "colour the text output: auto (a terminal, unless NO_COLOR is set or TERM=dumb; FORCE_COLOR forces it), always, never")
            .choices(["auto", "always", "never"]).default("auto"))
        .option("-v, --verbose", "also print each policy's description and the resource behind each config key", false)
        .option("--cwd <dir>", "project directory of the program (holds Pulumi.yaml)", process.cwd())
        .exitOverride()
        .configureOutput({ writeErr: (text) => process.stderr.write(text) });
    // Known before parsing, so that even a usage error prints the one document a --format json caller expects.
    const requested = requestedFormat(argv);
    try {
        program.parse(argv, { from: "user" });
    } catch (e) {
        if (e instanceof CommanderError) {
            if (e.exitCode !== 0 && requested !== "text") {
                // Commander has already told people on stderr; callers of json/sarif still get their document.
                writeDocument(requested, e.message.replace(/^error: /, ""), undefined);
            }
            return e.exitCode === 0 ? EXIT.passed : EXIT.usage;
        }
        throw e;
    }
    const opts = program.opts<{
        stack?: string; fromExport?: string; policyPack: string; policyPackConfig?: string; compare?: string; json?: boolean; format: Format;
        color: ColorChoice; verbose: boolean; cwd: string;
    }>();
    const format: Format = opts.json ? "json" : opts.format;
    try {
        if (opts.json && program.getOptionValueSource("format") === "cli" && opts.format !== "json") {
            throw new UsageError(`--json asks for --format json, but --format ${opts.format} was given (give one)`);
        }
        if ((opts.stack === undefined) === (opts.fromExport === undefined)) {
            throw new UsageError("give exactly one of --stack <name> (run the program) or --from-export <file> (analyze a stack export)");
        }
        if (opts.compare !== undefined && opts.stack === undefined) {
            throw new UsageError("--compare runs the program for another stack; give --stack too");
        }
        if (opts.fromExport !== undefined && program.getOptionValueSource("cwd") === "cli") {
            throw new UsageError("--cwd names a program to run; --from-export runs none (give one or the other)");
        }
        return await check({
            ...opts, format, projectDir: path.resolve(opts.cwd), packDir: path.resolve(opts.policyPack),
            loadSdk: hooks.loadSdk ?? (() => undefined), loadAnalyzerClient: hooks.loadAnalyzerClient ?? (() => undefined),
        });
    } catch (e) {
        if (e instanceof UsageError) {
            // The stack's name, as a successful run reports it, also when it was given as a file.
            writeError(format, e.message, opts.stack === undefined ? undefined : stackArgument(path.resolve(opts.cwd), opts.stack).stack);
            return EXIT.usage;
        }
        throw e;
    }
}

/** The format argv asks for, read before parsing (commander has not run yet, or refused the arguments). */
function requestedFormat(argv: readonly string[]): Format {
    const at = argv.findIndex((a) => a === "--format" || a.startsWith("--format="));
    const value = at < 0 ? undefined : argv[at].includes("=") ? argv[at].split("=")[1] : argv[at + 1];
    return argv.includes("--json") || value === "json" ? "json" : value === "sarif" ? "sarif" : "text";
}

/** An exit-2 error: always on stderr for people; for --format json/sarif also the one document on stdout. */
function writeError(format: Format, message: string, stack: string | undefined): void {
    process.stderr.write(`error: ${message}\n`);
    writeDocument(format, message, stack);
}

function writeDocument(format: Format, message: string, stack: string | undefined): void {
    if (format === "json") {
        process.stdout.write(`${reportModule().errorJson(message, stack)}\n`);
    } else if (format === "sarif") {
        process.stdout.write(`${reportModule().errorSarif(message, CHECK_VERSION, EXIT.usage)}\n`);
    }
}

/** Where the resources come from, and who they belong to. */
interface Subject {
    project: string;
    stack: string;
    dryRun: boolean;
    /** Stack config for ConfigureStack and PULUMI_CONFIG (secure values as placeholders). */
    config?: Record<string, string>;
    /** The file the resources come from (the stack file, or the export), relative to the working directory. */
    file: string;
    /** Called once the pack is spawned: what is checked, and what the report needs to place and frame it. */
    resources(): Promise<SubjectResources>;
}

interface SubjectResources {
    /** For Analyze (as checked) and for AnalyzeStack (outputs). */
    checked: AnalyzerResource[];
    outputs: AnalyzerResource[];
    /** The config key behind each property, when the program recorded it. */
    configSources?: ReadonlyMap<string, ConfigSources>;
    /** Finds config keys in the stack file (programs only). */
    locator?: StackFileLocator;
    /** Not violations: e.g. another stack file that would deploy the same service, connector or range. */
    warnings: string[];
}

async function check(options: CheckOptions): Promise<number> {
    const policyConfig = options.policyPackConfig !== undefined ? guard(() => readPolicyConfig(options.policyPackConfig as string)) : undefined;
    const subject = options.fromExport ? exportSubject(options.fromExport) : programSubject(options, options.stack as string);
    // The other stack of --compare runs in its own process, alongside this one; an Error is reported after this stack's own errors.
    const comparing = options.compare === undefined ? undefined : costsModule().otherStackCosts({
        other: options.compare, projectDir: options.projectDir, packDir: options.packDir, policyPackConfig: options.policyPackConfig,
    }).catch((e: Error) => e);
    // The pack starts (a separate process) while the program runs in this one. Loading the SDK blocks this
    // process for most of a second, so wait until the pack is actually spawned before starting on the program.
    let spawned: () => void = () => undefined;
    const packSpawned = new Promise<void>((resolve) => (spawned = resolve));
    const packLaunch = launchPolicyPack(options.packDir, {
        config: policyConfig?.config ?? {},
        stack: { project: subject.project, stack: subject.stack, dryRun: subject.dryRun, config: subject.config },
        onSpawned: () => {
            options.loadAnalyzerClient();
            spawned();
        },
    });
    // Launch errors are reported below, after the program's own; this also ends the process on every path.
    const packOrNothing = packLaunch.catch(() => undefined);
    await Promise.race([packSpawned, packOrNothing]);
    let pack: PolicyPackProcess | undefined;
    try {
        const subjectResources = await subject.resources();
        const { checked, outputs } = subjectResources;
        // The pack is usually still starting (its start-up is the critical path): meanwhile, do what does not depend
        // on its answers (the config validator's set-up, the cost estimate, loading the report) instead of after them.
        preparePolicyConfigValidation();
        const estimates = costsModule().estimateCheckedStack(outputs, policyConfig?.config ?? {}, subject.config && { project: subject.project, values: subject.config });
        const { findingOf, summarize, toJson, toSarif, toText } = reportModule();
        const { splitPropertyPath } = require("../../policies/lib/findings") as typeof import("../../policies/lib/findings");
        const { useColor } = require("./color") as typeof import("./color");
        pack = await packLaunch.catch((e: Error) => {
            throw new UsageError(e instanceof PolicyConfigError ? policyConfigErrorText(e, policyConfig) : launchFailure(e.message));
        });
        const warnings = [...subjectResources.warnings, ...pack.configWarnings.map((w) => `--policy-pack-config ${options.policyPackConfig}: ${w}`)];
        if (options.format !== "text") {
            // The document carries them; people reading a CI log see them too.
            warnings.forEach((w) => process.stderr.write(`warning: ${w}\n`));
        }
        const diagnostics = await pack.client.analyzeAll(checked, outputs, { pipelined: true }).catch((e: Error) => {
            // A policy that throws is an engine error ("failed to run policy"), not a violation; one that refuses its
            // configured value says so in its error, which names the file here.
            throw new UsageError(policyConfigValueFailure(e.message, policyConfig) ?? `failed to run the policy pack: ${firstLine(e.message)}`);
        });
        const policies = new Map(pack.info.policies.map((p) => [p.name, p]));
        const resources = new Map<string, ReportResource>(checked.map((r) => [r.urn, r]));
        const findings = diagnostics.map((d) => placed(
            findingOf(d, policies.get(d.policyName), resources.get(d.urn), splitPropertyPath), subject, subjectResources,
        ));
        const other = await comparing;
        if (other instanceof Error) {
            throw new UsageError(other.message);
        }
        const costs: CheckCosts = {
            estimates,
            ...(other !== undefined ? { comparison: other } : {}),
        };
        const report: CheckReport = {
            stack: subject.stack,
            costs,
            policyPack: { name: pack.info.name, version: pack.info.version },
            resources: checked,
            findings,
            policies: pack.info.policies,
            warnings,
            subjectFile: subject.file,
        };
        process.stdout.write(
            options.format === "json" ? `${toJson(report)}\n`
                : options.format === "sarif" ? `${toSarif(report, CHECK_VERSION, process.cwd())}\n`
                    : toText(report, { color: useColor(options.color, process.env, Boolean(process.stdout.isTTY)), verbose: options.verbose }),
        );
        return summarize(report).mandatory > 0 ? EXIT.violations : EXIT.passed;
    } finally {
        // This process ends next, and the pack with it at the latest: no need to wait for it to exit.
        await (pack ?? (await packOrNothing))?.close({ awaitExit: false });
    }
}

/** This repository's version, reported as the check's own in SARIF. */
const CHECK_VERSION = (JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../package.json"), "utf8")) as { version: string }).version;

/** The finding with the config key, file and line behind its property, when the program recorded them. */
function placed(finding: Finding, subject: Subject, { configSources, locator }: SubjectResources): Finding {
    if (finding.resource === undefined || configSources === undefined || locator === undefined) {
        return finding;
    }
    const { configKeyFor } = require("../../infra/config-sources") as typeof import("../../infra/config-sources");
    const configKey = configKeyFor(configSources.get(finding.resource.urn), finding.propertyPath);
    if (configKey === undefined) {
        return finding;
    }
    const at = locator.locate(configKey);
    return at === undefined
        ? { ...finding, configKey }
        : { ...finding, configKey, file: subject.file, line: at.line, keyWritten: at.exact };
}

/** The program in options.projectDir, run under mocks as a preview of `stack`. */
function programSubject(options: CheckOptions, given: string): Subject {
    const { stack, file: stackFile } = stackArgument(options.projectDir, given);
    const stackConfig = guard(() => readStackConfig(options.projectDir, stack, stackFile));
    const main = guard(() => programMain(options.projectDir), `cannot find the program's entry in ${options.projectDir}`);
    return {
        project: stackConfig.project,
        stack,
        dryRun: true,
        config: stackConfig.values,
        file: path.relative(process.cwd(), stackFile) || stackFile,
        resources: async () => {
            const locator = new StackFileLocator(fs.readFileSync(stackFile, "utf8"), stackConfig.project);
            // Clashes with the project's other stack files concern the project's own file only, not a scratch copy elsewhere.
            const warnings = path.dirname(stackFile) === path.resolve(options.projectDir) ? stackConflicts(options.projectDir, stack) : [];
            options.loadSdk();
            const configSources = require("../../infra/config-sources") as typeof import("../../infra/config-sources");
            configSources.clearConfigSources();
            const { runProgramUnderMocks, MOCK_PROJECT_NUMBER } = require("../program-runner") as typeof import("../program-runner");
            const run = await withStdoutToStderr(() => runProgramUnderMocks({
                programPath: path.join(options.projectDir, main),
                project: stackConfig.project,
                stack,
                preview: true,
                config: stackConfig.values,
                secretKeys: stackConfig.secretKeys,
            }));
            if (run.error) {
                throw new UsageError(`the program failed for stack ${stack} (nothing was checked): ${withoutStackTrace(run.error.message)}`);
            }
            // What the engine would send in a preview of a new stack: Check outputs to Analyze, outputs (the Stack
            // and default providers included) to AnalyzeStack.
            const shape: EngineShapeOptions = {
                project: stackConfig.values["gcp:project"] ?? "", region: stackConfig.values["gcp:region"] ?? "",
                projectNumber: MOCK_PROJECT_NUMBER, stack, projectName: stackConfig.project, phase: "preview",
            };
            return {
                checked: engineShape().engineAnalyzeRequests(run.resources, shape),
                outputs: engineShape().engineStack(run.resources, shape),
                configSources: new Map(configSources.recordedConfigSources()),
                locator,
                warnings,
            };
        },
    };
}

/** The program's own output (console.log) goes to stderr while it runs: stdout carries only the report. */
async function withStdoutToStderr<T>(step: () => Promise<T>): Promise<T> {
    const write = process.stdout.write;
    process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
    try {
        return await step();
    } finally {
        process.stdout.write = write;
    }
}

/** A stack export: no program, no provider (`pulumi policy analyze --file`). */
function exportSubject(file: string): Subject {
    const text = guard(() => fs.readFileSync(file, "utf8"), `cannot read --from-export ${file}`);
    let exported: ExportedStack;
    try {
        exported = (require("./stack-export") as typeof import("./stack-export")).readStackExport(text, file);
    } catch (e) {
        throw new UsageError((e as Error).message);
    }
    return {
        project: exported.project,
        stack: exported.stack,
        dryRun: false,
        file: path.relative(process.cwd(), path.resolve(file)) || file,
        resources: async () => ({ checked: exported.checked, outputs: exported.outputs, warnings: [] }),
    };
}

function firstLine(text: string): string {
    return text.split("\n")[0];
}

/** A pack that could not start: what happened, and the last thing the pack itself said (its error, not a trace). */
function launchFailure(message: string): string {
    const [what, stderr = ""] = message.split("\n--- pack stderr ---\n");
    const said = stderr.split("\n").map((line) => line.trim()).filter((line) => line !== "" && line !== "(empty)" && !line.startsWith("at "));
    return said.length > 0 ? `${firstLine(what)}: ${said[said.length - 1]}` : firstLine(what);
}

/** The message without stack frames: a config error's list of problems stays, the trace goes. */
function withoutStackTrace(text: string): string {
    return text.split("\n").filter((line) => !/^\s+at\s/.test(line)).join("\n");
}


/** The program's entry module, as the nodejs language host finds it: Pulumi.yaml `main`, package.json `main`, index.ts, index.js. */
function programMain(projectDir: string): string {
    const project = parseYaml(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as { main?: string; runtime?: string | { name?: string } };
    const runtime = typeof project.runtime === "string" ? project.runtime : project.runtime?.name;
    if (runtime !== "nodejs") {
        throw new UsageError(`${path.join(projectDir, "Pulumi.yaml")} has runtime ${JSON.stringify(runtime)}; this check runs Node.js programs (runtime: nodejs)`);
    }
    if (project.main) {
        return project.main;
    }
    const packageFile = path.join(projectDir, "package.json");
    const packageMain = fs.existsSync(packageFile) ? (JSON.parse(fs.readFileSync(packageFile, "utf8")) as { main?: string }).main : undefined;
    return packageMain ?? (fs.existsSync(path.join(projectDir, "index.ts")) ? "index.ts" : "index.js");
}

/** Runs a step whose failure is the user's to fix (exit 2). */
function guard<T>(step: () => T, context?: string): T {
    try {
        return step();
    } catch (e) {
        if (e instanceof UsageError) {
            throw e; // Already says what is wrong and where.
        }
        const message = (e as Error).message;
        throw new UsageError(context ? `${context}: ${message}` : message);
    }
}

/** Runs the check as a command: exit code set, anything unforeseen reported as one line. */
export function runAsCommand(argv: string[], hooks: CheckHooks = {}): void {
    main(argv, hooks).then(
        (code) => { process.exitCode = code; },
        // Anything unforeseen still ends as one line (the first of its message), never a stack trace.
        (e) => { writeError(requestedFormat(argv), `check failed: ${firstLine(e instanceof Error ? e.message : String(e))}`, undefined); process.exitCode = EXIT.usage; },
    );
}

if (require.main === module) {
    runAsCommand(process.argv.slice(2));
}
