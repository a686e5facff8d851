/**
 * Where a stack config key is written: `cloudrun-staging:service.resources.cpu` → Pulumi.staging.yaml line 9.
 * A key the file does not set (a default applies) is located at its nearest written parent, marked inexact.
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node } from "yaml";

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
        if (!isMap(config)) {
            return undefined;
        }
        // The project's own keys may be written without the namespace.
        const bare = top.startsWith(`${this.projectName}:`) ? top.slice(this.projectName.length + 1) : undefined;
        let pair = config.items.find((p) => isScalar(p.key) && (p.key.value === top || (bare !== undefined && p.key.value === bare)));
        if (pair === undefined) {
            return undefined;
        }
        let at = this.position(pair.key as Node);
        let node = pair.value as Node | null;
        for (const step of steps) {
            if (typeof step === "number" && isSeq(node) && node.items[step] !== undefined) {
                node = node.items[step] as Node;
                at = this.position(node);
            } else if (typeof step === "string" && isMap(node) && (pair = node.items.find((p) => isScalar(p.key) && p.key.value === step)) !== undefined) {
                at = this.position(pair.key as Node);
                node = pair.value as Node | null;
            } else {
                return { ...at, exact: false };
            }
        }
        return { ...at, exact: true };
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
