"""Screenshot of a Superset dashboard in headless Chromium, run with the Superset venv's
Python (it has selenium; the main venv does not):

    .venv-superset/bin/python tests/dashboards/screenshot.py URL USER PASSWORD DASHBOARD_PATH \
        CHART_COUNT OUT.png

Debian's chromium and chromedriver (/usr/bin) are used through an explicit Service path, so
selenium-manager never downloads a browser or a driver. It logs in through the login form,
opens the dashboard, waits until every chart has rendered (CHART_COUNT chart holders, no
loading spinner, no chart error) and saves a full-height PNG. Exit 1 with the reason when a
chart does not render in time.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WIDTH = 1600
RENDER_TIMEOUT = 120
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
)
# Rendered charts: echarts draw a canvas or svg; tables render a <table>.
RENDERED_JS = """
const holders = [...document.querySelectorAll('.dashboard-component-chart-holder')];
const spinners = document.querySelectorAll('.loading, [data-test="loading-indicator"]').length;
const errors = [...document.querySelectorAll('.alert-danger, [data-test="error-tooltip"],'
    + ' .ant-alert-error')].map(e => e.innerText.slice(0, 300));
const drawn = holders.filter(h => h.querySelector('canvas, svg, table')).length;
return {holders: holders.length, drawn: drawn, spinners: spinners, errors: errors};
"""


def browser(profile: str) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={WIDTH},1200"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


def log_in(driver: webdriver.Chrome, url: str, username: str, password: str) -> None:
    driver.get(f"{url}/login/")
    wait = WebDriverWait(driver, 60)
    user_field = wait.until(expected_conditions.presence_of_element_located((By.ID, "username")))
    user_field.send_keys(username)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "button[type='submit'], input[type='submit']").click()
    wait.until(lambda d: "/login" not in d.current_url)


def wait_rendered(driver: webdriver.Chrome, charts: int) -> dict[str, object]:
    deadline = time.monotonic() + RENDER_TIMEOUT
    state: dict[str, object] = {}
    while time.monotonic() < deadline:
        state = driver.execute_script(RENDERED_JS)
        if state["errors"]:
            raise SystemExit(f"a chart shows an error: {state['errors']}")
        if state["holders"] == charts and state["drawn"] == charts and state["spinners"] == 0:
            return state
        time.sleep(1)
    raise SystemExit(f"the dashboard did not render in {RENDER_TIMEOUT} s: {state}")


def full_height(driver: webdriver.Chrome) -> int:
    height = driver.execute_script(
        "const bottoms = [...document.querySelectorAll('.dashboard-component-chart-holder')]"
        ".map(h => h.getBoundingClientRect().bottom + window.scrollY);"
        "return Math.max(document.documentElement.scrollHeight, ...bottoms.map(b => b + 60));"
    )
    return int(height)


def main(argv: list[str]) -> int:
    url, username, password, path, charts, out = argv
    with tempfile.TemporaryDirectory(prefix="soc2-chromium-") as profile:
        driver = browser(profile)
        try:
            log_in(driver, url.rstrip("/"), username, password)
            driver.get(url.rstrip("/") + path)
            wait_rendered(driver, int(charts))
            driver.set_window_size(WIDTH, full_height(driver))
            time.sleep(2)  # charts re-layout to the new height
            state = wait_rendered(driver, int(charts))
            time.sleep(3)  # echarts animations end
            Path(out).parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(out)
        finally:
            driver.quit()
    print(f"screenshot: {out} ({state['drawn']} charts rendered)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
