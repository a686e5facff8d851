/**
 * The real-world corpus: fixtures that reproduce how public Pulumi programs (and the provider's documentation
 * examples) declare Cloud Run resources, sent to the pack in the engine's shape.
 *
 * A fixture is written as the program's resources after `pulumi up`: every value known. A value the program
 * takes from another resource's output is written `out("<resource name>", <value after apply>)`, so one fixture
 * yields both shapes the engine sends:
 * - "applied": outputs known (a preview of an existing stack, or AnalyzeStack after `pulumi up`);
 * - "preview": a fresh-stack preview, where those outputs are unknown sentinels.
 * Either way propertyDependencies and dependencies are derived from where `out()` appears, the resources get
 * the root `pulumi:pulumi:Stack` as parent and a default `pulumi:providers:gcp` as provider (with the
 * provider's project and region), and the Stack and provider themselves are part of the stack, as the engine
 * sends them to AnalyzeStack.
 */
import { TestResource, UNKNOWN, urnOf } from "../helpers/policy-harness";

const OUT = Symbol("out");

/** A value the program takes from another resource's output: known after apply, unknown in a fresh preview. */
export interface OutputRef {
    readonly [OUT]: true;
    readonly from: string;
    readonly value: unknown;
}

/** `from`: the `name` of the resource (in the same fixture) the value comes from. */
export function out(from: string, value: unknown): OutputRef {
    return { [OUT]: true, from, value };
}

function isOutputRef(value: unknown): value is OutputRef {
    return typeof value === "object" && value !== null && (value as { [OUT]?: unknown })[OUT] === true;
}

/** One resource as the program declares it (props may hold `out()` references). */
export interface CorpusResource {
    type: string;
    name: string;
    props: Record<string, unknown>;
    /** Explicit dependsOn, by resource name. */
    dependsOn?: string[];
}

export interface CorpusFixture {
    /** What the fixture reproduces, e.g. "v2 service with a Cloud SQL volume and a secret env". */
    title: string;
    /** The public program it follows: repository (owner/name) and path; no code is copied. */
    source: { repo: string; path: string };
    /** Project and region of the default provider (gcp:project / gcp:region). */
    provider: { project: string; region: string };
    resources: CorpusResource[];
}

export type EngineMode = "applied" | "preview";

export const STACK_TYPE = "pulumi:pulumi:Stack";
export const GCP_PROVIDER_TYPE = "pulumi:providers:gcp";

/** The fixture's resources as the engine sends them in `mode`, Stack and default provider included. */
export function engineResources(fixture: CorpusFixture, mode: EngineMode): TestResource[] {
    const stackUrn = urnOf(STACK_TYPE, "corpus");
    const providerProps = { project: fixture.provider.project, region: fixture.provider.region, version: "9.37.0" };
    const provider = { type: GCP_PROVIDER_TYPE, name: "default_9_37_0", props: providerProps };
    const urnByName = new Map(fixture.resources.map((r) => [r.name, urnOf(r.type, r.name)]));
    const resolve = (name: string): string => {
        const urn = urnByName.get(name);
        if (!urn) {
            throw new Error(`fixture "${fixture.title}": out("${name}", …) names no resource of the fixture`);
        }
        return urn;
    };
    const resources: TestResource[] = fixture.resources.map((r) => {
        const propertyDependencies: Record<string, string[]> = {};
        const props: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(r.props)) {
            const from = new Set<string>();
            props[key] = materialise(value, mode, (name) => from.add(resolve(name)));
            if (from.size > 0) {
                propertyDependencies[key] = [...from];
            }
        }
        const explicit = (r.dependsOn ?? []).map(resolve);
        const dependencies = [...new Set([...Object.values(propertyDependencies).flat(), ...explicit])];
        return { type: r.type, name: r.name, props, parent: stackUrn, dependencies, propertyDependencies, provider };
    });
    return [
        { type: STACK_TYPE, name: "corpus", props: {} },
        { type: GCP_PROVIDER_TYPE, name: provider.name, props: providerProps, parent: stackUrn },
        ...resources,
    ];
}

function materialise(value: unknown, mode: EngineMode, dependOn: (name: string) => void): unknown {
    if (isOutputRef(value)) {
        dependOn(value.from);
        return mode === "applied" ? materialise(value.value, mode, dependOn) : unknownLike(value.value);
    }
    if (Array.isArray(value)) {
        return value.map((item) => materialise(item, mode, dependOn));
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, materialise(v, mode, dependOn)]));
    }
    return value;
}

/**
 * The engine sends one sentinel for every unknown, whatever the value's type (pkg/resource/plugin/rpc.go,
 * since v3.249): the string sentinel.
 */
function unknownLike(_value: unknown): string {
    return UNKNOWN.string;
}
