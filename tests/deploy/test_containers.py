"""The container files of issue 20 (Containerfile, compose.yaml, .env.example, the ignore files) keep what running
it for a nation needs: a multi-stage image on pinned bases that runs as a non-root user and checks /healthz; web,
worker, PostgreSQL and Redis with the migrations and the curriculum sync before the app starts; secrets only from
.env. `.ci/run` validates compose.yaml with `docker compose config`; these tests read the files themselves, so a
regression fails the suite on any machine, with or without Docker."""

import re
import secrets
from pathlib import Path

import pytest
import yaml

from jimtraining.config import DEFAULTS, from_environment, settings_problems

ROOT = Path(__file__).resolve().parents[2]
PINNED_IMAGE = re.compile(r"^[a-z0-9./-]+:(?P<version>\d+(\.\d+)+[-\w.]*)@sha256:[0-9a-f]{64}$")
REQUIRED_SECRETS = ("SECRET_KEY", "BASE_URL", "POSTGRES_PASSWORD")
INTERPOLATION = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:[?-])(?P<arg>[^}]*))?\}")


def containerfile_stages() -> list[dict]:
    """The Containerfile's stages, each {"base": resolved FROM image, "name": ..., "lines": [instructions]}."""
    text = (ROOT / "Containerfile").read_text()
    instructions = [line.strip() for line in re.sub(r"\\\n", " ", text).splitlines()
                    if line.strip() and not line.lstrip().startswith("#")]
    build_args = {}
    stages = []
    for line in instructions:
        keyword, _, rest = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "ARG" and not stages:
            name, _, default = rest.partition("=")
            build_args[name.strip()] = default.strip()
        elif keyword == "FROM":
            parts = rest.split()
            base = re.sub(r"\$\{(\w+)\}", lambda m: build_args.get(m.group(1), m.group(0)), parts[0])
            name = parts[2] if len(parts) > 2 and parts[1].upper() == "AS" else None
            stages.append({"base": base, "name": name, "lines": []})
        elif stages:
            stages[-1]["lines"].append((keyword, rest))
    return stages


def instructions(stage: dict, keyword: str) -> list[str]:
    return [rest for kw, rest in stage["lines"] if kw == keyword]


def read_env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def interpolate(value, env: dict[str, str]):
    """compose's ${VAR}, ${VAR:-default} and ${VAR:?message}, the way `docker compose config` resolves them."""
    if not isinstance(value, str):
        return value

    def one(match):
        name, op, arg = match.group("name", "op", "arg")
        given = env.get(name, "")
        if op == ":?" and not given:
            raise LookupError(arg)
        return given or (arg if op == ":-" else "")

    return INTERPOLATION.sub(one, value)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def app_environment(compose: dict, env: dict[str, str]) -> dict[str, str]:
    return {name: interpolate(value, env) for name, value in compose["services"]["web"]["environment"].items()}


def test_image_is_built_in_stages_and_the_runtime_gets_only_the_venv_and_the_app():
    builder, runtime = containerfile_stages()[0], containerfile_stages()[-1]
    assert len(containerfile_stages()) >= 2
    assert any("pip install" in run and "requirements.txt" in run for run in instructions(builder, "RUN"))
    assert any("pybabel compile" in run for run in instructions(builder, "RUN")), "translations are compiled"
    copies = instructions(runtime, "COPY")
    assert copies and all(copy.startswith(f"--from={builder['name']}") for copy in copies), \
        "the runtime stage copies only from the builder (no build tools, no context)"
    assert not any("pip install" in run for run in instructions(runtime, "RUN"))


def test_every_base_image_is_pinned_by_version_and_digest(compose):
    for stage in containerfile_stages():
        assert PINNED_IMAGE.match(stage["base"]), f"Containerfile FROM {stage['base']} is not version@sha256-pinned"
    assert containerfile_stages()[-1]["base"].startswith("python:3.1")
    for service in ("db", "redis"):
        image = compose["services"][service]["image"]
        assert PINNED_IMAGE.match(image), f"{service} image {image} is not version@sha256-pinned"
    assert compose["services"]["db"]["image"].startswith("postgres:15.")
    assert compose["services"]["redis"]["image"].startswith("redis:7.")


def test_the_pinned_requirements_are_the_only_ones_installed():
    runs = " ".join(instructions(containerfile_stages()[0], "RUN"))
    assert "--no-deps" in runs and "pip check" in runs
    pins = [line for line in (ROOT / "requirements.txt").read_text().splitlines()
            if line.strip() and not line.startswith("#")]
    unpinned = [line for line in pins if "==" not in line.split(";")[0]]
    assert not unpinned, f"requirements.txt lines without an exact version: {unpinned}"


def test_app_runs_as_a_non_root_user():
    users = instructions(containerfile_stages()[-1], "USER")
    assert users, "the runtime stage sets a USER"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0") and user.isdigit() and int(user) >= 1000


def test_healthcheck_asks_healthz_with_python_alone():
    runtime = containerfile_stages()[-1]
    checks = instructions(runtime, "HEALTHCHECK")
    assert len(checks) == 1
    assert "urllib.request" in checks[0] and "curl" not in checks[0]
    env = " ".join(instructions(runtime, "ENV"))
    assert re.search(r"HEALTHCHECK_URL=http://127\.0\.0\.1:8000/healthz\b", env)
    assert "GUNICORN_BIND=0.0.0.0:8000" in env and "JIM_ENV=production" in env
    assert instructions(runtime, "EXPOSE") == ["8000"]
    assert instructions(runtime, "CMD") == ['["gunicorn", "app:app"]']


def test_no_secret_is_baked_into_the_image():
    for stage in containerfile_stages():
        for keyword in ("ENV", "ARG"):
            for line in instructions(stage, keyword):
                assert not re.search(r"SECRET|PASSWORD|TOKEN|DATABASE_URL", line), f"{keyword} {line}"
    ignored = (ROOT / ".containerignore").read_text().splitlines()
    for path in (".git", ".venv", "instance", ".env", "bench", "screenshots"):
        assert path in ignored, f"{path} must stay out of the build context"


def test_docker_and_podman_ignore_the_same_files():
    assert (ROOT / ".dockerignore").read_text() == (ROOT / ".containerignore").read_text()


def test_compose_runs_web_worker_postgres_and_redis(compose):
    services = compose["services"]
    assert {"web", "worker", "db", "redis", "migrate"} <= set(services)
    assert services["web"]["command"] == ["gunicorn", "app:app"]
    assert services["worker"]["command"] == ["flask", "--app", "app", "jobs", "worker"]
    assert services["web"]["ports"] == ["127.0.0.1:${WEB_PORT:-8000}:8000"], "only the local HTTPS proxy reaches web"
    for name in ("web", "worker", "db", "redis"):
        assert services[name]["healthcheck"]["test"], f"{name} has a healthcheck"
    assert "/healthz" not in str(services["worker"]["healthcheck"]), "the worker serves no HTTP"


def test_migrations_and_curriculum_sync_run_before_web_and_worker_start(compose):
    services = compose["services"]
    command = " ".join(services["migrate"]["command"])
    assert command.index("flask --app app db upgrade") < command.index("flask --app app content sync")
    assert "&&" in command, "content sync runs only after a successful upgrade"
    assert services["migrate"]["restart"] == "no"
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    for name in ("web", "worker"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}


def test_data_lives_in_volumes_and_metrics_on_a_tmpfs(compose):
    services = compose["services"]
    assert "postgres-data:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert {"postgres-data", "instance"} <= set(compose["volumes"])
    for name in ("web", "worker", "migrate"):
        assert "instance:/app/instance" in services[name]["volumes"]
        metrics_dir = services[name]["environment"]["PROMETHEUS_MULTIPROC_DIR"]
        assert any(mount.split(":")[0] == metrics_dir for mount in services[name]["tmpfs"])
        assert services[name]["environment"] == services["web"]["environment"], "one set of settings for the app"


def test_throttling_and_jobs_are_shared_through_redis(compose):
    env = app_environment(compose, read_env_example())
    assert env["RATELIMIT_STORAGE_URI"].startswith("redis://redis:6379/")
    assert env["JOBS_URL"].startswith("redis://redis:6379/")
    assert env["RATELIMIT_STORAGE_URI"] != env["JOBS_URL"], "queue and throttling counts in separate databases"


@pytest.mark.parametrize("name", REQUIRED_SECRETS)
def test_compose_refuses_to_start_without_each_secret(compose, name):
    env = {key: value for key, value in read_env_example().items() if key != name}
    raw = yaml.safe_dump(compose)
    with pytest.raises(LookupError, match=f"{name} is required in .env"):
        interpolate(raw, env)


def test_env_example_names_every_setting_compose_reads_and_env_is_ignored_by_git():
    used = {match.group("name") for match in INTERPOLATION.finditer((ROOT / "compose.yaml").read_text())}
    example = read_env_example()
    missing = used - set(example) - {"JIM_IMAGE"}
    assert not missing, f".env.example does not mention {sorted(missing)}"
    assert ".env" in (ROOT / ".gitignore").read_text().splitlines()


def test_the_example_secret_key_is_refused_and_a_generated_one_starts(compose, monkeypatch, tmp_path):
    """Deploying with .env.example unchanged stops at start; with a real key the settings pass production's checks
    (BASE_URL, shared throttling for several workers, metrics)."""

    def problems(env: dict[str, str]) -> list[str]:
        for name, value in app_environment(compose, env).items():
            monkeypatch.setenv(name, value)
        config = dict(DEFAULTS)
        config.update(from_environment(str(tmp_path), {}))
        return settings_problems(config)

    example = read_env_example()
    assert [problem for problem in problems(example) if problem.startswith("SECRET_KEY")]
    assert problems(example | {"SECRET_KEY": secrets.token_hex(32)}) == []
