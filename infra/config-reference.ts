/**
 * The config reference, generated from the stack-config schema itself (descriptions, allowed values, defaults),
 * so the README cannot drift from what the program accepts.
 */
import { z } from "zod";
import { providerConfigSchema, stackConfigSchema } from "./config";

/** One row of the reference: a config key path and what it takes. */
export interface ConfigReferenceRow {
    key: string;
    required: boolean;
    default?: unknown;
    allowed?: string;
    description?: string;
}

interface Layer {
    type: string;
    innerType?: z.ZodType;
    in?: z.ZodType;
    defaultValue?: unknown;
    shape?: Record<string, z.ZodType>;
    valueType?: z.ZodType;
}

/**
 * The provider's keys the program needs (gcp:project, gcp:region), then every key under the project namespace,
 * depth first, in declaration order. `required` is within its parent.
 */
export function configReferenceRows(namespace: string): ConfigReferenceRow[] {
    const rows: ConfigReferenceRow[] = [];
    const visit = (schema: z.ZodType, key: string, keyNamespace: string) => {
        const info = describeLayers(schema);
        if (key) {
            rows.push({ key, required: info.required, default: info.default, allowed: info.allowed, description: info.description });
        }
        const def = info.core._zod.def as unknown as Layer;
        if (def.type === "object" && def.shape) {
            for (const [name, child] of Object.entries(def.shape)) {
                visit(child, key ? `${key}.${name}` : `${keyNamespace}:${name}`, keyNamespace);
            }
        } else if (def.type === "record" && def.valueType) {
            const valueDef = describeLayers(def.valueType).core._zod.def as unknown as Layer;
            if (valueDef.type === "object") {
                visit(def.valueType, `${key}.<NAME>`, keyNamespace);
            }
        }
    };
    visit(providerConfigSchema, "", "gcp");
    visit(stackConfigSchema, "", namespace);
    return rows;
}

/** The rows as a Markdown table. */
export function renderConfigReference(namespace: string): string {
    const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
    const lines = [
        "| Key | Required / default | Allowed | What it does |",
        "|---|---|---|---|",
        ...configReferenceRows(namespace).map((row) => {
            const need = row.required ? "required" : row.default !== undefined ? `default \`${JSON.stringify(row.default)}\`` : "optional";
            return `| \`${row.key}\` | ${need} | ${cell(row.allowed ?? "")} | ${cell(row.description ?? "")} |`;
        }),
    ];
    return lines.join("\n");
}

/** Looks through optional/default/pipe wrappers, collecting what each layer says. */
function describeLayers(schema: z.ZodType) {
    let current = schema;
    let required = true;
    let defaultValue: unknown;
    let allowed: string | undefined;
    let description: string | undefined;
    for (;;) {
        const meta = z.globalRegistry.get(current) as { allowed?: string; description?: string } | undefined;
        allowed ??= meta?.allowed;
        description ??= meta?.description ?? current.description;
        const def = current._zod.def as unknown as Layer;
        if (def.type === "optional") {
            required = false;
        } else if (def.type === "default" || def.type === "prefault") {
            required = false;
            defaultValue ??= def.defaultValue;
        }
        const inner = def.innerType ?? (def.type === "pipe" ? def.in : undefined);
        if (!inner || (def.type === "pipe" && (inner._zod.def as unknown as Layer).type === "transform")) {
            // A preprocess pipe starts with a transform: the schema that validates is its output side.
            const out = def.type === "pipe" ? (current._zod.def as unknown as { out: z.ZodType }).out : undefined;
            if (out && inner) {
                current = out;
                continue;
            }
            return { core: current, required, default: defaultValue, allowed, description };
        }
        current = inner;
    }
}
