"""A baked service's delivery files, each passed through the tool that would reject it.

hadolint checks the Dockerfile; `docker compose config` resolves compose.yaml; actionlint (with
shellcheck), zizmor and check-jsonschema check the GitHub workflow and Dependabot; pre-commit
checks its config; `kubectl kustomize` renders each Kubernetes overlay and kubernetes-validate
holds every rendered object to the API schemas of Kubernetes 1.37. Every tool is a wheel in
the template's virtualenv: no Docker engine, cluster or network is needed. The rules no tool
knows (non-root, probes, secrets only by reference, ...) are asserted on top, and a planted
mistake proves each tool really checks. The manifests belong to `include_kubernetes`: a bake
without them has no deploy/k8s/ folder and no line that points at one (deploy/observability/,
the Prometheus rules and the dashboard, stays: tests/test_observability.py).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.commands import run, run_ok, template_tool
from tests.support.cookies import Cookies, baked_path
from tests.support.delivery import (
    K8S,
    KUBERNETES_MENTION,
    OVERLAYS,
    by_kind,
    copied_sources,
    dockerignore_excludes,
    exec_form,
    for_component,
    load_yaml,
    one,
    option_value,
    pod_specs,
    render_overlay,
    secret_references,
    stages,
    tool_env,
)
from tests.support.rendering import lines_matching
from tests.support.template import DEFAULT_PACKAGE, DEFAULT_PYTHON_VERSION, DEFAULT_SLUG
from tests.support.tree import empty_folders, files

SECRET_NAME = f"{DEFAULT_SLUG}-secrets"
CONTAINER_TMP = "/tmp"  # noqa: S108 - the path inside the pods, not on this machine
GITHUB_SHA_PIN = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


@pytest.fixture(scope="module")
def sqlite_project(cookies_session: Cookies) -> Path:
    # The hook refuses SQLite with the Kubernetes manifests (one file, several replicas).
    return baked_path(
        cookies_session.bake(extra_context={"database": "sqlite", "include_kubernetes": False})
    )


@pytest.fixture(scope="module")
def without_kubernetes(cookies_session: Cookies) -> Path:
    """PostgreSQL, as by default, but no Kubernetes manifests."""
    return baked_path(cookies_session.bake(extra_context={"include_kubernetes": False}))


@pytest.fixture(scope="module")
def renders(
    default_project: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[Path, list[dict[str, Any]]]]:
    """Each overlay rendered once: the manifest file and its parsed objects."""
    folder = tmp_path_factory.mktemp("k8s")
    return {
        overlay: (
            folder / f"{overlay}.yaml",
            render_overlay(default_project, overlay, folder / f"{overlay}.yaml"),
        )
        for overlay in OVERLAYS
    }


def with_env_file(project: Path, target: Path) -> Path:
    """A copy of the bake with the `.env` that `make install` writes (scripts/make_env.py)."""
    shutil.copytree(project, target)
    run_ok([sys.executable, "scripts/make_env.py"], target, tool_env())
    return target


def makefile_uv_version(project: Path) -> str:
    match = re.search(r"^UV_VERSION := (\S+)$", (project / "Makefile").read_text(), re.M)
    assert match, "the Makefile pins no UV_VERSION"
    return match.group(1)


def cli_flags(project: Path) -> set[str]:
    source = (project / "src" / DEFAULT_PACKAGE / "cli.py").read_text(encoding="utf-8")
    return set(re.findall(r'add_argument\(\s*"(--[a-z-]+)"', source))


# --- Dockerfile -----------------------------------------------------------------------------


@pytest.mark.parametrize("database", ["postgresql", "sqlite"])
def test_dockerfile_passes_hadolint_with_no_finding(
    default_project: Path, sqlite_project: Path, database: str
) -> None:
    project = default_project if database == "postgresql" else sqlite_project
    hadolint = template_tool("hadolint")

    result = run(
        [hadolint, "--no-color", "--failure-threshold", "style", "Dockerfile"], project, tool_env()
    )

    assert (result.returncode, result.stdout.strip()) == (0, "")


def test_image_is_built_from_the_lock_into_a_slim_non_root_runtime(default_project: Path) -> None:
    uv_stage, builder, runtime = stages(default_project / "Dockerfile")

    assert uv_stage[0][1] == f"ghcr.io/astral-sh/uv:{makefile_uv_version(default_project)} AS uv"
    runtime_image = runtime[0][1].split(" AS ")[0]
    # A named Debian release, so a new Debian never arrives unannounced with a rebuild.
    assert re.fullmatch(rf"python:{DEFAULT_PYTHON_VERSION}-slim-[a-z]+", runtime_image)
    # The same base in both stages: the virtualenv's interpreter path must exist in both.
    assert builder[0][1] == f"{runtime_image} AS builder"
    assert any("uv sync --frozen --no-dev" in args for keyword, args in builder if keyword == "RUN")

    runtime_text = "\n".join(f"{keyword} {args}" for keyword, args in runtime)
    user = next(args for keyword, args in runtime if keyword == "USER")
    assert re.fullmatch(r"[1-9]\d*:[1-9]\d*", user), "the runtime user must be numeric, not root"
    # Only the virtualenv comes from the builder: no uv, compiler or cache in the final stage.
    assert [args for keyword, args in runtime if "--from=" in args] == [
        "--from=builder /app/.venv /app/.venv"
    ]
    for leftover in ("apt-get", "pip install", "/uv", "gcc", "build-essential"):
        assert leftover not in runtime_text


def test_image_serves_the_app_checks_liveness_and_never_migrates(default_project: Path) -> None:
    runtime = stages(default_project / "Dockerfile")[-1]
    cmd = exec_form(next(args for keyword, args in runtime if keyword == "CMD"))
    healthcheck = next(args for keyword, args in runtime if keyword == "HEALTHCHECK")

    assert cmd[:4] == ["python", "-m", DEFAULT_PACKAGE, "serve"]
    assert option_value(cmd, "--host") == "0.0.0.0"  # noqa: S104 - inside the container
    assert option_value(cmd, "--port") == "8000"
    assert {arg for arg in cmd if arg.startswith("--")} <= cli_flags(default_project)
    assert "alembic" not in " ".join(cmd)
    check = exec_form(healthcheck.split(" CMD ", 1)[1])
    assert check[:2] == ["python", "-c"]
    assert "urllib.request" in check[2]
    assert "/health/live" in check[2]
    assert "curl" not in healthcheck


def test_build_context_leaves_out_secrets_and_local_state(default_project: Path) -> None:
    dockerignore = default_project / ".dockerignore"
    left_out = [
        ".env",
        ".git/config",
        ".venv/bin/python",
        ".tools/bin/uv",
        f"{DEFAULT_PACKAGE}.db",
        f"src/{DEFAULT_PACKAGE}/__pycache__/main.cpython-313.pyc",
        ".pytest_cache/README.md",
        ".mypy_cache/3.13/cache.json",
        ".ruff_cache/content",
        ".coverage",
    ]
    needed = copied_sources(default_project / "Dockerfile")

    assert [path for path in left_out if not dockerignore_excludes(dockerignore, path)] == []
    # Everything the Dockerfile copies exists and reaches the build context.
    assert needed
    assert [path for path in needed if not (default_project / path).exists()] == []
    assert [path for path in needed if dockerignore_excludes(dockerignore, path)] == []


def test_uv_is_the_same_version_in_the_image_makefile_and_ci(default_project: Path) -> None:
    version = makefile_uv_version(default_project)
    workflow = load_yaml(default_project / ".github/workflows/ci.yml")

    assert f"ghcr.io/astral-sh/uv:{version} " in (default_project / "Dockerfile").read_text()
    assert workflow["env"]["UV_VERSION"] == version


# --- compose.yaml ---------------------------------------------------------------------------


@pytest.mark.parametrize("database", ["postgresql", "sqlite"])
def test_compose_resolves_with_the_env_file_make_install_writes(
    default_project: Path, sqlite_project: Path, tmp_path: Path, database: str
) -> None:
    project = with_env_file(
        default_project if database == "postgresql" else sqlite_project, tmp_path / "p"
    )

    run_ok([template_tool("docker-compose"), "config", "--quiet"], project, tool_env())


def test_compose_migrates_once_before_the_app_starts(default_project: Path, tmp_path: Path) -> None:
    project = with_env_file(default_project, tmp_path / "p")
    resolved = json.loads(
        run_ok(
            [template_tool("docker-compose"), "config", "--format", "json"], project, tool_env()
        ).stdout
    )
    services = resolved["services"]

    assert services["migrate"]["command"] == ["alembic", "upgrade", "head"]
    assert services["app"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["app"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["app"]["build"]["context"] == str(project)
    assert services["app"].get("command") is None, "the app must run the image CMD (no migrating)"
    assert "test" in services["db"]["healthcheck"]
    assert {volume["type"] for volume in services["db"]["volumes"]} == {"volume"}
    assert set(resolved["volumes"]) == {"postgres-data", "rabbitmq-data"}
    # Background jobs (on by default): a worker and a scheduler from the same image, after the
    # migrations and a healthy RabbitMQ; the migrations never see the broker's password.
    assert services["worker"]["command"] == ["python", "-m", "orders_service", "worker"]
    assert services["worker"]["depends_on"]["rabbitmq"]["condition"] == "service_healthy"
    assert services["scheduler"]["command"] == ["python", "-m", "orders_service", "scheduler"]
    assert "test" in services["rabbitmq"]["healthcheck"]
    assert services["app"]["environment"]["BROKER_URL"].startswith("amqp://orders_service:")
    assert "BROKER_URL" not in services["migrate"]["environment"]


def test_compose_takes_every_secret_from_the_env_file(
    default_project: Path, tmp_path: Path
) -> None:
    source = load_yaml(default_project / "compose.yaml")
    secret_key = re.compile(r"PASSWORD|SECRET|TOKEN|KEY")

    for name, service in source["services"].items():
        for key, value in (service.get("environment") or {}).items():
            if secret_key.search(key):
                assert str(value).startswith("${"), f"{name}: {key} is written into compose.yaml"
    assert source["services"]["app"]["env_file"] == ".env"
    assert (
        "POSTGRES_PASSWORD=replace-me-with-make-env"
        in (default_project / ".env.example").read_text()
    )
    # Without the password the stack refuses to start, and says where it belongs.
    bare = tmp_path / "bare"
    shutil.copytree(default_project, bare)
    refused = run([template_tool("docker-compose"), "config", "--quiet"], bare, tool_env())
    assert refused.returncode != 0
    assert "POSTGRES_PASSWORD" in refused.stdout


# --- GitHub: workflow, Dependabot, pre-commit -----------------------------------------------


def test_workflow_passes_actionlint_and_zizmor(default_project: Path) -> None:
    workflow = default_project / ".github/workflows/ci.yml"

    run_ok(
        [template_tool("actionlint"), "-shellcheck", template_tool("shellcheck"), workflow],
        default_project,
        tool_env(),
    )
    result = run_ok(
        [template_tool("zizmor"), "--offline", "--no-progress", ".github"],
        default_project,
        tool_env(),
    )
    assert "No findings to report" in result.stdout


def test_workflow_and_dependabot_satisfy_their_schemas(default_project: Path) -> None:
    checker = template_tool("check-jsonschema")
    workflow = default_project / ".github/workflows/ci.yml"

    for schema in ("vendor.github-workflows", "custom.github-workflows-require-timeout"):
        run_ok([checker, "--builtin-schema", schema, workflow], default_project, tool_env())
    dependabot = default_project / ".github/dependabot.yml"
    run_ok(
        [checker, "--builtin-schema", "vendor.dependabot", dependabot], default_project, tool_env()
    )


def test_only_the_publish_job_may_write_packages(default_project: Path) -> None:
    workflow = load_yaml(default_project / ".github/workflows/ci.yml")
    jobs = workflow["jobs"]

    assert workflow["permissions"] == {"contents": "read"}
    writers = {
        name for name, job in jobs.items() if "write" in (job.get("permissions") or {}).values()
    }
    assert writers == {"publish"}
    publish = jobs["publish"]
    assert publish["permissions"] == {"contents": "read", "packages": "write"}
    assert "github.event_name == 'push'" in publish["if"]
    assert "default_branch" in publish["if"]
    assert {"lint", "image"} <= set(publish["needs"])
    assert "docker push" in "\n".join(step.get("run", "") for step in publish["steps"])
    assert "ghcr.io/" in "\n".join(step.get("run", "") for step in publish["steps"])
    # Pull requests build the image too, without any write permission.
    assert "permissions" not in jobs["image"]
    assert "docker build" in "\n".join(step.get("run", "") for step in jobs["image"]["steps"])
    uses = [step["uses"] for job in jobs.values() for step in job["steps"] if "uses" in step]
    assert [action for action in uses if not GITHUB_SHA_PIN.match(action)] == []


def test_dependabot_updates_locked_packages_actions_and_images(default_project: Path) -> None:
    config = load_yaml(default_project / ".github/dependabot.yml")

    ecosystems = {update["package-ecosystem"] for update in config["updates"]}

    assert {"uv", "github-actions", "docker"} <= ecosystems


def test_pre_commit_config_is_valid_and_lints_like_make_lint(default_project: Path) -> None:
    config_path = default_project / ".pre-commit-config.yaml"
    run_ok(
        [template_tool("pre-commit"), "validate-config", config_path], default_project, tool_env()
    )
    config = load_yaml(config_path)

    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    for repo in config["repos"]:
        if repo["repo"] != "local":
            assert re.fullmatch(r"v\d+\.\d+\.\d+", repo["rev"]), f"{repo['repo']}: pin a tag"
    assert {
        "trailing-whitespace",
        "end-of-file-fixer",
        "check-yaml",
        "check-toml",
        "check-added-large-files",
        "detect-private-key",
    } <= set(hooks)
    # The linters run from uv.lock, so pre-commit, `make lint` and CI agree on versions.
    for tool in ("ruff check", "ruff format", "mypy", "lint-imports"):
        assert any(
            hook.get("entry", "").startswith(f"uv run --frozen {tool}") for hook in hooks.values()
        )


# --- Kubernetes -----------------------------------------------------------------------------


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlay_renders_and_satisfies_the_kubernetes_schemas(
    renders: dict[str, tuple[Path, list[dict[str, Any]]]], overlay: str
) -> None:
    manifest, documents = renders[overlay]

    result = run_ok(
        [template_tool("kubernetes-validate"), "--strict", "--quiet", manifest],
        manifest.parent,
        tool_env(),
    )

    assert result.stdout.strip() == ""
    assert {doc["kind"] for doc in documents} == {
        "ConfigMap",
        "Deployment",
        "HorizontalPodAutoscaler",
        "Job",
        "PodDisruptionBudget",
        "Service",
        "ServiceAccount",
    }
    assert one(documents, "HorizontalPodAutoscaler")["apiVersion"] == "autoscaling/v2"
    assert {doc["apiVersion"] for doc in by_kind(documents, "PodDisruptionBudget")} == {"policy/v1"}


def test_base_manifests_satisfy_the_kubernetes_schemas_on_their_own(default_project: Path) -> None:
    base = default_project / K8S / "base"
    resources = [base / name for name in load_yaml(base / "kustomization.yaml")["resources"]]

    run_ok(
        [template_tool("kubernetes-validate"), "--strict", "--quiet", *resources], base, tool_env()
    )


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlay_patches_target_resources_that_exist(
    default_project: Path, renders: dict[str, tuple[Path, list[dict[str, Any]]]], overlay: str
) -> None:
    # kustomize applies a patch whose target matches nothing silently; this does not.
    folder = default_project / K8S / "overlays" / overlay
    kustomization = load_yaml(folder / "kustomization.yaml")
    rendered = {(doc["kind"], doc["metadata"]["name"]) for doc in renders[overlay][1]}
    base_names = {name for _, name in rendered}

    for patch in kustomization.get("patches", []):
        if "target" in patch:
            target = (patch["target"]["kind"], patch["target"]["name"])
        else:
            patched = load_yaml(folder / patch["path"])
            target = (patched["kind"], patched["metadata"]["name"])
        assert target in rendered, f"{overlay}: patch target {target} is not a resource"
    for image in kustomization["images"]:
        assert image["name"] in base_names, f"{overlay}: image {image['name']} is used nowhere"


def test_overlays_set_their_namespace_image_and_scale(
    renders: dict[str, tuple[Path, list[dict[str, Any]]]],
) -> None:
    scale: dict[str, tuple[int, int]] = {}
    for overlay, (_, documents) in renders.items():
        assert {doc["metadata"]["namespace"] for doc in documents} == {f"{DEFAULT_SLUG}-{overlay}"}
        for _, spec in pod_specs(documents):
            for container in spec["containers"]:
                assert re.fullmatch(rf"ghcr\.io/[\w-]+/{DEFAULT_SLUG}:[\w.-]+", container["image"])
        hpa = one(documents, "HorizontalPodAutoscaler")
        scale[overlay] = (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"])
        # The autoscaler owns the replica count; a fixed one would reset it on every apply.
        assert "replicas" not in for_component(documents, "Deployment", "api")["spec"]

    assert scale["staging"] != scale["production"]
    assert scale["production"][0] >= 2


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_pod_runs_hardened_with_limits_and_a_writable_tmp(
    renders: dict[str, tuple[Path, list[dict[str, Any]]]], overlay: str
) -> None:
    for workload, spec in pod_specs(renders[overlay][1]):
        pod_security = spec["securityContext"]
        assert pod_security["runAsNonRoot"] is True, workload
        assert pod_security["seccompProfile"] == {"type": "RuntimeDefault"}, workload
        assert spec["automountServiceAccountToken"] is False, workload
        tmp_volumes = {volume["name"] for volume in spec["volumes"] if "emptyDir" in volume}
        for container in spec["containers"]:
            security = container["securityContext"]
            assert security["allowPrivilegeEscalation"] is False, workload
            assert security["readOnlyRootFilesystem"] is True, workload
            assert security["capabilities"] == {"drop": ["ALL"]}, workload
            for bound in ("requests", "limits"):
                assert set(container["resources"][bound]) == {"cpu", "memory"}, workload
            mounts = {mount["mountPath"]: mount["name"] for mount in container["volumeMounts"]}
            assert mounts.get(CONTAINER_TMP) in tmp_volumes, f"{workload}: no emptyDir at /tmp"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_probes_and_shutdown_timing_match_the_server(
    default_project: Path, renders: dict[str, tuple[Path, list[dict[str, Any]]]], overlay: str
) -> None:
    deployment = for_component(renders[overlay][1], "Deployment", "api")
    spec = deployment["spec"]["template"]["spec"]
    (api,) = spec["containers"]

    assert api["command"] == ["python", "-m", DEFAULT_PACKAGE]
    assert api["args"][0] == "serve"
    assert {arg.split("=")[0] for arg in api["args"][1:]} <= cli_flags(default_project)
    assert api["livenessProbe"]["httpGet"]["path"] == "/health/live"
    assert api["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    assert api["startupProbe"]["httpGet"]["path"] == "/health/live"
    # Readiness answers within its own bound, below the probe's timeout: a 503, not a timeout.
    config = one(renders[overlay][1], "ConfigMap")["data"]
    assert float(config["READINESS_TIMEOUT_SECONDS"]) < api["readinessProbe"]["timeoutSeconds"]
    # The kubelet's SIGKILL comes after the drain and the graceful timeout, never during.
    drain = int(option_value(api["args"], "--drain-seconds"))
    graceful = int(option_value(api["args"], "--graceful-timeout"))
    assert spec["terminationGracePeriodSeconds"] > drain + graceful


def test_secrets_are_referenced_by_name_and_never_stored(
    default_project: Path, renders: dict[str, tuple[Path, list[dict[str, Any]]]]
) -> None:
    for path in (default_project / "deploy").rglob("*.yaml"):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            assert not (doc and doc.get("kind") == "Secret"), f"{path}: a Secret is in the repo"
    for _, documents in renders.values():
        config_map = one(documents, "ConfigMap")
        for workload, spec in pod_specs(documents):
            for container in spec["containers"]:
                assert secret_references(container), f"{workload}: reads no Secret"
                assert set(secret_references(container)) == {SECRET_NAME}
                literal = {item["name"] for item in container.get("env", []) if "value" in item}
                assert not literal & {"SECRET_KEY", "DATABASE_URL", "JWT_KEYS", "REDIS_URL"}
                for source in container.get("envFrom", []):
                    if "configMapRef" in source:
                        assert source["configMapRef"]["name"] == config_map["metadata"]["name"]
        assert not {"SECRET_KEY", "DATABASE_URL"} & set(config_map["data"])


def test_service_and_disruption_budget_select_only_the_api_pods(
    renders: dict[str, tuple[Path, list[dict[str, Any]]]],
) -> None:
    for _, documents in renders.values():
        deployment = for_component(documents, "Deployment", "api")
        api_labels = deployment["spec"]["template"]["metadata"]["labels"]
        # The migration Job's pods and the job worker's and scheduler's: none serves HTTP.
        other_labels = [
            doc["spec"]["template"]["metadata"]["labels"]
            for doc in documents
            if doc["kind"] in {"Job", "Deployment"} and doc is not deployment
        ]

        budget = for_component(documents, "PodDisruptionBudget", "api")
        for selector in (
            one(documents, "Service")["spec"]["selector"],
            budget["spec"]["selector"]["matchLabels"],
            deployment["spec"]["selector"]["matchLabels"],
        ):
            assert selector.items() <= api_labels.items()
            for labels in other_labels:
                assert not selector.items() <= labels.items()
        target = one(documents, "HorizontalPodAutoscaler")["spec"]["scaleTargetRef"]
        assert (target["kind"], target["name"]) == ("Deployment", deployment["metadata"]["name"])


METRICS_PORT = 9000
SCRAPE_ANNOTATIONS = {
    "prometheus.io/scrape": "true",
    "prometheus.io/port": str(METRICS_PORT),
    "prometheus.io/path": "/metrics",
}


def test_the_api_and_worker_pods_serve_metrics_for_prometheus_to_scrape(
    renders: dict[str, tuple[Path, list[dict[str, Any]]]],
) -> None:
    # Pod discovery reads the annotations; the port they name is the container's `metrics`
    # port, the one METRICS_PORT opens (docs/observability.md).
    for overlay, (_, documents) in renders.items():
        for component in ("api", "worker"):
            template = for_component(documents, "Deployment", component)["spec"]["template"]
            (container,) = template["spec"]["containers"]
            ports = {port["name"]: port for port in container["ports"]}
            env = {item["name"]: item.get("value") for item in container["env"]}

            assert template["metadata"]["annotations"] == SCRAPE_ANNOTATIONS, (overlay, component)
            assert ports["metrics"]["containerPort"] == METRICS_PORT
            assert ports["metrics"]["protocol"] == "TCP"
            assert env["METRICS_PORT"] == str(METRICS_PORT)
        api_container = for_component(documents, "Deployment", "api")["spec"]["template"]["spec"][
            "containers"
        ][0]
        # Metrics never on the API's port.
        assert {port["containerPort"] for port in api_container["ports"]} == {8000, METRICS_PORT}
        service_ports = {port["name"]: port for port in one(documents, "Service")["spec"]["ports"]}
        assert service_ports["metrics"]["port"] == METRICS_PORT
        assert service_ports["metrics"]["targetPort"] == "metrics"
        # Only the pods that serve metrics ask to be scraped (not the migration Job).
        annotated = {
            doc["metadata"]["labels"]["app.kubernetes.io/component"]
            for doc in documents
            if doc["kind"] in {"Deployment", "Job"}
            and doc["spec"]["template"]["metadata"]
            .get("annotations", {})
            .get("prometheus.io/scrape")
        }
        assert annotated == {"api", "worker"}


def test_migrations_run_in_a_job_and_never_in_the_web_pods(
    renders: dict[str, tuple[Path, list[dict[str, Any]]]],
) -> None:
    for _, documents in renders.values():
        job_spec = one(documents, "Job")["spec"]["template"]["spec"]
        api = for_component(documents, "Deployment", "api")["spec"]["template"]["spec"]

        assert job_spec["restartPolicy"] == "Never"
        assert [container["command"] for container in job_spec["containers"]] == [
            ["alembic", "upgrade", "head"]
        ]
        for container in api["containers"]:
            assert "alembic" not in " ".join(container["command"] + container["args"])
        assert "initContainers" not in api


def test_the_job_worker_and_scheduler_run_the_job_commands_and_stop_gracefully(
    default_project: Path, renders: dict[str, tuple[Path, list[dict[str, Any]]]]
) -> None:
    commands = (default_project / "src" / DEFAULT_PACKAGE / "jobs" / "commands.py").read_text()
    alive = ["python", "-m", DEFAULT_PACKAGE, "worker-alive"]
    assert '"worker-alive"' in commands
    for overlay, (_, documents) in renders.items():
        worker = for_component(documents, "Deployment", "worker")
        scheduler = for_component(documents, "Deployment", "scheduler")
        for deployment, command in ((worker, "worker"), (scheduler, "scheduler")):
            spec = deployment["spec"]["template"]["spec"]
            (container,) = spec["containers"]
            assert (container["command"], container["args"]) == (
                ["python", "-m", DEFAULT_PACKAGE],
                [command],
            ), overlay
            assert f'"{command}"' in commands
            assert container["livenessProbe"]["exec"]["command"] == alive
            env = {item["name"] for item in container["env"]}
            assert {"DATABASE_URL", "BROKER_URL", "SECRET_KEY"} <= env
        (worker_container,) = worker["spec"]["template"]["spec"]["containers"]
        (scheduler_container,) = scheduler["spec"]["template"]["spec"]["containers"]
        # The worker serves its metrics and nothing else; the scheduler serves nothing.
        assert [port["name"] for port in worker_container["ports"]] == ["metrics"]
        assert "ports" not in scheduler_container
        assert worker_container["startupProbe"]["exec"]["command"] == alive
        # SIGTERM: the running jobs get WORKER_GRACE_SECONDS, and the kubelet waits longer.
        grace = next(
            float(item["value"])
            for item in worker_container["env"]
            if item["name"] == "WORKER_GRACE_SECONDS"
        )
        assert worker["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] > grace
        assert worker["spec"]["replicas"] >= 2
        budget = for_component(documents, "PodDisruptionBudget", "worker")["spec"]
        worker_labels = worker["spec"]["template"]["metadata"]["labels"]
        assert budget["maxUnavailable"] == 1
        assert budget["selector"]["matchLabels"].items() <= worker_labels.items()
        # One scheduler, never two at once during a rollout.
        assert scheduler["spec"]["replicas"] == 1
        assert scheduler["spec"]["strategy"] == {"type": "Recreate"}


def test_without_background_jobs_the_manifests_run_only_the_api(
    cookies_session: Cookies, tmp_path: Path
) -> None:
    project = baked_path(cookies_session.bake(extra_context={"include_background_jobs": False}))
    documents = render_overlay(project, "production", tmp_path / "production.yaml")

    components = {
        doc["metadata"]["labels"]["app.kubernetes.io/component"]
        for doc in documents
        if doc["kind"] in {"Deployment", "PodDisruptionBudget"}
    }
    assert components == {"api"}
    assert lines_matching(project / "deploy", re.compile(r"BROKER_URL|worker|scheduler")) == []


def relative_files(project: Path) -> set[str]:
    return {path.relative_to(project).as_posix() for path in files(project)}


def test_include_kubernetes_owns_exactly_the_k8s_folder(
    default_project: Path, without_kubernetes: Path
) -> None:
    # The manifests vanish through their names alone (no hook), because Backstage runs none.
    # deploy/observability/ serves any Prometheus, so it stays.
    with_files, without_files = relative_files(default_project), relative_files(without_kubernetes)

    assert with_files - without_files == {
        name for name in with_files if name.startswith(f"{K8S.as_posix()}/")
    }
    assert "deploy/observability/alerts.yaml" in without_files
    assert {name for name in with_files if name.startswith(f"{K8S.as_posix()}/")} >= {
        f"{K8S.as_posix()}/base/kustomization.yaml",
        *(f"{K8S.as_posix()}/overlays/{overlay}/kustomization.yaml" for overlay in OVERLAYS),
    }
    assert without_files <= with_files


def test_the_default_bake_documents_its_manifests(default_project: Path) -> None:
    # The counterpart of the check below: the pattern does find the mentions when they belong.
    mentioned = {
        line.split(":", 1)[0] for line in lines_matching(default_project, KUBERNETES_MENTION)
    }

    assert {"README.md", "CLAUDE.md", "Dockerfile"} <= mentioned


@pytest.mark.parametrize("database", ["postgresql", "sqlite"])
def test_without_kubernetes_no_k8s_folder_and_no_mention_of_it(
    without_kubernetes: Path, sqlite_project: Path, database: str
) -> None:
    project = without_kubernetes if database == "postgresql" else sqlite_project

    assert not (project / K8S).exists()
    assert lines_matching(project, KUBERNETES_MENTION) == []
    assert empty_folders(project) == []


def test_a_sqlite_service_keeps_its_file_on_a_volume(sqlite_project: Path) -> None:
    # One SQLite file cannot back an autoscaled Deployment; compose.yaml keeps it on a volume.
    assert "sqlite-data:/data" in (sqlite_project / "compose.yaml").read_text()


# --- The validators are really checking -----------------------------------------------------


def test_hadolint_reports_a_planted_mistake(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM python:latest\nRUN apt-get install curl\n")

    result = run([template_tool("hadolint"), "--no-color", "Dockerfile"], tmp_path, tool_env())

    assert result.returncode != 0
    assert "DL3007" in result.stdout  # `latest` tag


def test_kubernetes_validate_rejects_a_planted_mistake(
    default_project: Path, tmp_path: Path
) -> None:
    deployment = load_yaml(default_project / K8S / "base" / "deployment.yaml")
    deployment["spec"]["replicas"] = "two"
    broken = tmp_path / "deployment.yaml"
    broken.write_text(yaml.safe_dump(deployment))

    result = run([template_tool("kubernetes-validate"), "--strict", broken], tmp_path, tool_env())

    assert result.returncode != 0


def test_actionlint_and_zizmor_report_planted_mistakes(tmp_path: Path) -> None:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "ci.yml").write_text(
        "on: pull_request_target\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: echo '${{ github.event.pull_request.title }}'\n"
    )

    linted = run([template_tool("actionlint"), workflows / "ci.yml"], tmp_path, tool_env())
    audited = run(
        [template_tool("zizmor"), "--offline", "--no-progress", ".github"], tmp_path, tool_env()
    )

    assert linted.returncode != 0
    assert "potentially untrusted" in linted.stdout
    assert audited.returncode != 0
    assert "template-injection" in audited.stdout


def test_compose_config_rejects_a_planted_mistake(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        "services:\n  app:\n    image: x\n    depends_on: [db]\n"
    )

    result = run([template_tool("docker-compose"), "config", "--quiet"], tmp_path, tool_env())

    assert result.returncode != 0
