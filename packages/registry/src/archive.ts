import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { ConfigurationError, quote } from '@baepo/action-kit';
import { isGzipFile, loadDockerArchive } from './docker-archive.js';
import { tarTree } from './file-tree.js';
import type { ImageToPush } from './image.js';
import { loadOciLayout } from './oci-layout.js';

const NOT_AN_IMAGE =
  "Create one with 'docker save IMAGE -o image.tar', 'skopeo copy ... oci-archive:image.tar' or " +
  "'docker buildx build --output type=oci,dest=image.tar'; for an unpacked directory use 'oci-layout'.";

/**
 * The image in a `docker save` archive or an OCI archive (`.tar`, or `.tar.gz` which is
 * decompressed into `workDir` first). An OCI archive (index.json) wins over docker's manifest.json
 * when both are present, as in archives from Docker 25 and later.
 */
export async function loadArchive(file: string, imageRef: string | undefined, workDir: string): Promise<ImageToPush> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) {
    throw new ConfigurationError(`Input 'archive' names ${quote(file)}, which is not a file. Check the path (relative to the workspace).`, {
      input: 'archive',
    });
  }
  let tarFile = file;
  if (await isGzipFile(file)) {
    tarFile = join(workDir, 'archive.tar');
    try {
      await pipeline(createReadStream(file), createGunzip(), createWriteStream(tarFile));
    } catch (error) {
      throw new ConfigurationError(`Input 'archive' ${quote(file)} is a damaged gzip file (${(error as Error).message}). ${NOT_AN_IMAGE}`, {
        input: 'archive',
      });
    }
  }
  const tree = await tarTree(tarFile, file);
  if (!tree) throw new ConfigurationError(`Input 'archive' ${quote(file)} is not a tar archive. ${NOT_AN_IMAGE}`, { input: 'archive' });
  if ((await tree.size('index.json')) !== undefined) return loadOciLayout(tree, imageRef, 'archive');
  if ((await tree.size('manifest.json')) !== undefined) return loadDockerArchive(tree, imageRef, workDir);
  throw new ConfigurationError(
    `Input 'archive' ${quote(file)} is a tar archive but not an image: it has neither index.json (OCI) nor manifest.json (docker save). ${NOT_AN_IMAGE}`,
    { input: 'archive' },
  );
}
