/**
 * A `pulumi stack export` (checkpoint version 3) as the engine hands it to a policy pack, the way
 * `pulumi policy analyze --file <export> --policy-pack <dir>` does: no program and no provider. Every resource of
 * the deployment is analyzed, the root Stack and the provider resources included; Analyze gets the resource's
 * recorded inputs, AnalyzeStack its outputs, with parent, dependencies, propertyDependencies and the provider's
 * inputs. Secrets stay secret objects with their plaintext, so the export must be made with --show-secrets: an
 * encrypted value cannot be read here, and reading it as "not known" would hide a violation behind it, so such an
 * export is refused. Read resources (`external: true`) and resources pending deletion are left out: the engine
 * never sends them to a pack.
 */
// Not "../analyzer": its client loads gRPC, which main.js loads (without the TypeScript hook) once the pack is spawned.
import type { AnalyzerResource, ProviderResource } from "../analyzer/client";
import { PropertyMap, PropertyValue, SIG_KEY, SIGNATURES, mapSecrets } from "../analyzer/properties";

/** Raised for an export that is not a version 3 deployment; the message says what is wrong and where. */
export class StackExportError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackExportError";
    }
}

/** The resources to analyze: `checked` for Analyze (recorded inputs), `outputs` for AnalyzeStack. */
export interface ExportedStack {
    stack: string;
    project: string;
    checked: AnalyzerResource[];
    outputs: AnalyzerResource[];
}

interface StateResource {
    urn: string;
    type: string;
    custom?: boolean;
    id?: string;
    parent?: string;
    provider?: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    delete?: boolean;
    external?: boolean;
}

export function readStackExport(text: string, file: string): ExportedStack {
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (e) {
        throw new StackExportError(`${file} is not valid JSON (${(e as Error).message})`);
    }
    const root = parsed as { version?: unknown; deployment?: { resources?: unknown } };
    if (typeof root !== "object" || root === null || Array.isArray(root)) {
        throw new StackExportError(`${file} is not a stack export: expected a JSON object with "version" and "deployment"`);
    }
    if (root.version !== 3) {
        throw new StackExportError(`${file}: "version" is ${JSON.stringify(root.version)}; only checkpoint version 3 (pulumi stack export) is supported`);
    }
    const resources = root.deployment?.resources;
    if (!Array.isArray(resources)) {
        throw new StackExportError(`${file}: "deployment.resources" is missing or not a list`);
    }
    const state = resources.map((r, i) => checkedResource(r, i, file)).filter((r) => !r.delete && !r.external);
    const encrypted = state.reduce((n, r) => n + countCiphertexts(r.inputs) + countCiphertexts(r.outputs), 0);
    if (encrypted > 0) {
        throw new StackExportError(`${file} holds ${encrypted} encrypted secret value(s), which cannot be read offline (and an unread value would hide ` +
            "a violation); export with `pulumi stack export --show-secrets --file <file>` and keep that file out of version control");
    }
    const byUrn = new Map(state.map((r) => [r.urn, r]));
    const stackUrn = state.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
    const toAnalyzer = (r: StateResource, props: Record<string, unknown> | undefined): AnalyzerResource => ({
        urn: r.urn,
        type: r.type,
        name: nameOf(r.urn),
        properties: fromState(props ?? {}) as PropertyMap,
        parent: r.parent,
        dependencies: r.dependencies ?? [],
        propertyDependencies: r.propertyDependencies ?? {},
        provider: providerOf(r, byUrn),
    });
    const [project, stack] = stackUrn ? urnParts(stackUrn) : ["", ""];
    return {
        project,
        stack,
        checked: state.map((r) => toAnalyzer(r, r.inputs)),
        outputs: state.map((r) => toAnalyzer(r, r.outputs)),
    };
}

function checkedResource(value: unknown, index: number, file: string): StateResource {
    const r = value as Partial<StateResource>;
    const where = `${file}: deployment.resources[${index}]`;
    if (typeof r !== "object" || r === null) {
        throw new StackExportError(`${where} is not an object`);
    }
    if (typeof r.urn !== "string" || !r.urn.startsWith("urn:pulumi:")) {
        throw new StackExportError(`${where} has no "urn" of the form urn:pulumi:<stack>::<project>::<type>::<name>`);
    }
    if (typeof r.type !== "string" || r.type === "") {
        throw new StackExportError(`${where} (${r.urn}) has no "type"`);
    }
    for (const key of ["inputs", "outputs", "propertyDependencies"] as const) {
        if (r[key] !== undefined && (typeof r[key] !== "object" || r[key] === null || Array.isArray(r[key]))) {
            throw new StackExportError(`${where} (${r.urn}): "${key}" must be an object`);
        }
    }
    if (r.dependencies !== undefined && !Array.isArray(r.dependencies)) {
        throw new StackExportError(`${where} (${r.urn}): "dependencies" must be a list of URNs`);
    }
    return r as StateResource;
}

/** "urn:pulumi:<stack>::<project>::<type>::<name>" → [project, stack]. */
function urnParts(urn: string): [string, string] {
    const [head, project] = urn.split("::");
    return [project ?? "", head.replace(/^urn:pulumi:/, "")];
}

function nameOf(urn: string): string {
    return urn.slice(urn.lastIndexOf("::") + 2);
}

/** A provider reference is "<provider urn>::<provider id>". */
function providerOf(resource: StateResource, byUrn: ReadonlyMap<string, StateResource>): ProviderResource | undefined {
    if (!resource.provider) {
        return undefined;
    }
    const urn = resource.provider.slice(0, resource.provider.lastIndexOf("::"));
    const provider = byUrn.get(urn);
    return provider ? { urn, type: provider.type, name: nameOf(urn), properties: fromState(provider.inputs ?? {}) as PropertyMap } : undefined;
}

/** Secret values exported without --show-secrets. */
function countCiphertexts(value: unknown): number {
    if (Array.isArray(value)) {
        return value.reduce((n: number, item) => n + countCiphertexts(item), 0);
    }
    if (typeof value === "object" && value !== null) {
        const object = value as Record<string, unknown>;
        if (object[SIG_KEY] === SIGNATURES.secret && !("plaintext" in object)) {
            return 1;
        }
        return Object.values(object).reduce((n: number, item) => n + countCiphertexts(item), 0);
    }
    return 0;
}

/** State values as the engine marshals them: secrets kept as secrets, with their plaintext. */
function fromState(value: unknown): PropertyValue {
    return mapSecrets(value, (secretObject) => ({ [SIG_KEY]: SIGNATURES.secret, value: fromState(parsePlaintext(secretObject.plaintext)) })) as PropertyValue;
}

/** --show-secrets writes a secret's value as JSON text in "plaintext". */
function parsePlaintext(plaintext: unknown): unknown {
    if (typeof plaintext !== "string") {
        return plaintext;
    }
    try {
        return JSON.parse(plaintext);
    } catch {
        return plaintext;
    }
}
