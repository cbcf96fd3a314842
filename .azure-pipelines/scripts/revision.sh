#!/usr/bin/env bash
# Container Apps revisions by traffic weight (apps run in multiple-revision mode; IaC ignores
# their image and traffic, which belong to this script). Revision labels carry the state
# between the deployment hooks: `stable` = last good revision, `canary` = the one being rolled out.
#   revision.sh deploy   APP IMAGE [runOnce|canary]   create the revision, 0 % traffic
#   revision.sh route    APP IMAGE PERCENT            canary gets PERCENT, stable the rest
#   revision.sh rollback APP IMAGE                    stable 100 %, canary deactivated
#   revision.sh finalize APP IMAGE                    canary becomes stable, older revisions deactivated
# Idempotent: a hook re-run after a failure does the same thing again.
set -euo pipefail
cmd="$1"; app="$2"; image="$3"; arg="${4:-}"
rg="${RESOURCEGROUP:?variable group must define resourceGroup}"
suffix="${BUILD_SOURCEVERSION:0:12}"
new="$app--$suffix"

label_rev() { az containerapp ingress traffic show -n "$app" -g "$rg" --query "[?label=='$1'].revisionName | [0]" -o tsv; }
log() { echo "[revision] $*"; }

case "$cmd" in
  deploy)
    if az containerapp revision show -n "$app" -g "$rg" --revision "$new" >/dev/null 2>&1; then
      log "$new exists"; exit 0
    fi
    stable="$(label_rev stable)"
    if [ -n "$stable" ]; then
      # Pin the traffic to the stable revision first so the new one starts at 0 %.
      az containerapp ingress traffic set -n "$app" -g "$rg" --revision-weight "$stable=100" -o none
    fi
    az containerapp update -n "$app" -g "$rg" --image "$image" --revision-suffix "$suffix" -o none
    az containerapp revision label add -n "$app" -g "$rg" --label canary --revision "$new" --no-prompt -o none
    if [ -z "$stable" ]; then
      az containerapp revision label add -n "$app" -g "$rg" --label stable --revision "$new" --no-prompt -o none
    fi
    # Wait until the platform's readiness probe (/readyz) passes on the new revision.
    for _ in $(seq 1 60); do
      state="$(az containerapp revision show -n "$app" -g "$rg" --revision "$new" --query properties.healthState -o tsv)"
      [ "$state" = Healthy ] && { log "$new healthy"; exit 0; }
      [ "$state" = Unhealthy ] && { echo "##vso[task.logissue type=error]$new unhealthy"; exit 1; }
      sleep 10
    done
    echo "##vso[task.logissue type=error]$new not healthy after 10 minutes"; exit 1 ;;
  route)
    stable="$(label_rev stable)"
    if [ "$stable" = "$new" ] || [ "$arg" = 100 ]; then
      az containerapp ingress traffic set -n "$app" -g "$rg" --revision-weight "$new=100" -o none
    else
      az containerapp ingress traffic set -n "$app" -g "$rg" --revision-weight "$new=$arg" "$stable=$((100 - arg))" -o none
    fi
    log "$new at $arg %" ;;
  rollback)
    stable="$(label_rev stable)"
    if [ -z "$stable" ] || [ "$stable" = "$new" ]; then
      echo "##vso[task.logissue type=error]no earlier good revision of $app to roll back to"; exit 1
    fi
    az containerapp ingress traffic set -n "$app" -g "$rg" --revision-weight "$stable=100" -o none
    az containerapp revision label remove -n "$app" -g "$rg" --label canary -o none || true
    az containerapp revision deactivate -n "$app" -g "$rg" --revision "$new" -o none || true
    log "rolled back to $stable" ;;
  finalize)
    az containerapp ingress traffic set -n "$app" -g "$rg" --revision-weight "$new=100" -o none
    az containerapp revision label add -n "$app" -g "$rg" --label stable --revision "$new" --no-prompt -o none
    az containerapp revision label remove -n "$app" -g "$rg" --label canary -o none || true
    for old in $(az containerapp revision list -n "$app" -g "$rg" --query "[?properties.active && name!='$new'].name" -o tsv); do
      az containerapp revision deactivate -n "$app" -g "$rg" --revision "$old" -o none
    done
    log "$new is stable" ;;
  *) echo "usage: revision.sh deploy|route|rollback|finalize APP IMAGE [ARG]" >&2; exit 2 ;;
esac
