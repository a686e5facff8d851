/**
 * Offline check wall-time benchmark (`npm run bench:check`).
 *
 * Times `npm run check -- --stack staging` (the same node command the npm script runs) against a floor measured
 * in the same run: a node process that loads @pulumi/pulumi, @pulumi/policy and the provider modules the program
 * uses, as any program loads them (bench/fixtures/check-floor.js). Runs rotate so machine drift hits all; fails
 * when median(check) / median(floor) exceeds MAX_RATIO. That floor includes the SDKs' closure serializer, which
 * the check and its pack no longer load, so the ratio is not the check's overhead over what it cannot avoid.
 *
 * Information only: the same floor with the SDKs' closure serializer deferred, as the check and its pack defer it
 * (policies/lib/deferred-modules.ts). Most of the floor is that serializer (TypeScript and npm's arborist, once per
 * SDK copy), so the check's ratio to this floor is far above the limit: the check's critical path is the pack's
 * start, which run-policy-pack begins by loading ts-node and TypeScript.
 *
 * Env: BENCH_RUNS (default 7 per command).
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { median } from "./lib";

const REPO = path.resolve(__dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const MAX_RATIO = 1.5;

/** The check exactly as package.json's `check` script runs it, minus npm's own start-up. */
const CHECK = [process.execPath, "tools/check/main.js", "--stack", "staging"];
const FLOOR = [process.execPath, path.join("bench", "fixtures", "check-floor.js")];
const DEFERRED_FLOOR_ENV = { ...process.env, CHECK_FLOOR_DEFER_SERIALIZER: "1" };

function wallMs(command: string[], expectCode: number, env: NodeJS.ProcessEnv = process.env): number {
    const start = process.hrtime.bigint();
    const run = spawnSync(command[0], command.slice(1), { cwd: REPO, encoding: "utf8", env });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (run.status !== expectCode) {
        throw new Error(`${command.slice(1).join(" ")} exited ${run.status} (expected ${expectCode}):\n${run.stderr}`);
    }
    return ms;
}

function main(): number {
    // Warm the file cache (and tsx's transform cache) before anything counts.
    wallMs(FLOOR, 0);
    wallMs(FLOOR, 0, DEFERRED_FLOOR_ENV);
    wallMs(CHECK, 0);
    const floor: number[] = [];
    const deferredFloor: number[] = [];
    const check: number[] = [];
    const measures = [() => floor.push(wallMs(FLOOR, 0)), () => check.push(wallMs(CHECK, 0)), () => deferredFloor.push(wallMs(FLOOR, 0, DEFERRED_FLOOR_ENV))];
    for (let run = 0; run < RUNS; run++) {
        // Rotate who goes first, so none always runs right after the same one.
        for (let i = 0; i < measures.length; i++) {
            measures[(run + i) % measures.length]();
        }
    }
    const ratio = median(check) / median(floor);
    const row = (label: string, samples: number[]) =>
        `${label.padEnd(34)} ${median(samples).toFixed(0).padStart(7)} ms  (min ${Math.min(...samples).toFixed(0)}, max ${Math.max(...samples).toFixed(0)})`;
    console.log(`offline check wall time, ${RUNS} runs each, rotating`);
    console.log(row("floor (SDK + policy + gcp modules)", floor));
    console.log(row("check --stack staging", check));
    console.log(row("floor, serializer deferred (info)", deferredFloor));
    console.log(`information: ratio check/floor with the serializer deferred: ${(median(check) / median(deferredFloor)).toFixed(2)}`);
    console.log(`ratio check/floor: ${ratio.toFixed(2)} (limit ${MAX_RATIO})`);
    return ratio <= MAX_RATIO ? 0 : 1;
}

try {
    process.exitCode = main();
} catch (e) {
    console.error((e as Error).message);
    process.exitCode = 2;
}
