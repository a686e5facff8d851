/**
 * Offline check wall-time benchmark (`npm run bench:check`).
 *
 * Times `npm run check -- --stack staging` (the same node command the npm script runs) against a floor measured
 * in the same run: a node process that only loads @pulumi/pulumi, @pulumi/policy and the provider modules the
 * program uses (bench/fixtures/check-floor.js). Runs alternate so machine drift hits both; fails when
 * median(check) / median(floor) exceeds MAX_RATIO.
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

function wallMs(command: string[], expectCode: number): number {
    const start = process.hrtime.bigint();
    const run = spawnSync(command[0], command.slice(1), { cwd: REPO, encoding: "utf8" });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (run.status !== expectCode) {
        throw new Error(`${command.slice(1).join(" ")} exited ${run.status} (expected ${expectCode}):\n${run.stderr}`);
    }
    return ms;
}

function main(): number {
    // Warm the file cache (and tsx's transform cache) before anything counts.
    wallMs(FLOOR, 0);
    wallMs(CHECK, 0);
    const floor: number[] = [];
    const check: number[] = [];
    for (let run = 0; run < RUNS; run++) {
        if (run % 2 === 0) {
            floor.push(wallMs(FLOOR, 0));
            check.push(wallMs(CHECK, 0));
        } else {
            check.push(wallMs(CHECK, 0));
            floor.push(wallMs(FLOOR, 0));
        }
    }
    const ratio = median(check) / median(floor);
    const row = (label: string, samples: number[]) =>
        `${label.padEnd(34)} ${median(samples).toFixed(0).padStart(7)} ms  (min ${Math.min(...samples).toFixed(0)}, max ${Math.max(...samples).toFixed(0)})`;
    console.log(`offline check wall time, ${RUNS} runs each, alternating`);
    console.log(row("floor (SDK + policy + gcp modules)", floor));
    console.log(row("check --stack staging", check));
    console.log(`ratio check/floor: ${ratio.toFixed(2)} (limit ${MAX_RATIO})`);
    return ratio <= MAX_RATIO ? 0 : 1;
}

try {
    process.exitCode = main();
} catch (e) {
    console.error((e as Error).message);
    process.exitCode = 2;
}
