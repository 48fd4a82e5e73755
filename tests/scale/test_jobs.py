"""Background jobs: progress, result and error seen by the starter, on any server."""

import os
import re
import signal
import subprocess
import sys
import time

import pytest

from emulation import create_app
from emulation.extensions import db
from emulation.jobs import create_job, run_job
from emulation.models import Job
from tests.security.authz._world import build_world
from tests.signin import signed_in_token


def _login(client, user):
    with client.session_transaction() as session:
        session["_user_id"] = signed_in_token(user)


@pytest.fixture
def world(make, set_now):
    return build_world(make, set_now)


def _job_id(response) -> str:
    assert response.status_code == 302, response.status_code
    return re.search(r"/jobs/([0-9a-f]{32})$", response.headers["Location"]).group(1)


def test_report_job_shows_its_progress_then_the_download(app, client, world):
    _login(client, world.users["secretariat"])
    job_id = _job_id(client.post(f"/rounds/{world.round.id}/jobs/report", data={"format": "pdf"}))
    status = client.get(f"/jobs/{job_id}/status").get_json()
    assert status["status"] == "done" and status["percent"] == 100
    assert (status["done"], status["total"]) == (3, 3)
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert status["download"] in page and 'http-equiv="refresh"' not in page
    download = client.get(status["download"])
    assert download.status_code == 200 and download.get_data().startswith(b"%PDF")
    assert f"bao-cao-{world.round.code}.pdf" in download.headers["Content-Disposition"]
    download.close()


def test_a_running_job_page_refreshes_and_shows_done_of_total(app, client, world):
    _login(client, world.users["secretariat"])
    job = create_job("report", {"round_id": world.round.id, "format": "pdf"}, title="Báo cáo",
                     user=world.users["secretariat"], now=world.review.assigned_at)  # fmt: skip
    job.status, job.done, job.total = "running", 1, 4
    db.session.commit()
    client.post("/lang", data={"lang": "en"})
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "1 of 4 steps (25 %)" in page and 'http-equiv="refresh"' in page


def test_a_failed_job_shows_its_error_to_its_starter_only(app, client, world, make):
    empty = make.round_(world.movement, code="R-TRONG")
    db.session.commit()
    _login(client, world.users["secretariat"])
    client.post("/lang", data={"lang": "en"})
    job_id = _job_id(client.post(f"/rounds/{empty.id}/jobs/export", data={"format": "csv"}))
    status = client.get(f"/jobs/{job_id}/status").get_json()
    assert status["status"] == "failed" and status["download"] is None
    assert "no dossier of this round has been submitted" in status["error"]
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "The job failed" in page and "no dossier of this round" in page
    assert client.get(f"/jobs/{job_id}/download").status_code == 404
    _login(client, world.users["reviewer"])
    assert client.get(f"/jobs/{job_id}").status_code == 404


def test_whatif_job_reports_progress_per_run(app, world):
    job = create_job("whatif", {"round_id": world.round.id, "runs": 50, "spread": 0.2},
                     title="Thử trọng số", user=world.users["secretariat"],
                     now=world.review.assigned_at)  # fmt: skip
    db.session.commit()
    assert run_job(job.id) == "done"
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert (job.done, job.total, job.percent) == (50, 50, 100)
    assert job.result_name.endswith(".csv")


# On PostgreSQL a pooled connection of one of the extra apps (servers A/B, the worker's) is
# sometimes collected after its engine was disposed, in a later test's teardown; the jobs'
# outcome is what these tests check.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_rq_job_runs_on_a_worker_and_downloads_through_another_server(
    app, app_config, world, redis_url, redis_client
):
    from emulation.jobs.worker import run_worker

    config = dict(app_config, REDIS_URL=redis_url)
    server_a, server_b = create_app(config), create_app(config)
    secretariat = world.users["secretariat"]
    with server_a.app_context():
        client = server_a.test_client()
        _login(client, secretariat)
        job_id = _job_id(
            client.post(f"/rounds/{world.round.id}/jobs/report", data={"format": "xlsx"})
        )
        assert client.get(f"/jobs/{job_id}/status").get_json()["status"] == "queued"
        db.session.remove()
        db.engine.dispose()
    # Server A is gone; the job waits in Redis for a worker.
    worker_app = create_app(config)
    with worker_app.app_context():
        run_worker(worker_app, burst=True)
        db.session.remove()
        db.engine.dispose()
    with server_b.app_context():
        client = server_b.test_client()
        _login(client, secretariat)
        status = client.get(f"/jobs/{job_id}/status").get_json()
        assert status["status"] == "done", status
        download = client.get(status["download"])
        assert download.status_code == 200 and download.get_data()[:2] == b"PK"
        download.close()
        db.session.remove()
        db.engine.dispose()


def test_a_worker_told_to_stop_leaves_at_once(app_config, redis_url, redis_client, tmp_path):
    """systemd stops `emulation worker` with SIGTERM; an idle worker is gone within seconds."""
    from rq import Worker

    env = dict(os.environ, DATABASE_URL=app_config["SQLALCHEMY_DATABASE_URI"],
               EMULATION_REDIS_URL=redis_url, EMULATION_INSTANCE_PATH=str(tmp_path),
               SECRET_KEY="worker-test")  # fmt: skip
    log = tmp_path / "worker.log"
    with log.open("wb") as out:  # a file, not a pipe: nothing reads it while the worker runs
        worker = subprocess.Popen(
            [sys.executable, "-c", "from emulation.cli import main; main()", "worker"],
            env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        # Idle: waiting for jobs, its signal handlers in place (RQ registers before that).
        while worker.poll() is None and not any(
            w.get_state() == "idle" for w in Worker.all(connection=redis_client)
        ):
            assert time.monotonic() < deadline, "the worker did not start waiting for jobs"
            time.sleep(0.1)
        assert worker.poll() is None, log.read_text(errors="replace")[-2000:]
        # RQ's command listener waits on Redis up to a minute and holds the worker's exit.
        assert redis_client.pubsub_channels("rq:pubsub:*") == []
        told = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
        assert time.monotonic() - told < 5
        assert worker.returncode == 0, log.read_text(errors="replace")[-2000:]
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()


def test_worker_refuses_to_start_without_redis(runner):
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code != 0 and "REDIS_URL" in result.output


# On PostgreSQL a pooled connection of one of the extra apps (servers A/B, the worker's) is
# sometimes collected after its engine was disposed, in a later test's teardown; the jobs'
# outcome is what these tests check.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_job_whose_worker_died_is_shown_failed(app, app_config, world, redis_url, redis_client):
    config = dict(app_config, REDIS_URL=redis_url)
    server = create_app(config)
    with server.app_context():
        client = server.test_client()
        _login(client, world.users["secretariat"])
        job_id = _job_id(
            client.post(f"/rounds/{world.round.id}/jobs/report", data={"format": "pdf"})
        )
        assert client.get(f"/jobs/{job_id}/status").get_json()["status"] == "queued"
        # The worker that took it was killed: RQ lists the job as failed, our row says running.
        from rq.job import Job as RqJob

        rq_job = RqJob.fetch(f"emulation-{job_id}", connection=redis_client)
        rq_job.set_status("failed")
        db.session.execute(db.update(Job).where(Job.id == job_id).values(status="running"))
        db.session.commit()
        status = client.get(f"/jobs/{job_id}/status").get_json()
        db.session.remove()
        db.engine.dispose()
    assert status["status"] == "failed"
    assert "đã dừng trước khi công việc hoàn thành" in status["error"]


def test_a_checked_values_file_is_imported_by_a_job(app, client, make, set_now):
    from datetime import UTC, datetime
    from io import BytesIO

    from emulation.models import IndicatorValue

    set_now(datetime(2024, 8, 1, tzinfo=UTC))
    staff = make.user("secretariat", username="thuky")
    movement = make.movement()
    make.candidate(movement, make.unit(code="HC"))
    db.session.commit()
    _login(client, staff)
    body = b"unit_code,HOP,SAOLUU\nHC,3,1\n"
    data = {"kind": "values", "round": str(movement.rounds[0].id), "file": (BytesIO(body), "v.csv")}
    preview = client.post("/admin/import", data=data, content_type="multipart/form-data")
    upload = re.search(r'name="upload" value="([0-9a-f]{32})"', preview.get_data(as_text=True))
    assert 'formaction="/import/confirm/background"' in preview.get_data(as_text=True)
    job_id = _job_id(client.post("/import/confirm/background", data={"upload": upload.group(1)}))
    status = client.get(f"/jobs/{job_id}/status").get_json()
    assert status["status"] == "done", status
    values = db.session.execute(db.select(IndicatorValue.column, IndicatorValue.value)).all()
    assert sorted(values) == [("HOP", 3.0), ("SAOLUU", 1.0)]
    # The checked file is gone from the preview folder: it cannot be imported twice.
    again = client.post("/import/confirm/background", data={"upload": upload.group(1)})
    assert again.headers["Location"].endswith("/admin/import")
