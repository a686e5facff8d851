/**
 * A `pulumi stack export` (checkpoint version 3) written for an applied run of a program under mocks: the root
 * Stack, the default providers, and every resource with its inputs, outputs, id, parent, provider reference,
 * dependencies and propertyDependencies, as the engine records them after `pulumi up`, secrets shown (--show-secrets).
 */
import { SIG_KEY, SIGNATURES, mapSecrets } from "../../tools/analyzer";
import { RunResult } from "../../tools/program-runner";

/** Secrets as `pulumi stack export --show-secrets` writes them: the signature and the value as JSON text. */
function shownSecrets(value: unknown): unknown {
    return mapSecrets(value, (secretObject) => ({ [SIG_KEY]: SIGNATURES.secret, plaintext: JSON.stringify(secretObject.value) }));
}

export function stackExportOf(run: RunResult, project: string, stack: string, gcp: { project: string; region: string }): unknown {
    const urn = (type: string, name: string, parentType = "") => `urn:pulumi:${stack}::${project}::${parentType}${type}::${name}`;
    const stackUrn = urn("pulumi:pulumi:Stack", `${project}-${stack}`);
    const providers = {
        gcp: { urn: urn("pulumi:providers:gcp", "default_9_37_0"), id: "0a1b2c3d-gcp", inputs: { project: gcp.project, region: gcp.region, version: "9.37.0" } },
        docker: { urn: urn("pulumi:providers:docker", "default_5_2_0"), id: "0a1b2c3d-docker", inputs: { version: "5.2.0" } },
    };
    const providerRef = (type: string) => {
        const pkg = type.split(":")[0] as keyof typeof providers;
        return providers[pkg] ? `${providers[pkg].urn}::${providers[pkg].id}` : undefined;
    };
    return {
        version: 3,
        deployment: {
            manifest: { time: "2026-11-24T00:00:00Z", magic: "", version: "v3.270.0" },
            resources: [
                { urn: stackUrn, custom: false, type: "pulumi:pulumi:Stack", outputs: run.outputs },
                ...Object.values(providers).map((p) => ({
                    urn: p.urn, custom: true, id: p.id, type: p.urn.split("::")[2], inputs: p.inputs, outputs: p.inputs, parent: stackUrn,
                })),
                ...run.resources.map((r) => ({
                    urn: r.urn,
                    custom: r.custom,
                    ...(r.custom ? { id: r.id ?? `${r.name}-id`, provider: providerRef(r.type) } : {}),
                    type: r.type,
                    inputs: shownSecrets(r.inputs),
                    outputs: r.custom ? shownSecrets(r.outputs) : {},
                    parent: r.parent ?? stackUrn,
                    dependencies: r.dependencies,
                    propertyDependencies: r.propertyDependencies,
                })),
            ],
        },
    };
}
