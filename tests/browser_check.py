"""Every notebook, run the way a learner runs it: in JupyterLab, in a real (headless) Chromium.

`make test-browser` runs this file with pytest (it is not part of `make test`). JupyterLab is
started as `make lab` starts it (the same .venv settings and flags, plus a free port and a
token) on a copy of the notebooks in build/browser/, so nothing is written back into the
committed files. Debian's Chromium (/usr/bin/chromium), driven by Playwright, then opens each
notebook from the file browser, picks Kernel > "Restart Kernel and Run All Cells" and waits
until every code cell has run and the kernel is idle. From the page it checks that no cell
shows an error, that every figure stored in the notebook is rendered as an image, and that the
setup cell printed its version line. A screenshot of each whole notebook goes to
build/screenshots/ (notebook windowing is off, so every cell is rendered; the notebook panel
is scrolled and the screens stitched together).

Every process started here (server, kernels, Playwright's driver, Chromium) carries one
marker in its environment; whatever happens, none of them outlives `browser_session()`.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
# Debian's Chromium on a machine without a desktop, network or GPU: without the background
# networking flags it keeps trying to reach Google's hosts.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WORK = ROOT / "build" / "browser"
SCREENSHOTS = ROOT / "build" / "screenshots"
MARKER = "COURSE_BROWSER_RUN"
VIEWPORT = {"width": 1280, "height": 900}
NOTEBOOK_TIMEOUT_S = 420
SETUP_LINE = re.compile(r"Python 3\.\d+ \| TensorFlow \S+ \| Keras \S+ \| NumPy \S+ \| devices: ")
# The user settings of this run only (not the learner's): every cell attached to the page.
USER_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


# --- processes -------------------------------------------------------------------------------


def _marked_processes(marker: str) -> list[int]:
    """PIDs of the live processes whose environment carries ``MARKER=marker``."""
    needle = f"{MARKER}={marker}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue  # gone, or not ours to read
        if state != "Z" and needle in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def _end_marked_processes(marker: str, grace_s: float = 10.0) -> None:
    """SIGTERM every marked process, then SIGKILL what is still there after ``grace_s``."""
    for sig, wait_s in ((signal.SIGTERM, grace_s), (signal.SIGKILL, 5.0)):
        pids = _marked_processes(marker)
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, sig)
        deadline = time.monotonic() + wait_s
        while _marked_processes(marker) and time.monotonic() < deadline:
            time.sleep(0.2)
    left = _marked_processes(marker)
    if left:
        raise RuntimeError(f"processes {left} survived SIGKILL")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Lab:
    url: str
    token: str
    notebook_dir: Path
    log: Path


@contextlib.contextmanager
def browser_session(notebooks: list[Path]) -> Iterator[tuple[Lab, object]]:
    """A JupyterLab server on copies of ``notebooks`` and a Chromium page logged in to it."""
    if not CHROMIUM.is_file():
        raise RuntimeError(f"{CHROMIUM} is missing: install it with `apt-get install chromium`")
    from playwright.sync_api import sync_playwright

    marker = uuid.uuid4().hex
    saved = os.environ.get(MARKER)
    # A SIGTERM (a timeout, CI cancelling) must unwind through the clean-up below too.
    previous_handler = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    os.environ[MARKER] = marker  # inherited by the server, its kernels, Playwright and Chromium
    scratch = Path(tempfile.mkdtemp(prefix="course-browser-"))
    playwright = None
    try:
        lab = _start_lab(notebooks, scratch)
        playwright = sync_playwright().start()
        context = playwright.chromium.launch_persistent_context(
            user_data_dir=str(scratch / "chromium-profile"),  # new and empty
            executable_path=str(CHROMIUM),
            args=CHROMIUM_FLAGS,
            headless=True,
            viewport=VIEWPORT,
        )
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(f"{lab.url}lab?token={lab.token}")
        page.locator(".jp-DirListing-item").first.wait_for(timeout=120_000)
        yield lab, page
    finally:
        if playwright is not None:
            with contextlib.suppress(Exception):
                playwright.stop()  # closes Chromium
        try:
            _end_marked_processes(marker)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
            if saved is None:
                os.environ.pop(MARKER, None)
            else:
                os.environ[MARKER] = saved
            signal.signal(signal.SIGTERM, previous_handler)


def _exit_on_sigterm(signum, frame):
    raise SystemExit(f"stopped by signal {signum}")


def _start_lab(notebooks: list[Path], scratch: Path) -> Lab:
    """Start JupyterLab as `make lab` does, on copies of ``notebooks``; return once it answers."""
    notebook_dir = WORK / "notebooks"
    shutil.rmtree(WORK, ignore_errors=True)
    notebook_dir.mkdir(parents=True)
    for path in notebooks:
        shutil.copy2(path, notebook_dir / path.name)
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [str(bin_dir / "jupyter"), "trust", *sorted(map(str, notebook_dir.glob("*.ipynb")))],
        check=True,
        capture_output=True,
    )
    settings = scratch / "user-settings"
    for name, values in USER_SETTINGS.items():
        (settings / name).parent.mkdir(parents=True, exist_ok=True)
        (settings / name).write_text(json.dumps(values))
    port, token = _free_port(), secrets.token_hex(16)
    # `make lab` passes its flags in LAB_FLAGS; run by hand, the same rule applies.
    lab_flags = os.environ.get("LAB_FLAGS")
    flags = shlex.split(lab_flags) if lab_flags is not None else []
    if lab_flags is None and os.geteuid() == 0:
        flags = ["--allow-root"]
    env = {
        **os.environ,
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(scratch / "workspaces"),
        "JUPYTER_RUNTIME_DIR": str(scratch / "runtime"),
    }
    log = WORK / "jupyterlab.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [str(bin_dir / "jupyter"), "lab", f"--notebook-dir={notebook_dir}",
             f"--port={port}", *flags, "--no-browser", "--ip=127.0.0.1",
             f"--IdentityProvider.token={token}", "--ServerApp.port_retries=0"],
            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, cwd=ROOT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    while True:
        if server.poll() is not None:
            raise RuntimeError(f"JupyterLab exited: {log.read_text()[-2000:]}")
        with contextlib.suppress(requests.ConnectionError):
            headers = {"Authorization": f"token {token}"}
            if requests.get(f"{url}api/status", headers=headers, timeout=5).ok:
                return Lab(url, token, notebook_dir, log)
        if time.monotonic() > deadline:
            raise RuntimeError("JupyterLab did not answer within 120 s")
        time.sleep(0.5)


# --- one notebook ----------------------------------------------------------------------------

_ACTIVE = ".jp-NotebookPanel:not(.lm-mod-hidden)"

# Watch the prompts: a cell counts as run once it has shown [*] and then a number.
_WATCH_JS = """(sel) => {
  const panel = document.querySelector(sel);
  const seen = new Set();
  const look = () => panel.querySelectorAll('.jp-CodeCell').forEach((cell) => {
    const prompt = cell.querySelector('.jp-InputArea-prompt');
    if (prompt && prompt.textContent.includes('*')) seen.add(cell);
  });
  new MutationObserver(look).observe(panel, {subtree: true, childList: true,
                                             characterData: true});
  window.__courseSeen = seen;
}"""

_STATE_JS = """(sel) => {
  const panel = document.querySelector(sel);
  const cells = [...panel.querySelectorAll('.jp-CodeCell')];
  const prompts = cells.map((c) => c.querySelector('.jp-InputArea-prompt').textContent.trim());
  // An error output renders like stderr; IPython's traceback is what tells them apart.
  const errors = [...panel.querySelectorAll('.jp-OutputArea-output')]
    .map((o) => o.textContent)
    .filter((t) => /Traceback \\(most recent call last\\)|^\\s*Cell In\\[\\d+\\], line/m.test(t))
    .map((t) => t.slice(0, 2000));
  const images = [...panel.querySelectorAll('.jp-OutputArea-output img')];
  const indicator = panel.querySelector('.jp-Notebook-ExecutionIndicator');
  return {
    prompts,
    seen: cells.filter((c) => window.__courseSeen && window.__courseSeen.has(c)).length,
    errors,
    images: images.length,
    imagesLoaded: images.filter((i) => i.complete && i.naturalWidth > 0).length,
    status: indicator ? indicator.getAttribute('data-status') : null,
    firstOutput: cells.length ? cells[0].querySelector('.jp-OutputArea').textContent : '',
  };
}"""


def stored_figures(path: Path) -> int:
    """How many image outputs the stored notebook has."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    return sum(
        1
        for cell in nb["cells"]
        if cell["cell_type"] == "code"
        for out in cell.get("outputs", [])
        if any(k.startswith("image/") for k in out.get("data", {}))
    )


def _menu(page, menu: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{menu}$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(item)}")).click()


def _server_kernels(lab: Lab, name: str) -> list[dict]:
    """The server's view of the kernels of notebook ``name``: execution state, connections."""
    headers = {"Authorization": f"token {lab.token}"}
    sessions = requests.get(f"{lab.url}api/sessions", headers=headers, timeout=10).json()
    return [s["kernel"] for s in sessions if s.get("path", "").endswith(name)]


def _wait_for_connected_idle_kernel(lab: Lab, name: str, timeout_s: float = 120) -> None:
    """Until the server reports an idle kernel for ``name`` with the page connected to it."""
    deadline = time.monotonic() + timeout_s
    while True:
        kernels = _server_kernels(lab, name)
        if any(k["execution_state"] == "idle" and k["connections"] > 0 for k in kernels):
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"{name}: no connected idle kernel after {timeout_s} s: {kernels}")
        time.sleep(0.5)


def run_notebook(page, lab: Lab, name: str, after_open: Callable[[], None] | None = None) -> dict:
    """Open ``name`` from the file browser, restart and run all through the menu; the state."""
    page.locator(".jp-DirListing-itemText", has_text=re.compile(f"^{re.escape(name)}$")).dblclick()
    # The page shows "idle" before the kernel has even started: ask the server, then the page.
    _wait_for_connected_idle_kernel(lab, name)
    page.locator(f"{_ACTIVE} .jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(
        timeout=60_000
    )
    if after_open is not None:
        after_open()
    page.evaluate(_WATCH_JS, _ACTIVE)
    _menu(page, "Kernel", "Restart Kernel and Run All Cells")
    page.locator(".jp-Dialog .jp-mod-accept").click()
    start = time.monotonic()
    while True:
        state = page.evaluate(_STATE_JS, _ACTIVE)
        ran = all(re.fullmatch(r"\[\d+\]:", p) for p in state["prompts"])
        done = state["status"] == "idle" and (
            state["errors"] or (ran and state["seen"] == len(state["prompts"]))
        )
        if done and state["images"] == state["imagesLoaded"]:
            state["seconds"] = time.monotonic() - start
            return state
        if time.monotonic() - start > NOTEBOOK_TIMEOUT_S:
            raise TimeoutError(
                f"{name}: not finished after {NOTEBOOK_TIMEOUT_S} s: {state}; the server's "
                f"kernels: {_server_kernels(lab, name)}; its log ends:\n"
                f"{lab.log.read_text(errors='replace')[-2000:]}"
            )
        time.sleep(1)


def screenshot_notebook(page, target: Path) -> Path:
    """Scroll the notebook panel screen by screen and stitch the screens into one PNG."""
    from PIL import Image

    outer = page.locator(f"{_ACTIVE} .jp-WindowedPanel-outer")
    box = outer.bounding_box()
    total = outer.evaluate("(el) => el.scrollHeight")
    step = int(box["height"])
    shots = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, offset in enumerate(range(0, max(total, 1), step)):
            outer.evaluate("(el, y) => { el.scrollTop = y; }", offset)
            page.wait_for_timeout(150)
            actual = outer.evaluate("(el) => el.scrollTop")
            shot = Path(tmp) / f"{i}.png"
            page.screenshot(path=str(shot), clip=box)
            shots.append((actual, Image.open(shot).copy()))
        scale = shots[0][1].height / box["height"]
        canvas = Image.new("RGB", (shots[0][1].width, round(total * scale)), "white")
        for actual, image in shots:
            canvas.paste(image, (0, round(actual * scale)))
    target.parent.mkdir(parents=True, exist_ok=True)
    canvas.save(target)
    return target


def close_notebook(page) -> None:
    _menu(page, "File", "Close and Shut Down Notebook")
    with contextlib.suppress(Exception):  # a notebook nothing changed in asks nothing
        page.locator(".jp-Dialog .jp-mod-accept").click(timeout=5_000)
    page.locator(_ACTIVE).wait_for(state="detached", timeout=30_000)


# --- the tests -------------------------------------------------------------------------------


def notebooks_to_run() -> list[Path]:
    """The notebooks named by NOTEBOOKS (globs, as `make NB=...` gives), default all of them."""
    patterns = shlex.split(os.environ.get("NOTEBOOKS", "notebooks/*.ipynb"))
    paths = sorted({Path(p).resolve() for pat in patterns for p in glob.glob(str(ROOT / pat))})
    if not paths:
        raise ValueError(f"NOTEBOOKS={patterns!r} matches no notebook under {ROOT}")
    return paths


def _digests(paths: list[Path]) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def test_every_notebook_runs_in_jupyterlab_in_chromium():
    notebooks = notebooks_to_run()
    before = _digests(notebooks)
    report, failures = [], []
    start = time.monotonic()
    with browser_session(notebooks) as (lab, page):
        for path in notebooks:
            state = run_notebook(page, lab, path.name)
            shot = screenshot_notebook(page, SCREENSHOTS / f"{path.stem}.png")
            expected = stored_figures(path)
            problems = []
            if state["errors"]:
                problems.append(f"error output: {state['errors'][0][:800]}")
            if state["images"] != expected:
                problems.append(f"{state['images']} images rendered, {expected} stored")
            if not SETUP_LINE.search(state["firstOutput"]):
                problems.append(f"setup cell printed {state['firstOutput'][:200]!r}")
            if problems:
                failures.append(f"{path.name}: " + "; ".join(problems))
            report.append(
                f"{state['seconds']:6.1f} s  {path.name}: {len(state['prompts'])} code cells, "
                f"{state['images']}/{expected} figures, screenshot {shot.relative_to(ROOT)}"
            )
            close_notebook(page)
        log = lab.log.read_text(errors="replace")
    print("\n".join([*report, f"{time.monotonic() - start:6.1f} s  whole browser run"]))
    assert not failures, "\n".join(failures)
    assert _digests(notebooks) == before, "a committed notebook was changed"
    # The course's settings leave nothing for a learner to wonder about in the server log.
    # "WebSocket ping timeout": the server dropped the page's kernel connection mid-run, which
    # can leave JupyterLab's kernel indicator at "unknown" (jupyter/README.md).
    for warning in ("websocket_ping_timeout", "WebSocket ping timeout", "is not trusted"):
        assert warning not in log, f"JupyterLab logged {warning!r}:\n{log[-3000:]}"


def test_no_server_or_browser_is_left_behind_when_a_step_fails():
    notebook = ROOT / "notebooks" / "01_tensors.ipynb"
    seen: dict[str, str] = {}

    def fail_with_everything_running():
        seen["marker"] = os.environ[MARKER]
        commands = []
        for pid in _marked_processes(seen["marker"]):
            with contextlib.suppress(OSError):
                commands.append(Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" "))
        seen["commands"] = b"\n".join(commands).decode(errors="replace")
        raise RuntimeError("deliberate failure with the server, a kernel and Chromium running")

    with (
        pytest.raises(RuntimeError, match="deliberate failure"),
        browser_session([notebook]) as (lab, page),
    ):
        run_notebook(page, lab, notebook.name, after_open=fail_with_everything_running)
    text = seen["commands"]
    # The failure struck with all three kinds of process alive...
    assert "jupyter" in text and "ipykernel" in text and "chromium" in text, text
    # ...and none of them outlived the session.
    assert _marked_processes(seen["marker"]) == []
    assert MARKER not in os.environ
