#!/usr/bin/env bash
# The site build: public settings from the .env.production.local ssm-load wrote (never the secrets).
set -euo pipefail
cd "$(dirname "$0")"
api_url=$(grep '^PUBLIC_API_URL=' ../.env.production.local | cut -d= -f2- | tr -d '"')
rm -rf dist && mkdir -p dist/assets
hash=$(sha256sum src/app.js | cut -c1-8)
cp src/app.js "dist/assets/app.${hash}.js"
sed -e "s#__API_URL__#${api_url}#" -e "s#__APP__#assets/app.${hash}.js#" src/index.html > dist/index.html
cp src/robots.txt dist/robots.txt
echo "built web/dist for ${api_url}"
