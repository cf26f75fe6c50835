export { loadArchive } from './archive.js';
export { CorruptBlobError, uploadBlob } from './blob-upload.js';
export { type Digest, digestOf, isDigest, shortDigest } from './digest.js';
export { loadDockerArchive } from './docker-archive.js';
export { directoryTree, type FileTree, tarTree } from './file-tree.js';
export {
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
  httpTransport,
  REGISTRY_TIMEOUTS,
  type Transport,
  type TransportTimeouts,
} from './http-transport.js';
export type { BlobSource, ImageToPush, ManifestBytes } from './image.js';
export * from './media-types.js';
export { MountFinder, type MountResult, rankCandidates } from './mount-finder.js';
export { validateRepositoryName, validateTags } from './names.js';
export { loadOciLayout } from './oci-layout.js';
export { progressLogger } from './progress.js';
export { type BlobOutcome, currentTags, type PushOptions, type PushResult, pushImage, type RetryOptions } from './push.js';
export { type Credentials, RegistryClient, type RegistryClientOptions } from './registry-client.js';
export { isTransient, RegistryError, registryError } from './registry-error.js';
