"""Signed-in users of every role browsing their main pages, for `national.py`.

The plan (a JSON file named by BENCH_PLAN) lists the roles, each with a session cookie made by
`national.py` and the pages that role uses. Each simulated user takes the next role in turn,
waits 1 to 3 seconds between requests, and asks for one of its role's pages or the floor, so
the floor is measured in the same run under the same load. Anything but a 200 is a failure (a
redirect to the sign-in page is not followed)."""

import itertools
import json
import os
import random

from locust import HttpUser, between, task

with open(os.environ["BENCH_PLAN"]) as plan_file:
    PLAN = json.load(plan_file)
ROLES = itertools.cycle(PLAN["roles"])


class SignedInUser(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        self.role = next(ROLES)
        self.client.cookies.set(self.role["cookie_name"], self.role["cookie"])
        self.pages = [*self.role["pages"], {"name": "floor", "url": PLAN["floor_url"]}]

    @task
    def browse(self):
        page = random.choice(self.pages)  # noqa: S311 - choosing a page, not a secret
        with self.client.get(
            page["url"], name=page["name"], catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {page['url']}")
