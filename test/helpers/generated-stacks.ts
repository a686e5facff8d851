/**
 * The stack benchmark's generated stacks (bench/stack-scale.ts) as test fixtures, optionally damaged in every way the
 * stack policies tell apart: dropped secrets and grants, unknown or malformed references, other projects, unknown
 * or default identities, connectors elsewhere, secret-wrapped values. Deterministic for a seed.
 */
import { AnalyzerResource } from "../../tools/analyzer";
import { prng, realisticStack, secretHeavyStack } from "../../bench/stack-scale";
import { TestResource, Tree, UNKNOWN, secretValue } from "./policy-harness";

export { realisticStack, secretHeavyStack };

const isType = (r: AnalyzerResource, fragment: string) => r.type.includes(fragment);

/** About `rate` of the resources (and of each service's references) damaged, one way each. */
export function damagedStack(stack: readonly AnalyzerResource[], seed: number, rate: number): AnalyzerResource[] {
    const random = prng(seed);
    const out: AnalyzerResource[] = [];
    for (const original of stack) {
        const r = structuredClone(original);
        const p = r.properties as Tree;
        if (random() < rate && (isType(r, "secretIamMember") || isType(r, "/secret:Secret"))) {
            continue;
        }
        if (isType(r, "cloudrunv2/service")) {
            damageService(r, p, random, rate);
        } else if (isType(r, "secretIamMember")) {
            const roll = random();
            if (roll < rate) p.secretId = UNKNOWN.string;
            else if (roll < 2 * rate) p.member = UNKNOWN.string;
            else if (roll < 3 * rate) p.role = "roles/viewer";
            else if (roll < 4 * rate) p.secretId = String(p.secretId).replace("acme-prod", "other");
        } else if (isType(r, "serviceaccount/account") && random() < rate) {
            p.email = UNKNOWN.string;
        } else if (isType(r, "/secret:Secret") && random() < rate) {
            p.secretId = UNKNOWN.string;
            p.name = UNKNOWN.string;
        }
        out.push(r);
    }
    out.push({
        urn: "urn:pulumi:prod::platform::gcp:projects/iAMMember:IAMMember::project-reader", type: "gcp:projects/iAMMember:IAMMember", name: "project-reader",
        properties: { project: "acme-prod", role: "roles/secretmanager.secretAccessor", member: "serviceAccount:svc-3-run@acme-prod.iam.gserviceaccount.com" },
    });
    return out;
}

function damageService(r: AnalyzerResource, p: Tree, random: () => number, rate: number): void {
    const container = p.template.containers[0];
    const roll = random();
    if (roll < rate) p.template.serviceAccount = UNKNOWN.string;
    else if (roll < 2 * rate) { p.template.serviceAccount = UNKNOWN.string; r.propertyDependencies = { template: [] }; }
    else if (roll < 3 * rate) p.template.vpcAccess.connector = UNKNOWN.string;
    else if (roll < 4 * rate) p.template.vpcAccess.connector = "projects/acme-prod/locations/us-east1/connectors/cx-1";
    else if (roll < 5 * rate) p.template.vpcAccess.connector = "not a connector/x/y";
    else if (roll < 6 * rate) p.template.serviceAccount = "";
    else if (roll < 7 * rate) p.template.serviceAccount = "someone-else@acme-prod.iam.gserviceaccount.com";
    else if (roll < 8 * rate) container.envs = UNKNOWN.array;
    else if (roll < 9 * rate) p.project = secretValue("acme-prod");
    for (const env of Array.isArray(container.envs) ? container.envs : []) {
        const ref = env.valueSource?.secretKeyRef;
        if (!ref) {
            continue;
        }
        const e = random();
        if (e < rate / 2) ref.secret = UNKNOWN.string;
        else if (e < rate) ref.secret = "";
        else if (e < 1.5 * rate) ref.secret = `projects/other-project/secrets/${ref.secret}`;
        else if (e < 2 * rate) ref.secret = `projects/acme-prod/secrets/${ref.secret}`;
        else if (e < 2.5 * rate) ref.secret = `missing-${ref.secret}`;
        else if (e < 3 * rate) ref.secret = secretValue(ref.secret);
    }
    if (random() < rate) {
        p.template.volumes = [{ name: "cfg", secret: { secret: random() < 0.5 ? "shared-secret-1" : UNKNOWN.string } }];
    }
}

/** A generated stack in the policy harness's shape. */
export function asTestResources(stack: readonly AnalyzerResource[]): TestResource[] {
    return stack.map((r) => ({
        urn: r.urn, type: r.type, name: r.name, props: r.properties as Tree,
        dependencies: r.dependencies, propertyDependencies: r.propertyDependencies,
    }));
}
