#!/usr/bin/env bash
# Image scan gate: Trivy (Aqua Security, Apache-2.0), run from its own pinned image against the
# local Docker daemon. Fails on HIGH or CRITICAL vulnerabilities that have a fixed version.
#   scan-image.sh IMAGE
set -euo pipefail
image="$1"
trivy="${TRIVY_IMAGE:-aquasec/trivy:0.57.1}"
mkdir -p reports
docker run --rm -v /var/run/docker.sock:/var/run/docker.sock -v "$PWD/reports:/reports" -v trivy-cache:/root/.cache "$trivy" \
  image --exit-code 1 --severity HIGH,CRITICAL --ignore-unfixed --scanners vuln --format table --output /reports/trivy.txt "$image" \
  || { cat reports/trivy.txt; echo "##vso[task.logissue type=error]image scan: HIGH/CRITICAL vulnerabilities with a fix in $image"; exit 1; }
cat reports/trivy.txt
