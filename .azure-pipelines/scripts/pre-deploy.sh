#!/usr/bin/env bash
# Before a deploy: promote the image from the previous environment's registry (same digest,
# never rebuilt), then run the deployable's migrations as a one-off Container Apps job
# execution of the NEW image (vigil-<name>-migrate, defined in infra/azure). Fails the hook,
# so nothing is deployed, when a migration fails.
#   pre-deploy.sh DEPLOYABLE IMAGE [PROMOTE_FROM_ENV]
set -euo pipefail
deployable="$1"; image="$2"; from="${3:-}"
rg="${RESOURCEGROUP:?variable group must define resourceGroup}"
acr="${ACRNAME:?variable group must define acrName}"
repo="vigil/$deployable:$BUILD_SOURCEVERSION"

if [ -n "$from" ]; then
  src="${PROMOTEFROMREGISTRY:?variable group must define promoteFromRegistry}"
  echo "[pre-deploy] importing $src/$repo into $acr"
  az acr import --name "$acr" --source "$src/$repo" --image "$repo" --force
fi

job="vigil-$deployable-migrate"
az containerapp job update -n "$job" -g "$rg" --image "$image" -o none
execution="$(az containerapp job start -n "$job" -g "$rg" --query name -o tsv)"
echo "[pre-deploy] migrations: $job execution $execution"
for _ in $(seq 1 90); do
  status="$(az containerapp job execution show -n "$job" -g "$rg" --job-execution-name "$execution" --query properties.status -o tsv)"
  case "$status" in
    Succeeded) echo "[pre-deploy] migrations done"; exit 0 ;;
    Failed|Stopped|Degraded) echo "##vso[task.logissue type=error]migrations $status (az containerapp job logs show -n $job -g $rg --execution $execution)"; exit 1 ;;
  esac
  sleep 10
done
echo "##vso[task.logissue type=error]migrations still running after 15 minutes"; exit 1
