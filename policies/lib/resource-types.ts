/**
 * Pulumi type tokens the pack matches on. Matching by token keeps provider SDKs out of the pack, which
 * starts on every preview. Tokens as @pulumi/gcp v9, @pulumi/docker v4 and @pulumi/docker-build register them
 * (`__pulumiType`).
 */
export const RESOURCE_TYPES = {
    cloudRunV2Service: "gcp:cloudrunv2/service:Service",
    cloudRunV1Service: "gcp:cloudrun/service:Service",
    cloudRunV2Job: "gcp:cloudrunv2/job:Job",
    cloudRunV2WorkerPool: "gcp:cloudrunv2/workerPool:WorkerPool",
    vpcAccessConnector: "gcp:vpcaccess/connector:Connector",
    secret: "gcp:secretmanager/secret:Secret",
    regionalSecret: "gcp:secretmanager/regionalSecret:RegionalSecret",
    secretIamMember: "gcp:secretmanager/secretIamMember:SecretIamMember",
    secretIamBinding: "gcp:secretmanager/secretIamBinding:SecretIamBinding",
    secretIamPolicy: "gcp:secretmanager/secretIamPolicy:SecretIamPolicy",
    regionalSecretIamMember: "gcp:secretmanager/regionalSecretIamMember:RegionalSecretIamMember",
    regionalSecretIamBinding: "gcp:secretmanager/regionalSecretIamBinding:RegionalSecretIamBinding",
    regionalSecretIamPolicy: "gcp:secretmanager/regionalSecretIamPolicy:RegionalSecretIamPolicy",
    projectIamMember: "gcp:projects/iAMMember:IAMMember",
    projectIamBinding: "gcp:projects/iAMBinding:IAMBinding",
    projectIamPolicy: "gcp:projects/iAMPolicy:IAMPolicy",
    serviceAccount: "gcp:serviceaccount/account:Account",
    cloudRunV2ServiceIamMember: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
    cloudRunV2ServiceIamBinding: "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding",
    cloudRunV2ServiceIamPolicy: "gcp:cloudrunv2/serviceIamPolicy:ServiceIamPolicy",
    cloudRunV1IamMember: "gcp:cloudrun/iamMember:IamMember",
    cloudRunV1IamBinding: "gcp:cloudrun/iamBinding:IamBinding",
    cloudRunV1IamPolicy: "gcp:cloudrun/iamPolicy:IamPolicy",
    cloudRunV2JobIamMember: "gcp:cloudrunv2/jobIamMember:JobIamMember",
    cloudRunV2JobIamBinding: "gcp:cloudrunv2/jobIamBinding:JobIamBinding",
    cloudRunV2JobIamPolicy: "gcp:cloudrunv2/jobIamPolicy:JobIamPolicy",
    cloudRunV2WorkerPoolIamMember: "gcp:cloudrunv2/workerPoolIamMember:WorkerPoolIamMember",
    cloudRunV2WorkerPoolIamBinding: "gcp:cloudrunv2/workerPoolIamBinding:WorkerPoolIamBinding",
    cloudRunV2WorkerPoolIamPolicy: "gcp:cloudrunv2/workerPoolIamPolicy:WorkerPoolIamPolicy",
    dockerImage: "docker:index/image:Image",
    dockerBuildImage: "docker-build:index:Image",
} as const;

/** How an IAM resource carries its members: one `member`, a `members` list, or a JSON `policyData`. */
export type IamForm = "member" | "binding" | "policy";

/** IAM resources that grant roles on a Cloud Run service (v2 and v1). */
export const CLOUD_RUN_SERVICE_IAM_TYPES: readonly string[] = [
    RESOURCE_TYPES.cloudRunV2ServiceIamMember, RESOURCE_TYPES.cloudRunV2ServiceIamBinding, RESOURCE_TYPES.cloudRunV2ServiceIamPolicy,
    RESOURCE_TYPES.cloudRunV1IamMember, RESOURCE_TYPES.cloudRunV1IamBinding, RESOURCE_TYPES.cloudRunV1IamPolicy,
];

/** IAM resources that grant roles on a Cloud Run service, job or worker pool, by form. */
export const CLOUD_RUN_IAM_TYPES: Readonly<Record<IamForm, readonly string[]>> = {
    member: [RESOURCE_TYPES.cloudRunV2ServiceIamMember, RESOURCE_TYPES.cloudRunV1IamMember, RESOURCE_TYPES.cloudRunV2JobIamMember, RESOURCE_TYPES.cloudRunV2WorkerPoolIamMember],
    binding: [RESOURCE_TYPES.cloudRunV2ServiceIamBinding, RESOURCE_TYPES.cloudRunV1IamBinding, RESOURCE_TYPES.cloudRunV2JobIamBinding, RESOURCE_TYPES.cloudRunV2WorkerPoolIamBinding],
    policy: [RESOURCE_TYPES.cloudRunV2ServiceIamPolicy, RESOURCE_TYPES.cloudRunV1IamPolicy, RESOURCE_TYPES.cloudRunV2JobIamPolicy, RESOURCE_TYPES.cloudRunV2WorkerPoolIamPolicy],
};

/** Secret Manager secrets, global and regional. */
export const SECRET_TYPES: readonly string[] = [RESOURCE_TYPES.secret, RESOURCE_TYPES.regionalSecret];

/** IAM on one secret (global or regional), by form. */
export const SECRET_IAM_TYPES: Readonly<Record<IamForm, readonly string[]>> = {
    member: [RESOURCE_TYPES.secretIamMember, RESOURCE_TYPES.regionalSecretIamMember],
    binding: [RESOURCE_TYPES.secretIamBinding, RESOURCE_TYPES.regionalSecretIamBinding],
    policy: [RESOURCE_TYPES.secretIamPolicy, RESOURCE_TYPES.regionalSecretIamPolicy],
};

/** IAM on a whole project, by form: a role granted there holds for every secret in the project. */
export const PROJECT_IAM_TYPES: Readonly<Record<IamForm, readonly string[]>> = {
    member: [RESOURCE_TYPES.projectIamMember],
    binding: [RESOURCE_TYPES.projectIamBinding],
    policy: [RESOURCE_TYPES.projectIamPolicy],
};

/** Each family's forms by type, built on first use (a stack policy asks for every resource of the stack). */
const formsByFamily = new WeakMap<Readonly<Record<IamForm, readonly string[]>>, ReadonlyMap<string, IamForm>>();

/** The form of an IAM resource type among the given families, or undefined. */
export function iamFormOf(type: string, families: Readonly<Record<IamForm, readonly string[]>>): IamForm | undefined {
    let forms = formsByFamily.get(families);
    if (!forms) {
        // The first form listing a type wins, as a search in key order would find it.
        const byType = new Map<string, IamForm>();
        for (const form of Object.keys(families) as IamForm[]) {
            for (const member of families[form]) {
                if (!byType.has(member)) {
                    byType.set(member, form);
                }
            }
        }
        forms = byType;
        formsByFamily.set(families, forms);
    }
    return forms.get(type);
}
