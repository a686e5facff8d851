/**
 * Stack policies at scale (`npm run bench:stack`, part of `npm run bench`, not of `npm test`).
 *
 * Generates stacks the size real organisations run and measures, for the real pack and a no-op pack (one resource
 * and one stack policy that do nothing), both launched and called as the engine does (Analyze for every resource
 * first, then AnalyzeStack): the AnalyzeStack time, the per-resource Analyze time, and the pack's peak RSS. Prints
 * each ratio real / no-op measured in the same run, against its goal; exit 1 when one is over.
 *
 * Stacks (deterministic, seeded):
 * - realistic(n): n resources, half unrelated; the rest Cloud Run services with 20-50 env vars, a quarter of them
 *   secret references, a secret and an accessor grant per reference, a connector per five services;
 * - secret-heavy(s): s services x 50 secret references to 2,500 shared secrets, 5,000 grants (about 12k resources
 *   at s = 2,000).
 *
 * @pulumi/policy's AnalyzeStack handler deserializes the stack and builds its resource objects once per stack policy
 * (server.js). The real pack serves AnalyzeStack with one pass over its stack policies
 * (policies/lib/one-stack-pass.ts), so it pays that once, as the no-op pack with its one stack policy does.
 *
 * Env: BENCH_STACK_SIZE (default 10000), BENCH_SECRET_SERVICES (default 2000), BENCH_STACK_RUNS (default 5).
 */
import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import { AnalyzerResource, PolicyPackProcess, launchPolicyPack } from "../tools/analyzer";
import { linkPolicyNodeModules, median } from "./lib";

const REPO = path.resolve(__dirname, "..");
const POLICIES_DIR = path.join(REPO, "policies");
const NOOP_DIR = path.join(__dirname, "fixtures", "noop-pack");
const SIZE = Number(process.env.BENCH_STACK_SIZE ?? 10_000);
const SECRET_SERVICES = Number(process.env.BENCH_SECRET_SERVICES ?? 2_000);
const RUNS = Number(process.env.BENCH_STACK_RUNS ?? 5);

const GOALS = {
    analyzeStackRealistic: 1.3,
    analyzeStackSecretHeavy: 1.5,
    growth: 1.2,
    peakRss: 1.2,
    analyze: 1.1,
} as const;

const PROJECT = "acme-prod";
const REGION = "europe-west1";

function urn(type: string, name: string): string {
    return `urn:pulumi:prod::platform::${type}::${name}`;
}

/** A small deterministic PRNG (mulberry32), so every run measures the same stacks. */
export function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = Math.imul(a ^ (a >>> 15), a | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const T = {
    service: "gcp:cloudrunv2/service:Service",
    secret: "gcp:secretmanager/secret:Secret",
    grant: "gcp:secretmanager/secretIamMember:SecretIamMember",
    account: "gcp:serviceaccount/account:Account",
    connector: "gcp:vpcaccess/connector:Connector",
    bucket: "gcp:storage/bucket:Bucket",
};

function serviceResource(name: string, email: string, accountUrn: string, envs: object[], connector: string, deps: string[]): AnalyzerResource {
    return {
        urn: urn(T.service, name), type: T.service, name,
        properties: {
            name, location: REGION, project: PROJECT, ingress: "INGRESS_TRAFFIC_INTERNAL_ONLY",
            template: {
                serviceAccount: email, timeout: "900s",
                vpcAccess: { connector, egress: "PRIVATE_RANGES_ONLY" },
                containers: [{
                    image: `${REGION}-docker.pkg.dev/${PROJECT}/apps/${name}@sha256:${"0123456789abcdef".repeat(4)}`,
                    ports: { containerPort: 8080 },
                    resources: { limits: { cpu: "2", memory: "4Gi" } },
                    startupProbe: { httpGet: { path: "/healthz" }, periodSeconds: 10, failureThreshold: 24 },
                    envs: envs as never,
                }],
            },
        },
        dependencies: [accountUrn, ...deps],
        propertyDependencies: { template: [accountUrn, ...deps] },
    };
}

function accountResource(name: string): { resource: AnalyzerResource; email: string } {
    const email = `${name}@${PROJECT}.iam.gserviceaccount.com`;
    return {
        email,
        resource: { urn: urn(T.account, name), type: T.account, name, properties: { accountId: name, project: PROJECT, email, member: `serviceAccount:${email}` } },
    };
}

function secretResource(id: string): AnalyzerResource {
    return { urn: urn(T.secret, id), type: T.secret, name: id, properties: { secretId: id, project: PROJECT, replication: { auto: {} }, name: `projects/123456789012/secrets/${id}` } };
}

function grantResource(name: string, secretId: string, email: string, secretUrn: string, accountUrn: string): AnalyzerResource {
    return {
        urn: urn(T.grant, name), type: T.grant, name,
        properties: { secretId: `projects/${PROJECT}/secrets/${secretId}`, role: "roles/secretmanager.secretAccessor", member: `serviceAccount:${email}` },
        dependencies: [secretUrn, accountUrn], propertyDependencies: { secretId: [secretUrn], member: [accountUrn] },
    };
}

/** About n resources: half unrelated, the rest services with their accounts, secrets, grants and connectors. */
export function realisticStack(n: number, seed = 7): AnalyzerResource[] {
    const random = prng(seed);
    const out: AnalyzerResource[] = [];
    for (let i = 0; out.length < n / 2; i++) {
        out.push({ urn: urn(T.bucket, `bucket-${i}`), type: T.bucket, name: `bucket-${i}`, properties: { name: `bucket-${i}`, location: "EU", labels: { team: `t${i % 17}` } } });
    }
    let connector = "";
    for (let s = 0; out.length < n; s++) {
        if (s % 5 === 0) {
            const name = `cx-${s / 5}`;
            connector = `projects/${PROJECT}/locations/${REGION}/connectors/${name}`;
            out.push({ urn: urn(T.connector, name), type: T.connector, name, properties: { name, region: REGION, project: PROJECT, network: "default", ipCidrRange: "10.8.0.0/28", minInstances: 2, maxInstances: 3 } });
        }
        const { resource: account, email } = accountResource(`svc-${s}-run`);
        out.push(account);
        const envCount = 20 + Math.floor(random() * 31);
        const envs: object[] = [];
        const deps: string[] = [];
        for (let e = 0; e < envCount; e++) {
            if (e % 4 === 0) {
                const id = `svc-${s}-secret-${e}`;
                const secret = secretResource(id);
                out.push(secret, grantResource(`${id}-access`, id, email, secret.urn, account.urn));
                envs.push({ name: `SECRET_${e}`, valueSource: { secretKeyRef: { secret: id, version: "1" } } });
                deps.push(secret.urn);
            } else {
                envs.push({ name: `SETTING_${e}`, value: `value-${e}` });
            }
        }
        out.push(serviceResource(`svc-${s}`, email, account.urn, envs, connector, deps));
    }
    return out;
}

/** `services` services x 50 references to 2,500 shared secrets; 5,000 grants (two per secret). */
export function secretHeavyStack(services: number, seed = 11, secretCount = 2_500): AnalyzerResource[] {
    const random = prng(seed);
    const out: AnalyzerResource[] = [];
    const shared = accountResource("shared-runtime");
    out.push(shared.resource);
    const secrets = Array.from({ length: secretCount }, (_, i) => secretResource(`shared-secret-${i}`));
    out.push(...secrets);
    for (let i = 0; i < secretCount; i++) {
        out.push(grantResource(`shared-secret-${i}-a`, `shared-secret-${i}`, shared.email, secrets[i].urn, shared.resource.urn));
        out.push(grantResource(`shared-secret-${i}-b`, `shared-secret-${i}`, `reader-${i % 97}@${PROJECT}.iam.gserviceaccount.com`, secrets[i].urn, shared.resource.urn));
    }
    out.push({ urn: urn(T.connector, "cx"), type: T.connector, name: "cx", properties: { name: "cx", region: REGION, project: PROJECT, network: "default", ipCidrRange: "10.8.0.0/28" } });
    for (let s = 0; s < services; s++) {
        const envs = Array.from({ length: 50 }, (_, e) => {
            const id = `shared-secret-${Math.floor(random() * secretCount)}`;
            return { name: `SECRET_${e}`, valueSource: { secretKeyRef: { secret: id, version: "1" } } };
        });
        out.push(serviceResource(`heavy-${s}`, shared.email, shared.resource.urn, envs, `projects/${PROJECT}/locations/${REGION}/connectors/cx`, []));
    }
    return out;
}

interface Measurement {
    analyzeMs: number;
    analyzeStackMs: number;
    peakRssMiB: number;
}

type PackKind = "real" | "noop";

/** Launches a pack, runs Analyze for every resource then AnalyzeStack, and reads its peak RSS. */
async function measure(kind: PackKind, resources: readonly AnalyzerResource[]): Promise<Measurement> {
    const dir = kind === "real" ? POLICIES_DIR : NOOP_DIR;
    const pack: PolicyPackProcess = await launchPolicyPack(dir, { callTimeoutMs: 900_000, startupTimeoutMs: 120_000 });
    try {
        let started = performance.now();
        for (const resource of resources) {
            await pack.client.analyze(resource);
        }
        const analyzeMs = performance.now() - started;
        started = performance.now();
        await pack.client.analyzeStack(resources);
        const analyzeStackMs = performance.now() - started;
        return { analyzeMs, analyzeStackMs, peakRssMiB: peakRssMiB(pack.pid) };
    } finally {
        await pack.close();
    }
}

function peakRssMiB(pid: number): number {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kib = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
    return kib / 1024;
}

/** Medians over RUNS alternating runs of the two packs. */
async function compare(label: string, resources: readonly AnalyzerResource[]): Promise<Record<PackKind, Measurement>> {
    const samples: Record<PackKind, Measurement[]> = { real: [], noop: [] };
    const kinds: PackKind[] = ["real", "noop"];
    for (let run = 0; run < RUNS; run++) {
        for (const which of run % 2 === 0 ? kinds : [...kinds].reverse()) {
            samples[which].push(await measure(which, resources));
        }
    }
    const summarise = (ms: Measurement[]): Measurement => ({
        analyzeMs: median(ms.map((m) => m.analyzeMs)),
        analyzeStackMs: median(ms.map((m) => m.analyzeStackMs)),
        peakRssMiB: median(ms.map((m) => m.peakRssMiB)),
    });
    const result = { real: summarise(samples.real), noop: summarise(samples.noop) };
    const minMax = (ms: Measurement[]) => `${Math.min(...ms.map((m) => m.analyzeStackMs)).toFixed(0)}-${Math.max(...ms.map((m) => m.analyzeStackMs)).toFixed(0)}`;
    console.log(`${label} (${resources.length} resources, ${RUNS} runs): AnalyzeStack real ${result.real.analyzeStackMs.toFixed(0)} ms [${minMax(samples.real)}], ` +
        `no-op ${result.noop.analyzeStackMs.toFixed(0)} ms [${minMax(samples.noop)}]; Analyze all real ${result.real.analyzeMs.toFixed(0)} ms, no-op ${result.noop.analyzeMs.toFixed(0)} ms; ` +
        `peak RSS real ${result.real.peakRssMiB.toFixed(0)} MiB, no-op ${result.noop.peakRssMiB.toFixed(0)} MiB`);
    return result;
}

async function main(): Promise<number> {
    const unlink = linkPolicyNodeModules([NOOP_DIR]);
    try {
        const small = await compare(`realistic ${SIZE / 10}`, realisticStack(SIZE / 10));
        const large = await compare(`realistic ${SIZE}`, realisticStack(SIZE));
        const heavy = await compare(`secret-heavy ${SECRET_SERVICES} services`, secretHeavyStack(SECRET_SERVICES));
        const ratios: [string, number, number][] = [
            [`AnalyzeStack realistic ${SIZE}`, large.real.analyzeStackMs / large.noop.analyzeStackMs, GOALS.analyzeStackRealistic],
            ["AnalyzeStack secret-heavy", heavy.real.analyzeStackMs / heavy.noop.analyzeStackMs, GOALS.analyzeStackSecretHeavy],
            [`growth (${SIZE}/${SIZE / 10} real over no-op)`,
                (large.real.analyzeStackMs / small.real.analyzeStackMs) / (large.noop.analyzeStackMs / small.noop.analyzeStackMs), GOALS.growth],
            ["peak RSS (secret-heavy)", heavy.real.peakRssMiB / heavy.noop.peakRssMiB, GOALS.peakRss],
            [`Analyze per resource (${SIZE / 10})`, small.real.analyzeMs / small.noop.analyzeMs, GOALS.analyze],
        ];
        let failed = 0;
        for (const [label, ratio, goal] of ratios) {
            const ok = ratio <= goal;
            failed += ok ? 0 : 1;
            console.log(`${label}: ${ratio.toFixed(2)}x (goal <= ${goal}) ${ok ? "OK" : "OVER"}`);
        }
        return failed > 0 ? 1 : 0;
    } finally {
        unlink();
    }
}

if (require.main === module) {
    main().then((code) => {
        process.exitCode = code;
    }, (error: unknown) => {
        console.error(error instanceof Error ? error.message : error);
        process.exitCode = 2;
    });
}
