/**
 * Pulumi type tokens the pack matches on. Matching by token keeps provider SDKs out of the pack, which
 * starts on every preview.
 */
export const RESOURCE_TYPES = {
    cloudRunV2Service: "gcp:cloudrunv2/service:Service",
    cloudRunV1Service: "gcp:cloudrun/service:Service",
    vpcAccessConnector: "gcp:vpcaccess/connector:Connector",
    secret: "gcp:secretmanager/secret:Secret",
    secretIamMember: "gcp:secretmanager/secretIamMember:SecretIamMember",
    secretIamBinding: "gcp:secretmanager/secretIamBinding:SecretIamBinding",
    serviceAccount: "gcp:serviceaccount/account:Account",
    cloudRunV2ServiceIamMember: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
    cloudRunV2ServiceIamBinding: "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding",
    cloudRunV2ServiceIamPolicy: "gcp:cloudrunv2/serviceIamPolicy:ServiceIamPolicy",
    cloudRunV1IamMember: "gcp:cloudrun/iamMember:IamMember",
    cloudRunV1IamBinding: "gcp:cloudrun/iamBinding:IamBinding",
    cloudRunV1IamPolicy: "gcp:cloudrun/iamPolicy:IamPolicy",
} as const;

/** IAM resources that grant roles on a Cloud Run service, by how they carry members. */
export const CLOUD_RUN_IAM_TYPES = {
    member: [RESOURCE_TYPES.cloudRunV2ServiceIamMember, RESOURCE_TYPES.cloudRunV1IamMember] as readonly string[],
    binding: [RESOURCE_TYPES.cloudRunV2ServiceIamBinding, RESOURCE_TYPES.cloudRunV1IamBinding] as readonly string[],
    policy: [RESOURCE_TYPES.cloudRunV2ServiceIamPolicy, RESOURCE_TYPES.cloudRunV1IamPolicy] as readonly string[],
} as const;
