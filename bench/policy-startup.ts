/**
 * Policy pack startup benchmark (`npm run bench`).
 *
 * Every `pulumi preview`/`up` starts the pack, so its startup is paid on every run. This measures wall time from
 * spawn to the printed gRPC port, through the same launch path as the engine (tools/analyzer), for:
 *   - the real pack (policies/, precompiled to bin/),
 *   - a no-op pack built the same way (bench/fixtures/noop-pack: one no-op policy, same @pulumi/policy), deferring
 *     the SDK's closure serializer as the real pack does (policies/lib/deferred-modules.ts),
 * interleaved (with the informational no-op below) so drift hits all alike, and fails when median(real) /
 * median(no-op) exceeds MAX_RATIO: the pack's own code (policies, their imports) must stay cheap next to what every
 * pack pays.
 * Informational:
 *   - the no-op pack loading the serializer, as a pack that does not defer it does (the real pack starts faster);
 *   - a TypeScript pack importing the @pulumi/gcp root (bench/fixtures/ts-gcp-pack), which run-policy-pack
 *     type-checks at startup (uncached): the cost precompiling and narrow imports avoid.
 *
 * Env: BENCH_RUNS (default 15 per pack), BENCH_SKIP_TS=1 to skip the TypeScript case.
 */
import * as fs from "fs";
import * as path from "path";
import { launchPolicyPack } from "../tools/analyzer";
import { linkPolicyNodeModules, median } from "./lib";

const REPO = path.resolve(__dirname, "..");
const POLICIES_DIR = path.join(REPO, "policies");
const FIXTURES_DIR = path.join(__dirname, "fixtures");
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const MAX_RATIO = 1.3;
/** The TypeScript case repeats only while it stays under this per run, to keep the bench near two minutes. */
const TS_REPEAT_BUDGET_MS = 8_000;
const TS_MAX_RUNS = 3;

interface Subject {
    label: string;
    dir: string;
    env?: NodeJS.ProcessEnv;
    samples: number[];
}

async function main(): Promise<number> {
    assertPackBuilt();
    const real: Subject = { label: "real (policies/)", dir: POLICIES_DIR, samples: [] };
    const noop: Subject = { label: "no-op (fixtures/noop-pack, deferring)", dir: path.join(FIXTURES_DIR, "noop-pack"), env: { NOOP_DEFER_SERIALIZER: "1" }, samples: [] };
    const loadingNoop: Subject = { ...noop, label: "no-op loading the serializer (info)", env: undefined, samples: [] };
    const ts: Subject = {
        label: "ts + @pulumi/gcp (info)",
        dir: path.join(FIXTURES_DIR, "ts-gcp-pack"),
        // run-policy-pack's ts-node caches compiled output in the temp dir; uncached is what the first preview
        // after an edit, and every CI run, pays.
        env: { TS_NODE_CACHE: "false" },
        samples: [],
    };
    const unlink = linkPolicyNodeModules([noop.dir, ts.dir]);
    try {
        // Warm the file cache and V8's code cache for every measured pack before anything counts.
        const subjects = [real, noop, loadingNoop];
        for (const subject of subjects) {
            await startupMs(subject);
        }
        for (let run = 0; run < RUNS; run++) {
            // Rotate who goes first, so none always starts right after the same one exits.
            for (let i = 0; i < subjects.length; i++) {
                const subject = subjects[(run + i) % subjects.length];
                subject.samples.push(await startupMs(subject));
            }
        }
        const tsNote = process.env.BENCH_SKIP_TS === "1" ? "skipped (BENCH_SKIP_TS=1)" : await measureTypeScriptPack(ts);
        const ratio = median(real.samples) / median(noop.samples);
        printTable([real, noop, loadingNoop, ts]);
        if (tsNote) {
            console.log(`ts + @pulumi/gcp: ${tsNote}`);
        }
        console.log(`information: ratio real/no-op loading the serializer (medians): ${(median(real.samples) / median(loadingNoop.samples)).toFixed(2)}`);
        const verdict = ratio <= MAX_RATIO ? "OK" : "FAIL";
        console.log(`ratio real/no-op (medians): ${ratio.toFixed(2)} (limit ${MAX_RATIO}) ${verdict}`);
        return ratio <= MAX_RATIO ? 0 : 1;
    } finally {
        unlink();
    }
}

/** Spawn-to-port time of one launch, through the same path the tests and the check CLI use. */
async function startupMs(subject: Subject): Promise<number> {
    const pack = await launchPolicyPack(subject.dir, { env: subject.env, startupTimeoutMs: 120_000 });
    try {
        return pack.startupMs;
    } finally {
        await pack.close();
    }
}

/** Best effort: a failure or a slow first run is reported, not fatal. Returns a note when runs were cut short. */
async function measureTypeScriptPack(subject: Subject): Promise<string | undefined> {
    try {
        while (subject.samples.length < TS_MAX_RUNS) {
            subject.samples.push(await startupMs(subject));
            if (subject.samples[0] > TS_REPEAT_BUDGET_MS) {
                return `one run only (over ${TS_REPEAT_BUDGET_MS / 1000} s)`;
            }
        }
        return undefined;
    } catch (error) {
        return `skipped: ${String(error).split("\n").slice(0, 6).join("\n")}`;
    }
}

function assertPackBuilt(): void {
    const packageJson = JSON.parse(fs.readFileSync(path.join(POLICIES_DIR, "package.json"), "utf8")) as { main?: string };
    const main = path.join(POLICIES_DIR, packageJson.main ?? "index.js");
    if (!fs.existsSync(main)) {
        throw new Error(`${path.relative(REPO, main)} is missing: build the pack first (npm run build:policies)`);
    }
}

function printTable(subjects: Subject[]): void {
    const rows = [
        ["pack", "runs", "median ms", "min ms", "max ms"],
        ...subjects.map((s) => s.samples.length === 0
            ? [s.label, "0", "-", "-", "-"]
            : [s.label, String(s.samples.length), ...[median(s.samples), Math.min(...s.samples), Math.max(...s.samples)].map((ms) => ms.toFixed(0))]),
    ];
    const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
    const line = (row: string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join("  ");
    console.log(line(rows[0]));
    console.log(widths.map((width) => "-".repeat(width)).join("  "));
    rows.slice(1).forEach((row) => console.log(line(row)));
}

main().then(
    (code) => {
        process.exitCode = code;
    },
    (error: unknown) => {
        console.error(error instanceof Error ? error.message : error);
        process.exitCode = 2;
    },
);
