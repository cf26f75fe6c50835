#!/usr/bin/env bash
# The one list of what baepo's local stack, demo, tests and benchmarks need from outside npm,
# and the one place that installs it. Installs only what is missing and says why; a fast
# no-op when everything is there.
#
#   bash scripts/setup-stack.sh [--for demo|tests|bench] [--check]
#
#   --for    what is about to run (default: tests); it names the tools needed and the message
#   --check  report what is missing and exit 1 instead of installing
#
# Used by .ci/run, `npm test` / `npm run test:e2e` (pretest), `npm run demo` (predemo),
# `npm run stack` (prestack) and .devcontainer/. A tool counts as present when its command is
# on PATH (moto: when python3 has moto 5 and its server extras).
set -euo pipefail

purpose=tests
check_only=false
while [ $# -gt 0 ]; do
  case "$1" in
    --for) purpose="${2:-}"; shift 2 ;;
    --for=*) purpose="${1#--for=}"; shift ;;
    --check) check_only=true; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup-stack: unknown argument '$1'; valid: --for demo|tests|bench, --check" >&2; exit 2 ;;
  esac
done
case "$purpose" in
  demo) what='the demo' need=needs ;;
  tests) what='the tests' need=need ;;
  bench) what='the benchmarks' need=need ;;
  *) echo "setup-stack: --for must be demo, tests or bench, not '$purpose'" >&2; exit 2 ;;
esac

# command | Debian package | needed for | why
TOOLS='
docker-registry|docker-registry|demo tests bench|the OCI registry that stands in for ECR (the CNCF distribution server)
htpasswd|apache2-utils|demo tests bench|the registry password file that accepts the ECR token moto hands out
skopeo|skopeo|tests bench|the reference tool ecr-push pushes are checked and benchmarked against
umoci|umoci|tests|builds OCI test images without a Docker daemon
openssl|openssl|tests|makes the TLS certificates of the HTTPS tests
aws|awscli|bench|the AWS CLI the benchmarks compare against
rclone|rclone|bench|the sync tool the s3-sync benchmark compares against
'
MOTO_PIP="moto[server]>=5,<6"
# moto 5 with its server extras, read from the package metadata (importing moto takes seconds).
moto_installed() {
  python3 -c '
import sys
from importlib import metadata, util
try:
    major = int(metadata.version("moto").split(".")[0])
except metadata.PackageNotFoundError:
    sys.exit(1)
sys.exit(0 if major == 5 and util.find_spec("flask") and util.find_spec("flask_cors") else 1)' >/dev/null 2>&1
}

missing_commands=()
missing_packages=()
reasons=()
while IFS='|' read -r command package needed why; do
  [ -n "$command" ] || continue
  case " $needed " in *" $purpose "*) ;; *) continue ;; esac
  command -v "$command" >/dev/null 2>&1 && continue
  missing_commands+=("$command")
  missing_packages+=("$package")
  reasons+=("$command (Debian package $package): $why")
done <<<"$TOOLS"

python_ok=true
moto_missing=false
if ! command -v python3 >/dev/null 2>&1; then
  python_ok=false
elif ! moto_installed; then
  moto_missing=true
  reasons+=("moto (Python package '$MOTO_PIP'): the AWS API emulator (SSM, ECR, S3, CloudFront, STS, ELBv2)")
fi

if ! $python_ok; then
  echo "setup-stack: $what $need Python 3 (for moto, the AWS emulator), which this script does not install; install python3 and python3-pip, then run the command again." >&2
  exit 1
fi
if [ ${#reasons[@]} -eq 0 ]; then
  [ "${SETUP_STACK_QUIET:-}" = 1 ] || echo "setup-stack: everything $what $need is installed."
  exit 0
fi

echo "setup-stack: $what $need ${#reasons[@]} thing(s) that are missing:"
printf '  - %s\n' "${reasons[@]}"

# Who may install Debian packages: root, or passwordless sudo.
apt_prefix=()
apt_possible=true
if [ ${#missing_packages[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    apt_possible=false
  elif [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then apt_prefix=(sudo -n); else apt_possible=false; fi
  fi
fi
apt_command="apt-get update && apt-get install -y --no-install-recommends ${missing_packages[*]}"
pip_command="python3 -m pip install '$MOTO_PIP'"

if $check_only || ! $apt_possible; then
  echo "setup-stack: cannot install them here$($check_only && echo ' (--check)' || true). Run:" >&2
  if [ ${#missing_packages[@]} -gt 0 ]; then
    if command -v apt-get >/dev/null 2>&1; then
      echo "  sudo sh -c '$apt_command'" >&2
    else
      echo "  (no apt-get: on Debian/Ubuntu) sudo sh -c '$apt_command'  — or use the dev container in .devcontainer/" >&2
    fi
  fi
  $moto_missing && echo "  $pip_command" >&2
  echo "then run the command again." >&2
  exit 1
fi

if [ ${#missing_packages[@]} -gt 0 ]; then
  echo "setup-stack: installing ${missing_packages[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  "${apt_prefix[@]}" apt-get update -qq
  "${apt_prefix[@]}" apt-get install -y -qq --no-install-recommends "${missing_packages[@]}" >/dev/null
  # Debian's docker-registry package starts a system service on :5000; the stack starts its own.
  if [[ " ${missing_packages[*]} " == *" docker-registry "* ]]; then
    "${apt_prefix[@]}" systemctl stop docker-registry >/dev/null 2>&1 || "${apt_prefix[@]}" service docker-registry stop >/dev/null 2>&1 || true
  fi
fi
if $moto_missing; then
  echo "setup-stack: installing $MOTO_PIP with pip"
  if ! python3 -m pip install --quiet "$MOTO_PIP"; then
    echo "setup-stack: pip could not install moto. Run: $pip_command (inside a virtualenv if your Python is managed by the system), then run the command again." >&2
    exit 1
  fi
fi

still=()
for command in "${missing_commands[@]}"; do command -v "$command" >/dev/null 2>&1 || still+=("$command"); done
if $moto_missing && ! moto_installed; then still+=(moto); fi
if [ ${#still[@]} -gt 0 ]; then
  echo "setup-stack: installed, but still not found on PATH: ${still[*]}; check PATH and run the command again." >&2
  exit 1
fi
echo "setup-stack: done; everything $what $need is installed."
