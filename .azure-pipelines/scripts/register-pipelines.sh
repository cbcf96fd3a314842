#!/usr/bin/env bash
# Registers the YAML pipelines in Azure DevOps (once per project). Idempotent.
#   ORG=https://dev.azure.com/contoso PROJECT=vigil REPO=vigil bash .azure-pipelines/scripts/register-pipelines.sh
set -euo pipefail
: "${ORG:?}" "${PROJECT:?}" "${REPO:?}"
az devops configure --defaults organization="$ORG" project="$PROJECT"
cd "$(dirname "$0")/.."
for file in pr-validation.yml build-*.yml infra.yml; do
  name="vigil-${file%.yml}"
  if az pipelines show --name "$name" >/dev/null 2>&1; then echo "$name exists"; continue; fi
  az pipelines create --name "$name" --repository "$REPO" --repository-type tfsgit --branch main \
    --yml-path ".azure-pipelines/$file" --skip-first-run true -o none
  echo "$name created"
done
