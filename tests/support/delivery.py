"""Reading a baked service's delivery files: Dockerfile, .dockerignore, Kubernetes renders.

Each validator binary comes from a wheel in the template's own virtualenv (see the root
pyproject.toml), so everything here runs offline and without a Docker engine or a cluster.
"""

from __future__ import annotations

import json
import os
import re
import shlex
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from tests.support.commands import run_ok, template_tool

OVERLAYS = ("staging", "production")
K8S = Path("deploy/k8s")
# A line that points at the Kubernetes manifests: their folder, kustomize (and its
# kustomization files) or the kubectl that applies them.
KUBERNETES_MENTION = re.compile(r"deploy/k8s|kustomiz|kubectl", re.IGNORECASE)


def tool_env() -> dict[str, str]:
    """This environment with the template's tools first on PATH (actionlint finds shellcheck)."""
    tools = str(template_tool("hadolint").parent)
    return {**os.environ, "PATH": os.pathsep.join([tools, os.environ.get("PATH", "")])}


# --- Dockerfile ---------------------------------------------------------------------------


def dockerfile_instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        full = pending + line
        pending = ""
        keyword, _, arguments = full.partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def stages(path: Path) -> list[list[tuple[str, str]]]:
    """The instructions of each build stage, in order; each list starts with its FROM."""
    result: list[list[tuple[str, str]]] = []
    for instruction in dockerfile_instructions(path):
        if instruction[0] == "FROM":
            result.append([])
        result[-1].append(instruction)
    return result


def exec_form(arguments: str) -> list[str]:
    """The JSON array of an exec-form CMD/ENTRYPOINT (fails for the shell form)."""
    parsed = json.loads(arguments)
    assert isinstance(parsed, list), f"not an exec-form array: {arguments}"
    return [str(item) for item in parsed]


def copied_sources(path: Path) -> list[str]:
    """What `COPY` takes from the build context (not from another stage)."""
    sources: list[str] = []
    for keyword, arguments in dockerfile_instructions(path):
        words = shlex.split(arguments)
        if keyword == "COPY" and not any(word.startswith("--from=") for word in words):
            operands = [word for word in words if not word.startswith("--")]
            sources.extend(operands[:-1])
    return sources


# --- .dockerignore ------------------------------------------------------------------------


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """Docker's matching: `*` and `?` stay inside one path segment, `**` spans any number."""
    parts: list[str] = []
    index = 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            parts.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            parts.append(".*")
            index += 2
        elif pattern[index] == "*":
            parts.append("[^/]*")
            index += 1
        elif pattern[index] == "?":
            parts.append("[^/]")
            index += 1
        elif pattern[index] == "[":
            end = pattern.index("]", index)
            parts.append(pattern[index : end + 1])
            index = end + 1
        else:
            parts.append(re.escape(pattern[index]))
            index += 1
    return re.compile("".join(parts))


def dockerignore_excludes(dockerignore: Path, relative_path: str) -> bool:
    """Whether the build context leaves this path out (a match on any parent folder counts)."""
    excluded = False
    rules = [
        line.strip()
        for line in dockerignore.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    segments = relative_path.split("/")
    prefixes = ["/".join(segments[: count + 1]) for count in range(len(segments))]
    for rule in rules:
        negated = rule.startswith("!")
        regex = _pattern_regex(rule.removeprefix("!").strip("/"))
        if any(regex.fullmatch(prefix) for prefix in prefixes):
            excluded = not negated
    return excluded


# --- Kubernetes -----------------------------------------------------------------------------


def load_yaml(path: Path) -> dict[str, Any]:
    """A YAML file whose top level is a mapping (every delivery file here is one)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path} is not a YAML mapping"
    return data


def render_overlay(project: Path, overlay: str, output: Path) -> list[dict[str, Any]]:
    """`kubectl kustomize` (kustomize built in, no cluster needed) into `output`, parsed."""
    result = run_ok(
        [template_tool("kubectl"), "kustomize", K8S / "overlays" / overlay],
        project,
        tool_env(),
    )
    output.write_text(result.stdout, encoding="utf-8")
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def by_kind(documents: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [doc for doc in documents if doc["kind"] == kind]


def one(documents: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    matches = by_kind(documents, kind)
    assert len(matches) == 1, f"expected one {kind}, found {len(matches)}"
    return matches[0]


def for_component(documents: list[dict[str, Any]], kind: str, component: str) -> dict[str, Any]:
    """The one object of `kind` labelled with `component` (api, worker, scheduler, ...)."""
    matches = [
        doc
        for doc in by_kind(documents, kind)
        if doc["metadata"].get("labels", {}).get("app.kubernetes.io/component") == component
    ]
    assert len(matches) == 1, f"expected one {kind} for {component}, found {len(matches)}"
    return matches[0]


def pod_specs(documents: list[dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(kind/name, pod spec) of every workload that runs pods."""
    for doc in documents:
        if doc["kind"] in {"Deployment", "Job", "StatefulSet", "DaemonSet"}:
            yield f"{doc['kind']}/{doc['metadata']['name']}", doc["spec"]["template"]["spec"]


def option_value(args: list[str], flag: str) -> str:
    """The value of `--flag=value` or `--flag value` in a container's args."""
    for index, arg in enumerate(args):
        if arg.startswith(f"{flag}="):
            return arg.split("=", 1)[1]
        if arg == flag:
            return args[index + 1]
    raise AssertionError(f"{flag} is not among {args}")


def secret_references(container: Mapping[str, Any]) -> list[str]:
    """Names of the Secrets a container reads, through env or envFrom."""
    names = [
        item["valueFrom"]["secretKeyRef"]["name"]
        for item in container.get("env", [])
        if "secretKeyRef" in item.get("valueFrom", {})
    ]
    names += [
        source["secretRef"]["name"]
        for source in container.get("envFrom", [])
        if "secretRef" in source
    ]
    return names
