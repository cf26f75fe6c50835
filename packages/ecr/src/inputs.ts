/** What ecr-push is asked to do, as parsed from the action's inputs. */
export interface EcrPushInputs {
  repository: string;
  tags: string[];
  image: string | undefined;
  'oci-layout': string | undefined;
  'image-ref': string | undefined;
  archive: string | undefined;
  'registry-id': string | undefined;
  'registry-endpoint': string | undefined;
  'create-repository': boolean;
  'tag-mutability': 'MUTABLE' | 'IMMUTABLE';
  'scan-on-push': boolean;
  encryption: 'AES256' | 'KMS';
  'kms-key': string | undefined;
  login: boolean;
  concurrency: number;
}
