"""Sort rendered chart manifests for kubernetes-validate, and check what the chart promises.

kubernetes-validate knows the built-in kinds only; for any other it prints a warning and
passes, which would also pass a Deployment whose apiVersion has a typo. So this splits the
render: custom resources of the groups listed in CUSTOM_GROUPS are reported as
"skipped (no schema)" line by line; everything else goes to OUT for validation, where an
unknown kind is a failure. Then it checks the chart's own promises, which no schema knows:

- every Deployment: requests and limits, liveness on /healthz and readiness on /readyz at the
  metrics port, non-root with a read-only root, no capabilities, seccomp RuntimeDefault;
- every ScaledObject: scales a Deployment of the render that sets no replicas of its own,
  with a Kafka trigger, and at most as many replicas as the topic has partitions;
- every PodDisruptionBudget selects the pods of one Deployment.

The partition count is settings.kafka.partitions of a rendered config ConfigMap (what the
worker creates its topics with), else the PARTITIONS argument.

Usage: python deploy/checks/manifests.py RENDERED.yaml OUT.yaml PARTITIONS
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

CUSTOM_GROUPS = ("keda.sh", "monitoring.coreos.com")
KAFKA_TRIGGER_KEYS = ("bootstrapServers", "consumerGroup", "topic", "lagThreshold")


def main(rendered: Path, out: Path, partitions: int) -> int:
    docs = [d for d in yaml.safe_load_all(rendered.read_text()) if d]
    builtin = [d for d in docs if str(d.get("apiVersion", "")).split("/")[0] not in CUSTOM_GROUPS]
    for doc in docs:
        if doc not in builtin:
            print(f"  skipped (no schema): {doc['kind']} {doc['metadata']['name']} ({doc['apiVersion']})")
    out.write_text(yaml.safe_dump_all(builtin, sort_keys=False))
    deployments = {d["metadata"]["name"]: d for d in docs if d.get("kind") == "Deployment"}
    partitions = _configured_partitions(docs) or partitions
    found: list[str] = []
    for doc in docs:
        check = CHECKS.get(doc.get("kind", ""))
        if check:
            found += [f"{doc['kind']} {doc['metadata']['name']}: {p}"
                      for p in check(doc, deployments, partitions)]
    for problem in found:
        print(f"  {problem}", file=sys.stderr)
    if not found:
        print(f"  chart promises hold for {len(deployments)} Deployments and "
              f"{sum(1 for d in docs if d.get('kind') in ('ScaledObject', 'PodDisruptionBudget'))} "
              f"ScaledObjects/PodDisruptionBudgets")
    return 1 if found else 0


def _configured_partitions(docs: list[dict[str, Any]]) -> int | None:
    for doc in docs:
        if doc.get("kind") == "ConfigMap" and "settings.yaml" in doc.get("data", {}):
            settings = yaml.safe_load(doc["data"]["settings.yaml"]).get("settings", {})
            value = settings.get("kafka", {}).get("partitions")
            return int(value) if value is not None else None
    return None


def _deployment(doc: dict[str, Any], _: dict[str, Any], __: int) -> list[str]:
    pod = doc["spec"]["template"]["spec"]
    found: list[str] = []
    pod_security = pod.get("securityContext", {})
    for container in pod["containers"]:
        name = container["name"]
        security = {**pod_security, **container.get("securityContext", {})}
        resources = container.get("resources", {})
        for kind in ("requests", "limits"):
            missing = [r for r in ("cpu", "memory") if r not in resources.get(kind, {})]
            if missing:
                found.append(f"{name}: resources.{kind} lacks {', '.join(missing)}")
        found += _probe(container, "livenessProbe", "/healthz")
        found += _probe(container, "readinessProbe", "/readyz")
        if security.get("runAsNonRoot") is not True:
            found.append(f"{name}: runAsNonRoot is not true")
        if security.get("readOnlyRootFilesystem") is not True:
            found.append(f"{name}: readOnlyRootFilesystem is not true")
        if "ALL" not in security.get("capabilities", {}).get("drop", []):
            found.append(f"{name}: capabilities do not drop ALL")
        if security.get("seccompProfile", {}).get("type") != "RuntimeDefault":
            found.append(f"{name}: seccompProfile is not RuntimeDefault")
    return found


def _probe(container: dict[str, Any], probe: str, path: str) -> list[str]:
    get = container.get(probe, {}).get("httpGet", {})
    ports = {p.get("name"): p.get("containerPort") for p in container.get("ports", [])}
    if get.get("path") != path or get.get("port") not in ("metrics", ports.get("metrics")):
        return [f"{container['name']}: {probe} must GET {path} on the metrics port"]
    return []


def _scaled_object(doc: dict[str, Any], deployments: dict[str, Any], partitions: int) -> list[str]:
    spec = doc["spec"]
    found: list[str] = []
    target = deployments.get(spec.get("scaleTargetRef", {}).get("name"))
    if target is None:
        found.append(f"scaleTargetRef {spec.get('scaleTargetRef')} is no Deployment of this render")
    elif "replicas" in target["spec"]:
        found.append("its Deployment sets replicas, which would fight KEDA on every upgrade")
    if int(spec.get("maxReplicaCount", 100)) > partitions:
        found.append(f"maxReplicaCount {spec.get('maxReplicaCount')} exceeds the {partitions} partitions")
    triggers = spec.get("triggers", [])
    if not triggers or any(t.get("type") != "kafka" for t in triggers):
        found.append("needs Kafka triggers only")
    for trigger in triggers:
        missing = [k for k in KAFKA_TRIGGER_KEYS if not trigger.get("metadata", {}).get(k)]
        if missing:
            found.append(f"kafka trigger lacks {', '.join(missing)}")
    return found


def _pdb(doc: dict[str, Any], deployments: dict[str, Any], _: int) -> list[str]:
    wanted = doc["spec"].get("selector", {}).get("matchLabels", {})
    selected = [name for name, d in deployments.items()
                if wanted.items() <= d["spec"]["template"]["metadata"].get("labels", {}).items()]
    return [] if len(selected) == 1 else [f"selects the pods of {len(selected)} Deployments, not 1"]


CHECKS = {"Deployment": _deployment, "ScaledObject": _scaled_object, "PodDisruptionBudget": _pdb}


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])))
