/**
 * Where a key path is written in a YAML or JSON file (JSON is YAML; the yaml parser keeps each node's place): a stack
 * config key (`cloudrun-staging:service.resources.cpu` → Pulumi.staging.yaml line 9; a key the file does not set is
 * located at its nearest written parent, marked inexact), or a policy-config entry (tools/check/policy-config.ts).
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node } from "yaml";

/** One step of a path found in a document: the entry's key (in a map) and its value. */
export interface PathStep {
    key?: Node;
    value?: Node;
}

/**
 * Walks a parsed document along `path` as far as it goes: one step per part reached. With a key given twice, the
 * last one counts, as in JSON.parse.
 */
export function walkPath(root: unknown, path: readonly (string | number)[]): PathStep[] {
    const steps: PathStep[] = [];
    let node = root;
    for (const part of path) {
        let step: PathStep | undefined;
        if (isMap(node)) {
            const pair = node.items.filter((p) => isScalar(p.key) && String(p.key.value) === String(part)).at(-1);
            step = pair && { key: pair.key as Node, value: (pair.value ?? undefined) as Node | undefined };
        } else if (isSeq(node) && typeof part === "number" && node.items[part] !== undefined) {
            step = { value: node.items[part] as Node };
        }
        if (step === undefined) {
            break;
        }
        steps.push(step);
        node = step.value;
    }
    return steps;
}

export interface ConfigLocation {
    line: number;
    column: number;
    /** False when the key itself is not in the file and this is its nearest written parent. */
    exact: boolean;
}

/** Finds config keys in one stack file's text. */
export class StackFileLocator {
    private readonly doc;
    private readonly lines = new LineCounter();

    constructor(text: string, private readonly projectName: string) {
        this.doc = parseDocument(text, { lineCounter: this.lines });
    }

    /** The line and column of `key` (namespaced, with `.field` and `[index]` steps), or undefined if its top-level key is absent. */
    locate(key: string): ConfigLocation | undefined {
        const { top, steps } = splitConfigKey(key);
        const config = this.doc.get("config", true);
        // The project's own keys may be written without the namespace.
        const bare = top.startsWith(`${this.projectName}:`) ? top.slice(this.projectName.length + 1) : top;
        const first = walkPath(config, [top]).length > 0 ? top : bare;
        const found = walkPath(config, [first, ...steps]);
        const last = found.at(-1);
        const node = last?.key ?? last?.value;
        return node === undefined ? undefined : { ...this.position(node), exact: found.length === steps.length + 1 };
    }

    private position(node: Node): { line: number; column: number } {
        const { line, col } = this.lines.linePos(node.range?.[0] ?? 0);
        return { line, column: col };
    }
}

/** `ns:top.a[0].b` → top `ns:top`, steps ["a", 0, "b"]. */
export function splitConfigKey(key: string): { top: string; steps: (string | number)[] } {
    const colon = key.indexOf(":");
    const firstStep = key.slice(colon + 1).search(/[.[]/);
    const topEnd = firstStep < 0 ? key.length : colon + 1 + firstStep;
    const steps = [...key.slice(topEnd).matchAll(/\.([^.[]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]));
    return { top: key.slice(0, topEnd), steps };
}
