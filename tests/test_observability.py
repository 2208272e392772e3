"""A baked service's Prometheus rules, their unit tests and its Grafana dashboard hold up.

promtool (Prometheus's own checker) parses the rules and runs their unit tests
(deploy/observability/alerts.test.yaml); a rule planted never to fire, or always to fire, must
fail those tests, so each alert's firing and quiet cases really test it. Every PromQL query of
the dashboard goes through promtool too, as a recording rule. The names the queries read must
be names a running bake serves on its metrics port, and each alert's runbook_url a section of
docs/observability.md. With background jobs off, none of it names the jobs.

promtool ships no wheel: Debian's `prometheus` package provides it (.ci/run installs it).
Without it these tests skip, and fail under CI=true (tests/support/services.py).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.support.commands import describe, run, run_ok
from tests.support.cookies import Cookies, baked_path
from tests.support.projects import InstalledProjects
from tests.support.rendering import lines_matching
from tests.support.services import free_port, promtool
from tests.support.serving import serving
from tests.support.template import DEFAULT_PACKAGE, DEFAULT_SLUG

OBSERVABILITY = Path("deploy/observability")
RULES = OBSERVABILITY / "alerts.yaml"
RULE_TESTS = OBSERVABILITY / "alerts.test.yaml"
DASHBOARD = OBSERVABILITY / "dashboard.json"
DOCS = Path("docs/observability.md")
WORKER_JOB = f"{DEFAULT_SLUG}-worker"
SERVICE_ALERTS = frozenset(
    {
        "ApiAvailabilityFastBurn",
        "ApiAvailabilitySlowBurn",
        "ApiLatencyFastBurn",
        "ApiLatencySlowBurn",
        "ReadinessFailing",
        "DatabasePoolSaturated",
    }
)
JOBS_ALERTS = frozenset({"JobsDeadLettered", "JobsOutboxStale"})
SEVERITIES = {"page", "ticket"}
RUNBOOK_BASE = f"https://github.com/org/{DEFAULT_SLUG}/blob/main/docs/observability.md#"
# Grafana fills these in before the query reaches Prometheus; promtool needs a duration.
GRAFANA_VARIABLES = re.compile(r"\$__(rate_interval|interval|range)\b")
# What the jobs option owns, in any spelling the observability files could use.
JOBS_MENTION = re.compile(
    r"(?i)worker|outbox|scheduler|\bjobs_|job_duration|exported_job|dead.?letter|background|broker"
)
PROMQL_KEYWORDS = frozenset(
    {"and", "or", "unless", "by", "without", "on", "ignoring", "offset", "bool", "inf", "nan"}
)


@pytest.fixture(scope="module")
def without_jobs(cookies_session: Cookies) -> Path:
    return baked_path(cookies_session.bake(extra_context={"include_background_jobs": False}))


@pytest.fixture(scope="module")
def without_kubernetes(cookies_session: Cookies) -> Path:
    """Neither Kubernetes nor jobs: the other branch of every conditional in the files."""
    return baked_path(
        cookies_session.bake(
            extra_context={"include_kubernetes": False, "include_background_jobs": False}
        )
    )


@pytest.fixture(params=["default", "without-jobs"])
def project(request: pytest.FixtureRequest, default_project: Path, without_jobs: Path) -> Path:
    return default_project if request.param == "default" else without_jobs


# --- reading the files ----------------------------------------------------------------------


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path} is not a YAML mapping"
    return data


def alert_rules(project: Path) -> dict[str, dict[str, Any]]:
    return {
        rule["alert"]: rule
        for group in load(project / RULES)["groups"]
        for rule in group["rules"]
        if "alert" in rule
    }


def recorded_names(project: Path) -> set[str]:
    return {
        rule["record"]
        for group in load(project / RULES)["groups"]
        for rule in group["rules"]
        if "record" in rule
    }


def rule_expressions(project: Path) -> list[str]:
    return [rule["expr"] for group in load(project / RULES)["groups"] for rule in group["rules"]]


def dashboard_panels(project: Path) -> list[dict[str, Any]]:
    dashboard: dict[str, Any] = json.loads((project / DASHBOARD).read_text(encoding="utf-8"))
    panels: list[dict[str, Any]] = dashboard["panels"]
    return panels + [inner for panel in panels for inner in panel.get("panels", [])]


def dashboard_expressions(project: Path) -> list[str]:
    return [
        target["expr"] for panel in dashboard_panels(project) for target in panel.get("targets", [])
    ]


def metric_names(expr: str) -> set[str]:
    """The series names a PromQL expression reads (not its functions, keywords or labels)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)  # label values and function arguments
    text = re.sub(r"\{[^}]*\}", " ", text)  # matchers
    text = re.sub(r"\[[^\]]*\]", " ", text)  # ranges
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    names = set()
    for match in re.finditer(r"(?<![\w.])[a-zA-Z_:][a-zA-Z0-9_:]*", text):
        followed_by = text[match.end() :].lstrip()[:1]
        if followed_by != "(" and match.group().lower() not in PROMQL_KEYWORDS:
            names.add(match.group())
    return names


def job_matchers(expr: str) -> set[str]:
    """The values the expression's `job` matchers compare with."""
    return set(re.findall(r'\bjob=~?"([^"]*)"', expr))


def heading_anchors(markdown: str) -> set[str]:
    """The anchors GitHub and MkDocs both give headings made of words and spaces."""
    headings = re.findall(r"^#{1,6} (.+)$", markdown, re.MULTILINE)
    return {
        re.sub(r"[^\w\s-]", "", heading).strip().lower().replace(" ", "-") for heading in headings
    }


def check_rules(rule_file: Path) -> subprocess.CompletedProcess[str]:
    return run([promtool(), "check", "rules", rule_file], rule_file.parent, os.environ)


def unit_test_rules(test_file: Path) -> subprocess.CompletedProcess[str]:
    return run([promtool(), "test", "rules", test_file.name], test_file.parent, os.environ)


def test_metric_names_finds_series_not_functions_labels_or_durations() -> None:
    # Guards the name checks below: a misread expression would check nothing.
    expr = (
        'sum by (job) (rate(a_total{job="x", le="0.25"}[5m])) / ignoring (le) b offset 15m'
        ' > 0.9 and on (job) c:d_rate5m or label_replace(e, "s", "v", "", "")'
    )

    assert metric_names(expr) == {"a_total", "b", "c:d_rate5m", "e"}
    assert job_matchers(expr) == {"x"}


# --- rules ----------------------------------------------------------------------------------


def test_the_rules_pass_promtool_check(project: Path) -> None:
    result = check_rules(project / RULES)

    assert result.returncode == 0, describe(result)
    assert "SUCCESS" in result.stdout


def test_every_alert_passes_its_unit_tests(project: Path) -> None:
    result = unit_test_rules(project / RULE_TESTS)

    assert result.returncode == 0, describe(result)
    assert "SUCCESS" in result.stdout


def test_the_alerts_are_the_documented_set(default_project: Path, without_jobs: Path) -> None:
    assert set(alert_rules(default_project)) == SERVICE_ALERTS | JOBS_ALERTS
    assert set(alert_rules(without_jobs)) == SERVICE_ALERTS


def test_every_alert_has_a_case_that_fires_and_one_that_stays_quiet(project: Path) -> None:
    fires: set[str] = set()
    quiet: set[str] = set()
    for case in load(project / RULE_TESTS)["tests"]:
        for expectation in case.get("alert_rule_test", []):
            (fires if expectation["exp_alerts"] else quiet).add(expectation["alertname"])

    alerts = set(alert_rules(project))
    assert sorted(alerts - fires) == [], "alerts no case expects to fire"
    assert sorted(alerts - quiet) == [], "alerts no case expects to stay quiet"
    assert sorted((fires | quiet) - alerts) == [], "cases for alerts that do not exist"


def planted(project: Path, folder: Path, alert: str, expr: str, firing: bool) -> Path:
    """The rules with `alert`'s expression replaced, and only its firing (or quiet) cases."""
    folder.mkdir()
    rules = load(project / RULES)
    for group in rules["groups"]:
        for rule in group["rules"]:
            if rule.get("alert") == alert:
                rule["expr"] = expr
    (folder / RULES.name).write_text(yaml.safe_dump(rules, sort_keys=False), encoding="utf-8")
    tests = load(project / RULE_TESTS)
    kept = []
    for case in tests["tests"]:
        expectations = [
            expectation
            for expectation in case.get("alert_rule_test", [])
            if expectation["alertname"] == alert and bool(expectation["exp_alerts"]) is firing
        ]
        if expectations:
            kept.append({**case, "alert_rule_test": expectations})
    assert kept, f"{alert} has no {'firing' if firing else 'quiet'} case"
    tests["tests"] = kept
    test_file = folder / RULE_TESTS.name
    test_file.write_text(yaml.safe_dump(tests, sort_keys=False), encoding="utf-8")
    return test_file


@pytest.mark.parametrize("alert", sorted(SERVICE_ALERTS | JOBS_ALERTS))
def test_an_alert_planted_never_to_fire_fails_its_firing_cases(
    default_project: Path, tmp_path: Path, alert: str
) -> None:
    # `vector(1) == 0` is always empty: the cases that expect the alert must notice.
    test_file = planted(default_project, tmp_path / "never", alert, "vector(1) == 0", firing=True)

    result = unit_test_rules(test_file)

    assert result.returncode != 0, describe(result)
    assert f"alertname: {alert}" in result.stdout


@pytest.mark.parametrize("alert", sorted(SERVICE_ALERTS | JOBS_ALERTS))
def test_an_alert_planted_always_to_fire_fails_its_quiet_cases(
    default_project: Path, tmp_path: Path, alert: str
) -> None:
    test_file = planted(default_project, tmp_path / "always", alert, "vector(1)", firing=False)

    result = unit_test_rules(test_file)

    assert result.returncode != 0, describe(result)
    assert f"alertname: {alert}" in result.stdout


def test_every_alert_has_a_severity_annotations_and_a_runbook_section(project: Path) -> None:
    anchors = heading_anchors((project / DOCS).read_text(encoding="utf-8"))

    for name, rule in alert_rules(project).items():
        assert rule["labels"]["severity"] in SEVERITIES, name
        assert {"summary", "description", "runbook_url"} <= set(rule["annotations"]), name
        url = rule["annotations"]["runbook_url"]
        assert url.startswith(RUNBOOK_BASE), url
        assert url.removeprefix(RUNBOOK_BASE) == name.lower(), url
        assert name.lower() in anchors, f"docs/observability.md has no section {name}"


def test_the_selectors_name_this_service_and_its_worker(project: Path) -> None:
    expressions = rule_expressions(project) + dashboard_expressions(project)
    jobs_on = (project / "src" / DEFAULT_PACKAGE / "jobs").exists()
    allowed = (
        {DEFAULT_SLUG, f"{DEFAULT_SLUG}|{WORKER_JOB}", WORKER_JOB} if jobs_on else {DEFAULT_SLUG}
    )

    for expr in expressions:
        if not metric_names(expr) <= recorded_names(project):
            # A raw metric is read: the query must say whose.
            assert job_matchers(expr), f"no job selector in: {expr}"
        assert job_matchers(expr) <= allowed, expr


# --- dashboard ------------------------------------------------------------------------------


def test_the_dashboard_is_grafana_json_on_a_datasource_variable(project: Path) -> None:
    dashboard = json.loads((project / DASHBOARD).read_text(encoding="utf-8"))
    variables = {variable["name"]: variable for variable in dashboard["templating"]["list"]}
    panels = dashboard_panels(project)
    ids = [panel["id"] for panel in panels]

    assert dashboard["title"] == "Orders Service"
    assert variables["datasource"]["type"] == "datasource"
    assert variables["datasource"]["query"] == "prometheus"
    assert len(ids) == len(set(ids))
    for panel in panels:
        if panel["type"] == "row":
            continue
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}, panel["title"]
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            assert target["datasource"]["uid"] == "${datasource}", panel["title"]


def test_every_dashboard_query_parses_with_promtool(project: Path, tmp_path: Path) -> None:
    # promtool parses recording rules' expressions; each query becomes one.
    rules = {
        "groups": [
            {
                "name": "dashboard",
                "rules": [
                    {
                        "record": f"dashboard_query_{index}",
                        "expr": GRAFANA_VARIABLES.sub("5m", expr),
                    }
                    for index, expr in enumerate(dashboard_expressions(project))
                ],
            }
        ]
    }
    rule_file = tmp_path / "dashboard-queries.yaml"
    rule_file.write_text(yaml.safe_dump(rules), encoding="utf-8")

    result = check_rules(rule_file)

    assert result.returncode == 0, describe(result)
    assert f"SUCCESS: {len(dashboard_expressions(project))} rules found" in result.stdout


def test_promtool_rejects_a_planted_query_mistake(tmp_path: Path) -> None:
    # Guards the test above: promtool does parse the expressions, not only the YAML.
    rule_file = tmp_path / "broken.yaml"
    rule_file.write_text(
        yaml.safe_dump({"groups": [{"name": "g", "rules": [{"record": "r", "expr": "sum by ("}]}]})
    )

    assert check_rules(rule_file).returncode != 0


def test_the_dashboard_reads_only_series_the_rules_record(project: Path) -> None:
    recorded = {name for expr in dashboard_expressions(project) for name in metric_names(expr)}

    assert {name for name in recorded if ":" in name} <= recorded_names(project)
    assert any(":" in name for name in recorded), "no burn-rate panel reads the recording rules"


def test_the_dashboard_shows_jobs_only_with_them(default_project: Path, without_jobs: Path) -> None:
    def names(project: Path) -> set[str]:
        return {name for expr in dashboard_expressions(project) for name in metric_names(expr)}

    assert {"jobs_outbox_oldest_age_seconds", "jobs_dead_lettered_total"} <= names(default_project)
    assert [name for name in names(without_jobs) if name.startswith(("jobs_", "job_"))] == []


# --- documentation and scraping -------------------------------------------------------------


def docs_scrape_config(project: Path) -> dict[str, Any]:
    markdown = (project / DOCS).read_text(encoding="utf-8")
    blocks = re.findall(r"^```yaml\n(.*?)^```", markdown, re.MULTILINE | re.DOTALL)
    (config,) = [block for block in blocks if "scrape_configs:" in block]
    data = yaml.safe_load(config)
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("kubernetes", [True, False], ids=["kubernetes", "static"])
def test_the_documented_scrape_config_passes_promtool(
    default_project: Path, without_kubernetes: Path, tmp_path: Path, kubernetes: bool
) -> None:
    project = default_project if kubernetes else without_kubernetes
    config = docs_scrape_config(project)
    jobs = [scrape["job_name"] for scrape in config["scrape_configs"]]
    for scrape in config["scrape_configs"]:
        assert ("kubernetes_sd_configs" in scrape) is kubernetes
        # Debian's promtool is built without Kubernetes discovery; the relabelling, which is
        # what the rules depend on, is checked against a static target instead.
        if scrape.pop("kubernetes_sd_configs", None):
            scrape["static_configs"] = [{"targets": ["127.0.0.1:9000"]}]
    config["rule_files"] = [str(project / RULES)]
    config_file = tmp_path / "prometheus.yaml"
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")

    result = run([promtool(), "check", "config", config_file], tmp_path, os.environ)

    assert result.returncode == 0, describe(result)
    assert jobs == ([DEFAULT_SLUG, WORKER_JOB] if kubernetes else [DEFAULT_SLUG])


def test_the_docs_list_every_metric_the_rules_and_dashboard_read(project: Path) -> None:
    markdown = (project / DOCS).read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", markdown, re.MULTILINE))
    read = {
        name
        for expr in rule_expressions(project) + dashboard_expressions(project)
        for name in metric_names(expr)
        if ":" not in name and not name.startswith(("process_", "python_"))
    }

    undocumented = [
        name
        for name in sorted(read)
        if name not in documented and re.sub(r"_(bucket|count|sum)$", "", name) not in documented
    ]
    assert read
    assert undocumented == []


def test_the_observability_files_stay_without_kubernetes(without_kubernetes: Path) -> None:
    for path in (RULES, RULE_TESTS, DASHBOARD, DOCS):
        assert (without_kubernetes / path).is_file(), path
    assert not (without_kubernetes / "deploy" / "k8s").exists()


def test_without_background_jobs_nothing_names_them(without_jobs: Path) -> None:
    docs = (without_jobs / DOCS).read_text(encoding="utf-8").splitlines()

    assert lines_matching(without_jobs / OBSERVABILITY, JOBS_MENTION) == []
    assert [line for line in docs if JOBS_MENTION.search(line)] == []


def test_the_jobs_mention_scan_finds_them_when_switched_on(default_project: Path) -> None:
    # Guards the test above: with the defaults each file has something to find.
    for path in (RULES, RULE_TESTS, DASHBOARD, DOCS):
        text = (default_project / path).read_text(encoding="utf-8")
        assert JOBS_MENTION.search(text), path


# --- the names a running service serves -----------------------------------------------------

EXPOSED_SUFFIXES = {"histogram": ("_bucket", "_count", "_sum"), "summary": ("", "_count", "_sum")}


def exposed_names(exposition: str) -> set[str]:
    """Every series name the text exposition holds, or declares (`# TYPE`) before first use."""
    names: set[str] = set()
    for line in exposition.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(maxsplit=3)
            names.update(f"{name}{suffix}" for suffix in EXPOSED_SUFFIXES.get(kind, ("",)))
        elif line and not line.startswith("#"):
            match = re.match(r"[a-zA-Z_:][a-zA-Z0-9_:]*", line)
            assert match, line
            names.add(match.group())
    return names


@pytest.fixture
def bake_serving(
    installed_projects: InstalledProjects, baked_env: dict[str, str], tmp_path: Path
) -> Iterator[tuple[Path, str, str]]:
    """A default bake serving: (project, API base URL, metrics URL)."""
    project = installed_projects.installed()
    run_ok(["make", "migrate"], project, baked_env)
    metrics_port = free_port()
    env = {**baked_env, "METRICS_PORT": str(metrics_port), "METRICS_HOST": "127.0.0.1"}
    with serving(project, env, tmp_path / "server.log") as server:
        server.wait_until_live()
        yield project, server.base_url, f"http://127.0.0.1:{metrics_port}/metrics"


@pytest.mark.slow
def test_every_metric_the_rules_and_dashboard_read_is_served(
    bake_serving: tuple[Path, str, str],
) -> None:
    project, base_url, metrics_url = bake_serving
    with httpx.Client(base_url=base_url, timeout=10.0) as http:
        # Traffic that gives the labelled series their first samples.
        assert http.get("/health/ready").status_code == 200
        http.post("/api/v1/auth/login", data={"username": "nobody@example.com", "password": "x"})
        http.get("/api/v1/users/me")
        http.get("/no-such-route")
    try:
        scraped = httpx.get(metrics_url, timeout=5.0)
    except httpx.TransportError as error:
        pytest.fail(f"nothing serves {metrics_url} (METRICS_PORT): {error!r}")
    assert scraped.status_code == 200
    assert scraped.headers["content-type"].startswith("text/plain")
    exposed = exposed_names(scraped.text)

    read = {
        name
        for expr in rule_expressions(project) + dashboard_expressions(project)
        for name in metric_names(expr)
        if ":" not in name  # recorded by the rules themselves
    }
    assert read, "the rules and the dashboard read no metric"
    assert sorted(read - exposed) == [], "read by the rules or the dashboard, not served"
    # Served on its own port only: the API's port has no /metrics.
    assert httpx.get(f"{base_url}/metrics", timeout=5.0).status_code == 404
