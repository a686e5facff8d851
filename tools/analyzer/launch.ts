/**
 * Starts a Node.js policy pack the way the Pulumi engine does since v3.221, through the nodejs language host
 * (RunPlugin; sdk/nodejs/cmd/pulumi-language-nodejs/main.go):
 *   cwd = the pack folder,
 *   `node <absolute path of @pulumi/pulumi/cmd/run-policy-pack, resolved from the pack folder> <engine address> <absolute pack folder>`,
 *   environment: this process's plus PULUMI_NODEJS_TYPESCRIPT, PULUMI_NODEJS_{ORGANIZATION,PROJECT,STACK,DRY_RUN}, PULUMI_CONFIG,
 * then reads the gRPC port from the first stdout line, connects, and makes the engine's opening calls in its order
 * (pkg/engine/update.go): ConfigureStack, GetPluginInfo, GetAnalyzerInfo, Configure (always, with the reconciled
 * config). The Handshake goes to the engine's Go proxy, never to the pack (sdk/policy_proxy.go), so none is sent.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import type { AnalyzerInfo, PolicyPackClient, StackContext } from "./client";
import type { PolicyConfig, PolicyPackConfig } from "./config";
import type { FakeEngine } from "./engine";
import { listenOnLoopback } from "./loopback-listener";

export interface LaunchOptions {
    /** Extra environment for the pack, on top of this process's (the engine passes its own environment on). */
    env?: NodeJS.ProcessEnv;
    /** Stack identity: sent via ConfigureStack and set as PULUMI_NODEJS_* variables, as the engine does. Default: a preview of "dev". */
    stack?: StackContext;
    /** `--policy-pack-config` contents; the engine configures the pack even without one. */
    config?: PolicyPackConfig;
    /** How long the pack may take to print its port. Default 60 s: two busy cores load TypeScript slowly. */
    startupTimeoutMs?: number;
    /** Deadline for each RPC. Default 30 s. */
    callTimeoutMs?: number;
    /**
     * Called once the pack process is spawned, before the gRPC client and the engine service load: a caller can
     * load them (and start CPU-heavy work) without delaying the spawn.
     */
    onSpawned?: () => void;
}

export interface PolicyPackProcess {
    client: PolicyPackClient;
    /** GetAnalyzerInfo, as fetched during launch. */
    info: AnalyzerInfo;
    /** The configuration sent during launch. */
    config: Record<string, PolicyConfig>;
    /** Names the engine passes on although they are probably mistakes (unknown policies, undeclared keys). */
    configWarnings: string[];
    /** The pack's SDK version, from GetPluginInfo. */
    pluginVersion: string;
    pid: number;
    port: number;
    /** Wall time from spawn to the port line. */
    startupMs: number;
    engine: FakeEngine;
    /** What the pack wrote after its port line, and to stderr (each capped to the last 64 KiB). */
    output(): { stdout: string; stderr: string };
    /**
     * Closes the client, kills the pack (SIGTERM, then SIGKILL after a grace period) and stops the engine. Safe to
     * call twice. `awaitExit: false` (a process about to end) sends SIGTERM and resolves without waiting for the
     * pack to exit; if it outlives this process, the exit hook SIGKILLs it then, with no grace period.
     */
    close(options?: { awaitExit?: boolean }): Promise<void>;
}

/** Packs still running, killed when this process exits or is interrupted. */
const livePacks = new Set<ChildProcess>();
const OUTPUT_CAP = 64 * 1024;
const KILL_GRACE_MS = 3_000;

export async function launchPolicyPack(packDir: string, options: LaunchOptions = {}): Promise<PolicyPackProcess> {
    const dir = path.resolve(packDir);
    const runner = resolveRunner(dir);
    const stack = options.stack ?? DEFAULT_STACK;
    const engineListener = await listenOnLoopback();
    const started = performance.now();
    const child = spawn(process.execPath, [runner, engineListener.address, dir], {
        cwd: dir,
        env: { ...process.env, ...stackEnv(stack), ...options.env },
        stdio: ["ignore", "pipe", "pipe"],
    });
    trackUntilExit(child);
    const stdout = capturedText(OUTPUT_CAP);
    const stderr = capturedText(OUTPUT_CAP);
    child.stderr!.on("data", stderr.append);
    // Listening from the spawn on, so that an early exit or error is never missed; awaited below.
    const portLine = readPort(child, stdout, stderr, options.startupTimeoutMs ?? 60_000);
    portLine.catch(() => undefined);
    let engine: FakeEngine | undefined;
    let client: PolicyPackClient | undefined;
    let closed = false;
    const close = async ({ awaitExit = true }: { awaitExit?: boolean } = {}) => {
        if (closed) {
            return;
        }
        closed = true;
        // The engine's last call; a pack that already failed cannot answer it.
        await client?.cancel().catch(() => undefined);
        client?.close();
        if (awaitExit) {
            await stopProcess(child);
        } else {
            letGo(child);
        }
        await (engine ? engine.close() : engineListener.close());
    };
    try {
        options.onSpawned?.();
        // gRPC loads only now, while the pack starts (a connection to the engine's address waits until then).
        const { startFakeEngine } = require("./engine") as typeof import("./engine");
        const { PolicyPackClient } = require("./client") as typeof import("./client");
        engine = await startFakeEngine(engineListener);
        const port = await portLine;
        const startupMs = performance.now() - started;
        client = new PolicyPackClient(`127.0.0.1:${port}`, options.callTimeoutMs);
        await client.waitForReady(options.callTimeoutMs ?? 30_000);
        await client.configureStack(stack);
        const pluginVersion = await client.getPluginVersion();
        const info = await client.getAnalyzerInfo();
        const configured = await client.configure(options.config ?? {});
        return {
            client, info, config: configured.config, configWarnings: configured.warnings, pluginVersion, port, startupMs, engine,
            pid: child.pid!,
            output: () => ({ stdout: stdout.text(), stderr: stderr.text() }),
            close,
        };
    } catch (error) {
        await close();
        throw error;
    }
}

const DEFAULT_STACK: StackContext = { project: "project", stack: "dev", dryRun: true };

/** The language host resolves run-policy-pack from the pack folder, as Node would: an absolute path. */
function resolveRunner(dir: string): string {
    if (!fs.existsSync(path.join(dir, "PulumiPolicy.yaml"))) {
        throw new Error(`${dir} is not a policy pack: no PulumiPolicy.yaml`);
    }
    try {
        return require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [dir] });
    } catch {
        throw new Error(`${dir} cannot resolve @pulumi/pulumi/cmd/run-policy-pack; the pack's dependencies are not installed (npm ci in ${dir})`);
    }
}

/** The variables the language host adds for a nodejs pack (RunPlugin in pulumi-language-nodejs). */
function stackEnv(stack: StackContext): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
        PULUMI_NODEJS_TYPESCRIPT: "true",
        PULUMI_NODEJS_PROJECT: stack.project,
        PULUMI_NODEJS_STACK: stack.stack,
        PULUMI_NODEJS_DRY_RUN: String(stack.dryRun ?? true),
        PULUMI_CONFIG: JSON.stringify(stack.config ?? {}),
    };
    if (stack.organization) {
        env.PULUMI_NODEJS_ORGANIZATION = stack.organization;
    }
    return env;
}

/**
 * Resolves with the port from the first stdout line; rejects, with the pack's stderr, if the line is not a port,
 * the pack exits first, or the timeout passes. Later stdout goes to `stdout`.
 */
function readPort(child: ChildProcess, stdout: CapturedText, stderr: CapturedText, timeoutMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
        let firstLine = "";
        let settled = false;
        const fail = (reason: string) => settle(() => reject(new Error(`policy pack ${reason}\n--- pack stderr ---\n${stderr.text() || "(empty)"}`)));
        const settle = (action: () => void) => {
            if (!settled) {
                settled = true;
                clearTimeout(timer);
                action();
            }
        };
        const timer = setTimeout(() => fail(`printed no port within ${timeoutMs} ms`), timeoutMs);
        child.stdout!.on("data", (chunk: Buffer) => {
            if (settled) {
                stdout.append(chunk);
                return;
            }
            firstLine += chunk.toString();
            const newline = firstLine.indexOf("\n");
            if (newline < 0) {
                return;
            }
            stdout.append(firstLine.slice(newline + 1));
            const line = firstLine.slice(0, newline).trim();
            const port = Number(line);
            if (Number.isInteger(port) && port > 0 && port < 65536) {
                settle(() => resolve(port));
            } else {
                fail(`printed ${JSON.stringify(line)} instead of its port`);
            }
        });
        child.once("error", (error) => fail(`could not start: ${error.message}`));
        // "close" rather than "exit": by then stderr has been read to the end.
        child.once("close", (code, signal) => fail(`exited before printing its port (code ${code}, signal ${signal})`));
    });
}

async function stopProcess(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) {
        return;
    }
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), KILL_GRACE_MS);
    await exited;
    clearTimeout(timer);
}

/** Sends SIGTERM and stops holding this process open for the child; the exit hooks still kill it if it outlives us. */
function letGo(child: ChildProcess): void {
    child.kill("SIGTERM");
    child.stdout?.destroy();
    child.stderr?.destroy();
    child.unref();
}

/** Registers the child for kill-on-exit until it ends. */
function trackUntilExit(child: ChildProcess): void {
    installExitHooks();
    livePacks.add(child);
    child.once("exit", () => livePacks.delete(child));
}

let exitHooksInstalled = false;

/** Kills every pack still running when this process exits, or dies of SIGINT/SIGTERM/SIGHUP. */
function installExitHooks(): void {
    if (exitHooksInstalled) {
        return;
    }
    exitHooksInstalled = true;
    const killAll = () => livePacks.forEach((child) => child.kill("SIGKILL"));
    process.on("exit", killAll);
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
        const onSignal = () => {
            killAll();
            // Alone, our listener would swallow the signal: restore the default and re-raise it.
            if (process.listenerCount(signal) === 1) {
                process.removeListener(signal, onSignal);
                process.kill(process.pid, signal);
            }
        };
        process.on(signal, onSignal);
    }
}

interface CapturedText {
    append(chunk: Buffer | string): void;
    text(): string;
}

/** Keeps the last `cap` characters written. */
function capturedText(cap: number): CapturedText {
    let text = "";
    return {
        append: (chunk) => {
            text = (text + chunk.toString()).slice(-cap);
        },
        text: () => text,
    };
}
