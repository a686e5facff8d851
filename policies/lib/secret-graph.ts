/**
 * Secrets, service accounts and accessor grants of a stack, resolved through known values first and
 * through propertyDependencies when a value is unknown during preview. Secrets are global or regional;
 * grants come in every IAM form: on one secret (member, binding, policy) or on the whole project.
 */
import { DEFAULT_COMPUTE_SA_RE, SECRET_ACCESSOR_ROLE, SecretName, parseSecretName } from "./cloud-run-limits";
import { iamBindingsOf } from "./iam";
import { PropNode, asString, at, isUnknown } from "./props";
import { IamForm, PROJECT_IAM_TYPES, RESOURCE_TYPES, SECRET_IAM_TYPES, SECRET_TYPES, iamFormOf } from "./resource-types";
import { nameText } from "./safe-text";
import {
    StackResource, appendTo, dependenciesOf, locationsCompatible, ofType, oncePerStack, ownOrProviderString, projectsCompatible, transitiveDependenciesOf,
} from "./stack-graph";
import { SecretUse, V1_ANNOTATIONS, WorkloadView, secretUses } from "./workload";

// ---------------------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------------------

/** A secret as far as it is known: its name, the Secret resource in the stack, or both. */
export interface SecretKey {
    readonly name?: SecretName;
    readonly urn?: string;
    /** Safe to show: a well-formed id, or the resource's name. */
    readonly label: string;
}

/** The name of a Secret or RegionalSecret resource (secretId, else its name output), with project and location. */
export function secretResourceName(secret: StackResource): SecretName | undefined {
    const secretId = asString(at(secret.root, "secretId"));
    const parsed = secretId !== undefined ? parseSecretName(secretId) : parseSecretName(asString(at(secret.root, "name")));
    if (!parsed) {
        return undefined;
    }
    const location = parsed.location ?? (secret.resource.type === RESOURCE_TYPES.regionalSecret ? asString(at(secret.root, "location")) : undefined);
    return {
        secretId: parsed.secretId,
        project: parsed.project ?? ownOrProviderString(secret, "project"),
        ...(location !== undefined ? { location } : {}),
    };
}

/** Same id, and project and location that can be the same (unset is "the default" or "not known"). */
export function secretNamesMatch(a: SecretName, b: SecretName): boolean {
    return a.secretId === b.secretId && projectsCompatible(a.project, b.project) && locationsCompatible(a.location, b.location);
}

function secretKeyOfResource(secret: StackResource): SecretKey {
    const name = secretResourceName(secret);
    return { name, urn: secret.resource.urn, label: name ? name.secretId : resourceLabel("Secret", secret) };
}

/**
 * A known secret name, linked to the stack's secret resource of that name when there is one. `label`: the
 * reference as written (parsed, so well-formed and safe to show).
 */
export function secretKeyOfName(name: SecretName, all: readonly StackResource[], label: string): SecretKey {
    const resource = secretsById(all).get(name.secretId)?.find((s) => secretNamesMatch(name, s.name));
    return { name, urn: resource?.secret.resource.urn, label };
}

/** The stack's secret resources by id, their names parsed once per call. */
const secretsById = oncePerStack((all) => {
    const index = new Map<string, { secret: StackResource; name: SecretName }[]>();
    for (const secret of ofType(all, SECRET_TYPES)) {
        const name = secretResourceName(secret);
        if (name) {
            appendTo(index, name.secretId, { secret, name });
        }
    }
    return index;
});

export function secretKeysMatch(a: SecretKey, b: SecretKey): boolean {
    if (a.urn !== undefined && a.urn === b.urn) {
        return true;
    }
    return a.name !== undefined && b.name !== undefined && secretNamesMatch(a.name, b.name);
}

/** The secrets a workload reads, split by how far they are known. */
export interface WorkloadSecretRefs {
    /** Names given as known strings, with the workload's project filled in for bare names. */
    readonly named: readonly { readonly use: SecretUse; readonly key: SecretKey }[];
    /** References that are set but not a secret name (wrong type, malformed path); never shown. */
    readonly malformed: readonly SecretUse[];
    /** References not known during preview (the reference itself or the list holding it), lists first. */
    readonly pending: readonly PropNode[];
    /** Secret resources the workload's template was computed from: where pending references resolve. */
    readonly dependencySecrets: readonly SecretKey[];
}

/** Each workload's secret references, read once per call (several stack policies ask). */
const secretRefsByWorkload = oncePerStack(() => new Map<StackResource, WorkloadSecretRefs>());

export function workloadSecretRefs(workload: StackResource, view: WorkloadView, all: readonly StackResource[]): WorkloadSecretRefs {
    const known = secretRefsByWorkload(all);
    let refs = known.get(workload);
    if (!refs) {
        refs = readWorkloadSecretRefs(workload, view, all);
        known.set(workload, refs);
    }
    return refs;
}

/**
 * The key of a reference written as a secret name (not a v1 alias), by reference text and the workload's project:
 * workloads that read the same secret share one key.
 */
const keysByReference = oncePerStack(() => new Map<string, Map<string | undefined, SecretKey | undefined>>());

function readWorkloadSecretRefs(workload: StackResource, view: WorkloadView, all: readonly StackResource[]): WorkloadSecretRefs {
    const project = ownOrProviderString(workload, "project");
    const aliases = view.generation === "v1" ? v1SecretAliases(view) : undefined;
    const named: { use: SecretUse; key: SecretKey }[] = [];
    const malformed: SecretUse[] = [];
    const pending: PropNode[] = unknownLists(view);
    for (const use of secretUses(view)) {
        if (isUnknown(use.secret)) {
            pending.push(use.secret);
            continue;
        }
        const text = asString(use.secret);
        const key = text === undefined ? undefined : referenceKey(text, project, aliases, all);
        if (key) {
            named.push({ use, key });
        } else {
            malformed.push(use);
        }
    }
    const dependencySecrets = transitiveDependenciesOf(workload, "template", SECRET_TYPES, all).map(secretKeyOfResource);
    return { named, malformed, pending, dependencySecrets };
}

/** The key of a known reference, or undefined when it is not a secret name (nor a v1 alias of one). */
function referenceKey(
    text: string, project: string | undefined, aliases: ReadonlyMap<string, SecretName> | undefined, all: readonly StackResource[],
): SecretKey | undefined {
    const aliased = aliases?.get(text);
    if (aliased) {
        // A v1 alias is shown as the id it stands for (unless it is itself a well-formed name).
        return secretKeyOfName({ ...aliased, project: aliased.project ?? project }, all, parseSecretName(text) ? text : aliased.secretId);
    }
    const byProject = keysByReference(all);
    let keys = byProject.get(text);
    if (!keys) {
        keys = new Map();
        byProject.set(text, keys);
    }
    if (!keys.has(project)) {
        const name = parseSecretName(text);
        keys.set(project, name && secretKeyOfName({ ...name, project: name.project ?? project }, all, text));
    }
    return keys.get(project);
}

/** Lists that could hold secret references but are unknown: their contents cannot be enumerated. */
function unknownLists(view: WorkloadView): PropNode[] {
    const lists = [view.containerList, view.volumes, ...view.containers.flatMap((c) => [c.node, c.envList, ...c.env.map((e) => e.node)])];
    return lists.filter(isUnknown);
}

/** The aliases a v1 service declares in its run.googleapis.com/secrets annotation ("alias:projects/p/secrets/s"). */
function v1SecretAliases(view: WorkloadView): Map<string, SecretName> {
    const text = asString(at(view.templateAnnotations, V1_ANNOTATIONS.secrets)) ?? "";
    const aliases = new Map<string, SecretName>();
    for (const entry of text.split(",")) {
        const [alias, path] = entry.split(/:(.*)/s);
        const name = parseSecretName(path?.trim());
        if (alias && name) {
            aliases.set(alias.trim(), name);
        }
    }
    return aliases;
}

// ---------------------------------------------------------------------------------------------------
// Service accounts
// ---------------------------------------------------------------------------------------------------

/** A principal as far as it is known: its email, the Account resource, or "the default compute SA". */
export interface Identity {
    readonly email?: string;
    readonly urn?: string;
    readonly defaultCompute?: boolean;
    /** Safe to show: a well-formed email, or the resource's name. */
    readonly label: string;
}

const SA_DOMAIN = "iam.gserviceaccount.com";

/** "Account backend-runtime": the Pulumi resource name, when it is a well-formed name. */
export function resourceLabel(kind: string, resource: StackResource): string {
    return `${kind} ${nameText(resource.resource.name, "resource") ?? "(a resource whose name is not shown)"}`;
}

/** An Account's email: known output, else accountId@project.iam.gserviceaccount.com when both are known. */
export function accountEmail(account: StackResource): string | undefined {
    const email = asString(at(account.root, "email"));
    if (email) {
        return email;
    }
    const accountId = asString(at(account.root, "accountId"));
    const project = ownOrProviderString(account, "project");
    return accountId && project ? `${accountId}@${project}.${SA_DOMAIN}` : undefined;
}

function identityOfAccount(account: StackResource): Identity {
    const email = accountEmail(account);
    return { email, urn: account.resource.urn, label: nameText(email, "email") ?? resourceLabel("Account", account) };
}

/** The stack's service accounts by lower-case email, computed once per call. */
const accountsByEmail = oncePerStack((all) => {
    const index = new Map<string, StackResource>();
    for (const account of ofType(all, RESOURCE_TYPES.serviceAccount)) {
        const known = accountEmail(account)?.toLowerCase();
        if (known !== undefined && !index.has(known)) {
            index.set(known, account);
        }
    }
    return index;
});

function accountByEmail(all: readonly StackResource[], email: string): StackResource | undefined {
    return accountsByEmail(all).get(email.toLowerCase());
}

function identityOfEmail(email: string, all: readonly StackResource[]): Identity {
    const account = accountByEmail(all, email);
    return {
        email,
        urn: account?.resource.urn,
        label: nameText(email, "email") ?? (account ? resourceLabel("Account", account) : "the service account (not a well-formed email)"),
        defaultCompute: DEFAULT_COMPUTE_SA_RE.test(email),
    };
}

export function identitiesMatch(a: Identity, b: Identity): boolean {
    if (a.urn !== undefined && a.urn === b.urn) {
        return true;
    }
    if (a.defaultCompute && b.defaultCompute) {
        return true;
    }
    return a.email !== undefined && b.email !== undefined && a.email.toLowerCase() === b.email.toLowerCase();
}

/** Who the revision runs as: candidates (several only when ambiguous), or why it cannot be told. */
export type RuntimeIdentity =
    | { readonly kind: "resolved"; readonly candidates: readonly Identity[] }
    | { readonly kind: "unresolved"; readonly node: PropNode };

export function runtimeIdentity(workload: StackResource, view: WorkloadView, all: readonly StackResource[]): RuntimeIdentity {
    const node = view.serviceAccount;
    if (isUnknown(node)) {
        const fromDeps = dependenciesOf(workload, "template", RESOURCE_TYPES.serviceAccount, all).map(identityOfAccount);
        return fromDeps.length > 0
            ? { kind: "resolved", candidates: fromDeps }
            : { kind: "unresolved", node };
    }
    const email = asString(node);
    if (email === undefined || email === "") {
        return { kind: "resolved", candidates: [{ defaultCompute: true, label: "the default compute service account" }] };
    }
    return { kind: "resolved", candidates: [identityOfEmail(email, all)] };
}

// ---------------------------------------------------------------------------------------------------
// Grants
// ---------------------------------------------------------------------------------------------------

/** Roles that include secretmanager.versions.access. */
export const ROLES_THAT_READ_SECRETS: readonly string[] = [SECRET_ACCESSOR_ROLE, "roles/secretmanager.admin", "roles/owner"];

/** A grant of a role that reads secrets: on some secrets, or on a whole project. */
export interface SecretGrant {
    readonly urn: string;
    /** "secret": the grant holds for `secrets`; "project": for every secret of `project` (undefined: the default project). */
    readonly scope: "secret" | "project";
    readonly secrets: readonly SecretKey[];
    readonly project?: string;
    readonly members: readonly Identity[];
}

const MEMBER_PREFIX = "serviceAccount:";

/** Every grant in the stack of a role that reads secrets. */
export function secretGrants(all: readonly StackResource[]): SecretGrant[] {
    return all.flatMap((resource): SecretGrant[] => {
        const type = resource.resource.type;
        const secretForm = iamFormOf(type, SECRET_IAM_TYPES);
        const projectForm = secretForm ? undefined : iamFormOf(type, PROJECT_IAM_TYPES);
        const form = secretForm ?? projectForm;
        if (!form) {
            return [];
        }
        const members = readingMembers(resource, form, all);
        if (members.length === 0) {
            return [];
        }
        if (projectForm) {
            return [{ urn: resource.resource.urn, scope: "project", secrets: [], project: ownOrProviderString(resource, "project"), members }];
        }
        return [{ urn: resource.resource.urn, scope: "secret", secrets: grantedSecrets(resource, all), members }];
    });
}

/** The members the resource grants a secret-reading role to (unknown members resolved through dependencies). */
function readingMembers(resource: StackResource, form: IamForm, all: readonly StackResource[]): Identity[] {
    const read = iamBindingsOf(form, resource.root);
    if (read.kind === "malformed") {
        return [];
    }
    if (read.kind === "unknown") {
        // A policy document not known yet: whoever it was computed from may be in it.
        return dependenciesOf(resource, "policyData", RESOURCE_TYPES.serviceAccount, all).map(identityOfAccount);
    }
    return read.bindings.flatMap((binding) => {
        const role = asString(binding.role);
        if (!isUnknown(binding.role) && (role === undefined || !ROLES_THAT_READ_SECRETS.includes(role))) {
            return [];
        }
        const anyUnknown = binding.unknownMembers !== undefined || binding.members.some(isUnknown);
        const known = binding.members.flatMap((m) => {
            const text = asString(m);
            return text?.startsWith(MEMBER_PREFIX) ? [identityOfEmail(text.slice(MEMBER_PREFIX.length), all)] : [];
        });
        const fromDeps = anyUnknown ? dependenciesOf(resource, binding.membersProperty, RESOURCE_TYPES.serviceAccount, all).map(identityOfAccount) : [];
        return [...known, ...fromDeps];
    });
}

/** The secrets a per-secret IAM resource is on: its known secretId, else the secrets it was computed from. */
function grantedSecrets(grant: StackResource, all: readonly StackResource[]): SecretKey[] {
    const secretIdNode: PropNode = at(grant.root, "secretId");
    if (isUnknown(secretIdNode)) {
        return transitiveDependenciesOf(grant, "secretId", SECRET_TYPES, all).map(secretKeyOfResource);
    }
    const named = parseSecretName(asString(secretIdNode));
    if (!named) {
        return [];
    }
    // Regional secret IAM carries the secret's location beside its id.
    const location = named.location ?? asString(at(grant.root, "location"));
    return [secretKeyOfName({ ...named, project: named.project ?? ownOrProviderString(grant, "project"), ...(location ? { location } : {}) }, all, named.secretId)];
}

/**
 * The grants that may concern a secret, found by its id and its resource instead of a scan: per-secret grants
 * naming the same id or resource, and every project-level grant.
 */
export function grantIndex(grants: readonly SecretGrant[]): (secret: SecretKey) => SecretGrant[] {
    const byId = new Map<string, SecretGrant[]>();
    const byUrn = new Map<string, SecretGrant[]>();
    const projectWide: SecretGrant[] = [];
    const add = (map: Map<string, SecretGrant[]>, key: string, grant: SecretGrant) => {
        const list = map.get(key);
        if (!list) {
            map.set(key, [grant]);
        } else if (list[list.length - 1] !== grant) {
            list.push(grant);
        }
    };
    for (const grant of grants) {
        if (grant.scope === "project") {
            projectWide.push(grant);
        }
        for (const secret of grant.secrets) {
            if (secret.name) {
                add(byId, secret.name.secretId, grant);
            }
            if (secret.urn) {
                add(byUrn, secret.urn, grant);
            }
        }
    }
    // Workloads reading the same secret share its key (see keysByReference): its grants are gathered once.
    const found = new WeakMap<SecretKey, SecretGrant[]>();
    return (secret) => {
        let grants = found.get(secret);
        if (!grants) {
            grants = [...new Set([
                ...(secret.name ? byId.get(secret.name.secretId) ?? [] : []),
                ...(secret.urn ? byUrn.get(secret.urn) ?? [] : []),
                ...projectWide,
            ])];
            found.set(secret, grants);
        }
        return grants;
    };
}

/** Whether a grant lets `identity` read `secret`. */
export function grantCovers(grant: SecretGrant, secret: SecretKey, identity: Identity): boolean {
    if (!grant.members.some((m) => identitiesMatch(m, identity))) {
        return false;
    }
    return grant.scope === "project"
        ? projectsCompatible(grant.project, secret.name?.project)
        : grant.secrets.some((s) => secretKeysMatch(s, secret));
}
