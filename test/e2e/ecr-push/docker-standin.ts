import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DockerStandIn {
  /** Put this directory first on PATH. */
  bin: string;
  /** Each invocation's arguments, one line per call. */
  calls(): string[];
  /** What `docker login` received on stdin. */
  loginStdin(): string;
}

/**
 * A stand-in `docker` CLI (no daemon here): records every call's arguments and the login stdin;
 * `docker push REF` really pushes the OCI layout in $DOCKER_STANDIN_LAYOUT (ref v1) with skopeo,
 * using the password it got on stdin, and prints docker's `digest: sha256:... size: N` line.
 */
export function dockerStandIn(dir: string): DockerStandIn {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const state = join(dir, 'state');
  mkdirSync(state, { recursive: true });
  writeFileSync(join(state, 'calls'), '');
  const script = `#!/bin/sh
STATE='${state}'
printf '%s\\n' "$*" >> "$STATE/calls"
case "$1" in
  login)
    cat > "$STATE/login-stdin"
    echo "Login Succeeded" ;;
  image)
    echo "\${DOCKER_STANDIN_REPODIGESTS:-[]}" ;;
  tag) ;;
  push)
    ref="$2"
    skopeo copy --quiet --dest-tls-verify=false --dest-creds "AWS:$(cat "$STATE/login-stdin")" \\
      --digestfile "$STATE/digest" "oci:$DOCKER_STANDIN_LAYOUT:v1" "docker://$ref" > "$STATE/skopeo.log" 2>&1 || { cat "$STATE/skopeo.log" >&2; exit 1; }
    echo "The push refers to repository [\${ref%:*}]"
    echo "5f70bf18a086: Pushed"
    echo "\${ref##*:}: digest: $(cat "$STATE/digest") size: 1234" ;;
  *) echo "stand-in docker: unsupported $1" >&2; exit 2 ;;
esac
`;
  writeFileSync(join(bin, 'docker'), script);
  chmodSync(join(bin, 'docker'), 0o755);
  return {
    bin,
    calls: () => readFileSync(join(state, 'calls'), 'utf8').split('\n').filter(Boolean),
    loginStdin: () => readFileSync(join(state, 'login-stdin'), 'utf8'),
  };
}
