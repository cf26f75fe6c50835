export { CHANGED_KEYS_MAX_CHARS, changedKeysOutput } from './changed-keys.js';
export { syncClients } from './clients.js';
export { ContentHasher } from './hasher.js';
export { MANIFEST_NAME } from './manifest.js';
export { type InvalidateMode, resolveSyncOptions, type SyncInputs, type SyncOptions } from './options.js';
export { syncSummary } from './summary.js';
export { type SyncDeps, type SyncResult, syncSite } from './sync.js';
export { MD5_METADATA, SHA256_METADATA } from './uploader.js';
