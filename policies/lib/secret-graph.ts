/**
 * Secrets, service accounts and accessor grants of a stack, resolved through known values first and
 * through propertyDependencies when a value is unknown during preview.
 */
import { DEFAULT_COMPUTE_SA_RE, SecretName, parseSecretName } from "./cloud-run-limits";
import { ServiceView, V1_ANNOTATIONS, secretUses } from "./cloud-run-service";
import { PropNode, asList, asString, at, isUnknown } from "./props";
import { RESOURCE_TYPES } from "./resource-types";
import { StackResource, dependenciesOf, ofType, ownOrProviderString, projectsCompatible } from "./stack-graph";

// ---------------------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------------------

/** A secret as far as it is known: its name, the Secret resource in the stack, or both. */
export interface SecretKey {
    readonly name?: SecretName;
    readonly urn?: string;
    readonly label: string;
}

/** The name of a gcp:secretmanager/secret:Secret resource (secretId, else its name output). */
export function secretResourceName(secret: StackResource): SecretName | undefined {
    const secretId = asString(at(secret.root, "secretId"));
    const parsed = secretId !== undefined ? parseSecretName(secretId) : parseSecretName(asString(at(secret.root, "name")));
    if (!parsed) {
        return undefined;
    }
    return { secretId: parsed.secretId, project: parsed.project ?? ownOrProviderString(secret, "project") };
}

export function secretNamesMatch(a: SecretName, b: SecretName): boolean {
    return a.secretId === b.secretId && projectsCompatible(a.project, b.project);
}

function secretKeyOfResource(secret: StackResource): SecretKey {
    const name = secretResourceName(secret);
    return { name, urn: secret.resource.urn, label: name ? name.secretId : `Secret ${secret.resource.name}` };
}

/** A known secret name (labelled as written), linked to the stack's Secret resource of that name when there is one. */
export function secretKeyOfName(name: SecretName, secrets: readonly StackResource[], label: string): SecretKey {
    const resource = secrets.find((s) => {
        const own = secretResourceName(s);
        return own !== undefined && secretNamesMatch(name, own);
    });
    return { name, urn: resource?.resource.urn, label };
}

export function secretKeysMatch(a: SecretKey, b: SecretKey): boolean {
    if (a.urn !== undefined && a.urn === b.urn) {
        return true;
    }
    return a.name !== undefined && b.name !== undefined && secretNamesMatch(a.name, b.name);
}

/** The secrets a service reads, split by how far they are known. */
export interface ServiceSecretRefs {
    /** Names given as known strings, with the service's project filled in for bare names. */
    readonly named: readonly { where: string; key: SecretKey }[];
    /** References that are set but not a secret name (empty, wrong type, malformed path). */
    readonly malformed: readonly { where: string; value: unknown }[];
    /** References not known during preview (the reference itself or the list holding it). */
    readonly pending: readonly { where: string }[];
    /** Secret resources the service's template was computed from: where pending references resolve. */
    readonly dependencySecrets: readonly SecretKey[];
}

export function serviceSecretRefs(
    service: StackResource, view: ServiceView, all: readonly StackResource[],
): ServiceSecretRefs {
    const secrets = ofType(all, RESOURCE_TYPES.secret);
    const serviceProject = ownOrProviderString(service, "project");
    const named: { where: string; key: SecretKey }[] = [];
    const malformed: { where: string; value: unknown }[] = [];
    const pending: { where: string }[] = unknownLists(view);
    for (const use of secretUses(view)) {
        if (isUnknown(use.secret)) {
            pending.push({ where: use.where });
            continue;
        }
        const text = asString(use.secret);
        const name = secretNameOfRef(text, view);
        if (text !== undefined && name) {
            named.push({ where: use.where, key: secretKeyOfName({ ...name, project: name.project ?? serviceProject }, secrets, text) });
        } else {
            malformed.push({ where: use.where, value: use.secret.value });
        }
    }
    const dependencySecrets = dependenciesOf(service, "template", RESOURCE_TYPES.secret, all).map(secretKeyOfResource);
    return { named, malformed, pending, dependencySecrets };
}

/** Lists that could hold secret references but are unknown: their contents cannot be enumerated. */
function unknownLists(view: ServiceView): { where: string }[] {
    const lists = [view.containerList, view.volumes, ...view.containers.flatMap((c) => [c.envList, ...c.env.map((e) => e.node)])];
    return lists.filter(isUnknown).map((node) => ({ where: pathOf(node) }));
}

function pathOf(node: PropNode): string {
    return node.path.join(".");
}

/**
 * A secret reference as a name. v1 may name an alias declared in the run.googleapis.com/secrets
 * annotation ("alias:projects/p/secrets/s"), which is resolved here.
 */
function secretNameOfRef(ref: string | undefined, view: ServiceView): SecretName | undefined {
    if (ref === undefined) {
        return undefined;
    }
    if (view.generation === "v1") {
        const aliased = v1SecretAliases(view).get(ref);
        if (aliased) {
            return aliased;
        }
    }
    return parseSecretName(ref);
}

function v1SecretAliases(view: ServiceView): Map<string, SecretName> {
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
    readonly label: string;
}

const SA_DOMAIN = "iam.gserviceaccount.com";

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
    return { email, urn: account.resource.urn, label: email ?? `Account ${account.resource.name}` };
}

function identityOfEmail(email: string, accounts: readonly StackResource[]): Identity {
    const account = accounts.find((a) => accountEmail(a)?.toLowerCase() === email.toLowerCase());
    return { email, urn: account?.resource.urn, label: email, defaultCompute: DEFAULT_COMPUTE_SA_RE.test(email) };
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
    | { readonly kind: "unresolved"; readonly reason: string };

export function runtimeIdentity(service: StackResource, view: ServiceView, all: readonly StackResource[]): RuntimeIdentity {
    const accounts = ofType(all, RESOURCE_TYPES.serviceAccount);
    const node = view.serviceAccount;
    if (isUnknown(node)) {
        const fromDeps = dependenciesOf(service, "template", RESOURCE_TYPES.serviceAccount, all).map(identityOfAccount);
        return fromDeps.length > 0
            ? { kind: "resolved", candidates: fromDeps }
            : { kind: "unresolved", reason: "the runtime service account is not known during preview and the template depends on no serviceaccount Account in this stack" };
    }
    const email = asString(node);
    if (email === undefined || email === "") {
        return { kind: "resolved", candidates: [{ defaultCompute: true, label: "the default compute service account" }] };
    }
    return { kind: "resolved", candidates: [identityOfEmail(email, accounts)] };
}

// ---------------------------------------------------------------------------------------------------
// Grants
// ---------------------------------------------------------------------------------------------------

/** One SecretIamMember/SecretIamBinding, as far as it is known. */
export interface SecretGrant {
    readonly urn: string;
    readonly role: string | undefined;
    readonly secrets: readonly SecretKey[];
    readonly members: readonly Identity[];
}

const MEMBER_PREFIX = "serviceAccount:";

export function secretGrants(all: readonly StackResource[]): SecretGrant[] {
    const secrets = ofType(all, RESOURCE_TYPES.secret);
    const accounts = ofType(all, RESOURCE_TYPES.serviceAccount);
    const memberGrants = ofType(all, RESOURCE_TYPES.secretIamMember).map((grant) =>
        grantOf(grant, [at(grant.root, "member")], "member", secrets, accounts, all));
    const bindingGrants = ofType(all, RESOURCE_TYPES.secretIamBinding).map((grant) => {
        const members = at(grant.root, "members");
        return grantOf(grant, isUnknown(members) ? [members] : asList(members) ?? [], "members", secrets, accounts, all);
    });
    return [...memberGrants, ...bindingGrants];
}

function grantOf(
    grant: StackResource, members: readonly PropNode[], membersProperty: string,
    secrets: readonly StackResource[], accounts: readonly StackResource[], all: readonly StackResource[],
): SecretGrant {
    const secretIdNode = at(grant.root, "secretId");
    const grantProject = ownOrProviderString(grant, "project");
    const secretIdText = asString(secretIdNode);
    const named = parseSecretName(secretIdText);
    const grantSecrets = isUnknown(secretIdNode)
        ? dependenciesOf(grant, "secretId", RESOURCE_TYPES.secret, all).map(secretKeyOfResource)
        : secretIdText !== undefined && named ? [secretKeyOfName({ ...named, project: named.project ?? grantProject }, secrets, secretIdText)] : [];
    const anyUnknownMember = members.some(isUnknown);
    const knownMembers = members.flatMap((m) => {
        const text = asString(m);
        return text?.startsWith(MEMBER_PREFIX) ? [identityOfEmail(text.slice(MEMBER_PREFIX.length), accounts)] : [];
    });
    const memberAccounts = anyUnknownMember
        ? dependenciesOf(grant, membersProperty, RESOURCE_TYPES.serviceAccount, all).map(identityOfAccount)
        : [];
    return {
        urn: grant.resource.urn,
        role: asString(at(grant.root, "role")),
        secrets: grantSecrets,
        members: [...knownMembers, ...memberAccounts],
    };
}
