"""The app a real jobs worker runs in tests/jobs/test_real_worker.py (`flask --app tests.jobs.consumer_app jobs
worker`), with a mail backend that records every mail it is handed in a folder, tells the test about it through a
pipe, and hangs for ever on a mail whose subject says HANG (so the test can kill the worker in the middle of it).

Settings come from the environment the test gives: JIM_TEST_DATABASE_URL, JIM_TEST_JOBS_URL, JIM_TEST_SENT_DIR,
JIM_TEST_SIGNAL_FD.
"""

import os
import threading
import uuid
from pathlib import Path

from flask_mailman.backends.base import BaseEmailBackend

from jimtraining import create_app
from tests.support.database import config_for_tests


class EmailBackend(BaseEmailBackend):
    def send_messages(self, messages):
        for message in messages:
            folder = Path(os.environ["JIM_TEST_SENT_DIR"])
            (folder / f"{uuid.uuid4().hex}.txt").write_text(message.subject)
            os.write(int(os.environ["JIM_TEST_SIGNAL_FD"]), f"{message.subject}\n".encode())
            if "HANG" in message.subject:
                # The mail server has it; the worker never gets to mark it sent.
                threading.Event().wait()
        return len(messages)


app = create_app(config_for_tests(os.environ["JIM_TEST_DATABASE_URL"], JOBS_URL=os.environ["JIM_TEST_JOBS_URL"],
                                  JOBS_IMMEDIATE=False, MAIL_BACKEND="tests.jobs.consumer_app.EmailBackend"))
