#!/usr/bin/env bash
# What YAML cannot hold, as code: the environments vigil-dev/-staging/-prod with their checks
# (prod: manual approval, business hours, required template; every environment: the required
# template), and the branch policies of `main`. Idempotent: existing checks of the same type are
# left alone. Uses the signed-in `az` (az login; no PAT is stored) and the azure-devops extension.
#   ORG=https://dev.azure.com/contoso PROJECT=vigil REPO=vigil APPROVERS_GROUP="[vigil]\\Release Approvers" \
#     bash .azure-pipelines/scripts/configure-approvals.sh
set -euo pipefail
: "${ORG:?set ORG=https://dev.azure.com/<org>}" "${PROJECT:?set PROJECT}" "${REPO:?set REPO (the Azure Repos repository)}"
APPROVERS_GROUP="${APPROVERS_GROUP:-[$PROJECT]\\Release Approvers}"
TZ_ID="${BUSINESS_TIMEZONE:-W. Europe Standard Time}"
ADO=499b84ac-1321-427f-aa17-267ca6975798 # Azure DevOps' resource id: az rest gets a token for it
api() { az rest --resource "$ADO" --method "$1" --uri "$ORG/$PROJECT/_apis/$2" ${3:+--body "$3"} --headers Content-Type=application/json -o json; }

az extension add --name azure-devops --only-show-errors >/dev/null 2>&1 || true
az devops configure --defaults organization="$ORG" project="$PROJECT"

# Check types (ids are Azure DevOps constants).
APPROVAL='{"id":"8C6F20A7-A545-4486-9777-F762FAFE0D4D","name":"Approval"}'
TASKCHECK='{"id":"fe1de3ee-a436-41b4-bb20-f6eb4cb879a7","name":"Task Check"}'
EXTENDS='{"id":"4020E66E-B0F3-47E1-BC88-48F3CC59B5F3","name":"ExtendsCheck"}'

group_id="$(az devops security group list --query "graphGroups[?principalName=='$APPROVERS_GROUP'].originId | [0]" -o tsv)"
[ -n "$group_id" ] || { echo "group $APPROVERS_GROUP not found: create it and add the release approvers" >&2; exit 1; }

env_id() {
  local id
  id="$(api get "distributedtask/environments?name=$1&api-version=7.1" | jq -r '.value[0].id // empty')"
  [ -n "$id" ] || id="$(api post "distributedtask/environments?api-version=7.1" "{\"name\":\"$1\",\"description\":\"Vigil $1 (docs/deploy/azure.md)\"}" | jq -r .id)"
  echo "$id"
}

add_check() { # env-name env-id type-json settings-json timeout-minutes
  local existing type_id
  type_id="$(jq -r .id <<<"$3")"
  existing="$(api get "pipelines/checks/configurations?resourceType=environment&resourceId=$2&api-version=7.1-preview.1" | jq --arg t "${type_id,,}" '[.value[] | select((.type.id | ascii_downcase) == $t)] | length')"
  if [ "$existing" != 0 ]; then echo "  $1: $(jq -r .name <<<"$3") already configured"; return; fi
  api post "pipelines/checks/configurations?api-version=7.1-preview.1" \
    "{\"type\":$3,\"settings\":$4,\"resource\":{\"type\":\"environment\",\"id\":\"$2\",\"name\":\"$1\"},\"timeout\":$5}" >/dev/null
  echo "  $1: $(jq -r .name <<<"$3") added"
}

required_template="{\"extendsChecks\":[{\"repositoryType\":\"git\",\"repositoryName\":\"$PROJECT/$REPO\",\"repositoryRef\":\"refs/heads/main\",\"templatePath\":\".azure-pipelines/templates/deployable.yml\"}]}"
for env in dev staging prod; do
  id="$(env_id "vigil-$env")"
  echo "environment vigil-$env (id $id)"
  add_check "vigil-$env" "$id" "$EXTENDS" "$required_template" 60
done

prod="$(env_id vigil-prod)"
add_check vigil-prod "$prod" "$APPROVAL" "{\"approvers\":[{\"id\":\"$group_id\"}],\"executionOrder\":\"anyOrder\",\"minRequiredApprovers\":1,\"requesterCannotBeApprover\":true,\"instructions\":\"Staging smoke test green? Check the staging dashboards, then approve the prod canary.\",\"blockedApprovers\":[]}" 1440
add_check vigil-prod "$prod" "$TASKCHECK" "{\"displayName\":\"Business hours\",\"definitionRef\":{\"id\":\"445fde2f-6c39-441c-807f-8a59ff2e075f\",\"name\":\"evaluatebusinesshours\",\"version\":\"0.0.1\"},\"inputs\":{\"businessDays\":\"Monday,Tuesday,Wednesday,Thursday\",\"timeZone\":\"$TZ_ID\",\"startTime\":\"09:00\",\"endTime\":\"16:00\"},\"retryInterval\":5}" 1440

# Branch policies of main (docs/deploy/azure.md, "Branch policies").
repo_id="$(az repos show --repository "$REPO" --query id -o tsv)"
policy_exists() { az repos policy list --repository-id "$repo_id" --branch main --query "[?type.displayName=='$1'] | length(@)" -o tsv; }
if [ "$(policy_exists 'Minimum number of reviewers')" = 0 ]; then
  az repos policy approver-count create --repository-id "$repo_id" --branch main --blocking true --enabled true \
    --minimum-approver-count 2 --creator-vote-counts false --allow-downvotes false --reset-on-source-push true -o none
fi
if [ "$(policy_exists 'Comment requirements')" = 0 ]; then
  az repos policy comment-required create --repository-id "$repo_id" --branch main --blocking true --enabled true -o none
fi
pr_pipeline="$(az pipelines show --name vigil-pr-validation --query id -o tsv)"
if [ "$(policy_exists 'Build')" = 0 ]; then
  az repos policy build create --repository-id "$repo_id" --branch main --blocking true --enabled true \
    --build-definition-id "$pr_pipeline" --display-name "PR validation" --queue-on-source-update-only false \
    --manual-queue-only false --valid-duration 720 --path-filter '!/docs/*;!*.md' -o none
fi
echo "done: environments, checks and branch policies"
