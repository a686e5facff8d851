/**
 * Program start-up benchmark (`npm run bench:program`): what transpile-only saves on every `pulumi preview`/`up`.
 *
 * Pulumi's Node.js runtime loads a TypeScript program through ts-node and type-checks it unless tsconfig sets
 * `noCheck` (this repo does; `npm test` type-checks instead). This runs the staging program once under mocks both
 * ways, alternating, and reports the medians and the difference. Informational: it fails only if a run fails.
 *
 * Env: BENCH_RUNS (default 5 per mode).
 */
import { spawnSync } from "child_process";
import * as path from "path";

const REPO = path.resolve(__dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ONCE = path.join("bench", "fixtures", "run-staging-once.ts");

/** ts-node as Pulumi registers it: type-checking, or transpile-only. */
const MODES = {
    "type-checked (ts-node default)": { TS_NODE_TYPE_CHECK: "true", TS_NODE_TRANSPILE_ONLY: "false" },
    "transpile-only (tsconfig noCheck)": { TS_NODE_TRANSPILE_ONLY: "true" },
} as const;

function wallMs(env: Record<string, string>): number {
    const start = process.hrtime.bigint();
    const run = spawnSync(process.execPath, ["-r", "ts-node/register", ONCE], {
        cwd: REPO, encoding: "utf8", env: { ...process.env, TS_NODE_CACHE: "false", ...env },
    });
    if (run.status !== 0) {
        throw new Error(`program run failed (${run.status}):\n${run.stderr}`);
    }
    return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function main(): void {
    const samples = Object.fromEntries(Object.keys(MODES).map((m) => [m, [] as number[]]));
    const entries = Object.entries(MODES);
    for (let run = 0; run < RUNS; run++) {
        for (const [mode, env] of run % 2 === 0 ? entries : [...entries].reverse()) {
            samples[mode].push(wallMs(env));
        }
    }
    console.log(`staging program start-up under mocks, ${RUNS} runs each, alternating`);
    for (const [mode, values] of Object.entries(samples)) {
        console.log(`${mode.padEnd(36)} ${median(values).toFixed(0).padStart(7)} ms`);
    }
    const [checked, transpiled] = Object.values(samples).map(median);
    console.log(`transpile-only saves ${(checked - transpiled).toFixed(0)} ms per run (${(checked / transpiled).toFixed(1)}x faster)`);
}

try {
    main();
} catch (e) {
    console.error((e as Error).message);
    process.exitCode = 2;
}
