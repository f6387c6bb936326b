"""Build the guide with Zensical: the Zensical adapter of the pipeline (exercise_guide/pipeline.py).

    python hooks/zensical_build.py [--config-file mkdocs.yml] --site-dir DIR   (or `make site ENGINE=zensical`)

Why a script: Zensical, Material's maintained successor, reads mkdocs.yml but runs no hooks,
so the pipeline's steps are called around its build, the same functions the hook calls:

1. check exercises.yml and the templates; a mistake (or, with `strict`, a warning such as an
   old review date) stops here, with the same message as under MkDocs, before anything is written;
2. render into the build folder `.zensical/` (never docs/): a copy of docs/ with the home page's
   boxes filled in, every generated page, redirect and data file, and a mkdocs.yml that is ours
   with the core's navigation and without the hook;
3. run `zensical build`;
4. finish the built site (pipeline.finish: safety list, grades, CSP, allowing the stylesheet of
   Zensical's search dialog by its hash: theme_styles);
5. swap it in as DIR.

Two builds of one project at once (`make site ENGINE=zensical` while the tests build it, or the
test processes side by side) take turns: the build folder is one per project, so each holds a
lock on it (`.zensical.lock`, the operating system's file lock, let go when the build ends, even
by a crash) from rendering to swapping in.

Raw-HTML links in generated pages are written relative to their Markdown file, as Zensical
reads them (render.raw_root). The QR codes, figures and grades are kept in
.cache/exercise-guide-zensical/ as the hook keeps them in .cache/exercise-guide/. Exit status 0 on success, 1 with one message on bad input.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jinja2
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from exercise_guide import pipeline  # noqa: E402
from exercise_guide.data.problems import SourceError  # noqa: E402
from exercise_guide.pages import snippets, template_problems  # noqa: E402

BUILD_DIR = ".zensical"


class _Tagged(str):
    """A value whose YAML tag (`!!python/name:...`) is Zensical's to read: kept as written."""

    def __new__(cls, tag: str, value: str):
        self = super().__new__(cls, value)
        self.tag = tag
        return self


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


_Loader.add_multi_constructor("tag:yaml.org,2002:python/",
                              lambda loader, suffix, node: _Tagged("tag:yaml.org,2002:python/" + suffix,
                                                                   loader.construct_scalar(node)))


def _env_tag(loader, node):
    """MkDocs' `!ENV VAR` / `!ENV [VAR, OTHER, default]`: the first variable set, else the default."""
    names = [loader.construct_scalar(node)] if isinstance(node, yaml.ScalarNode) else loader.construct_sequence(node)
    *variables, default = names if len(names) > 1 else (names + [None])
    for name in variables:
        if name in os.environ:
            return yaml.safe_load(os.environ[name])
    return default


_Loader.add_constructor("!ENV", _env_tag)
_Dumper.add_representer(_Tagged, lambda dumper, value: dumper.represent_scalar(value.tag, str(value)))


class _AnyFilter(dict):
    """Filters as the theme will have them: any name is one (for a check of syntax, not of names)."""

    def __contains__(self, name) -> bool:
        return True

    def __missing__(self, name):
        return lambda value, *args, **kwargs: value

    def get(self, name, default=None):
        return self[name]


def read_config(path: Path) -> dict:
    """mkdocs.yml as MkDocs reads it, `INHERIT: base.yml` included (merged key by key)."""
    config = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}
    base = config.pop("INHERIT", None)
    return _merge(read_config(path.parent / base), config) if base else config


def _merge(base: dict, changes: dict) -> dict:
    merged = dict(base)
    for key, value in changes.items():
        merged[key] = _merge(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) \
            else value
    return merged


_ADDS_STYLE = re.compile(r'appendChild\(\w+\("style",\{\},(\w+)\.toString\(\)\)\)')


def theme_styles(site: Path) -> tuple[str, ...]:
    """The stylesheets Zensical's script adds as <style> (its search dialog's, in a shadow root), read
    from its bundle, for the pages' Content-Security-Policy to allow by hash (csp.policy)."""
    styles = []
    for bundle in sorted((site / "assets" / "javascripts").glob("bundle.*.js")):
        script = bundle.read_text(encoding="utf-8")
        for name in dict.fromkeys(_ADDS_STYLE.findall(script)):
            literal = re.search(rf"\b{name}='((?:[^'\\]|\\.)*)'", script)
            if literal:  # a JavaScript string: JSON's escapes, and \' for a quote
                styles.append(json.loads('"' + literal.group(1).replace("\\'", "'").replace('"', '\\"') + '"'))
    return tuple(styles)


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def zensical_report(output: str) -> str:
    """Zensical's own report (a broken link, with `--strict`), without colours or its traceback: the
    problems it names (paths are under .zensical/docs/, where the generated pages are) and why it
    stopped."""
    text = _ANSI.sub("", output)
    head, _, trace = text.partition("Traceback (most recent call last):")
    reason = trace.strip().splitlines()[-1] if trace.strip() else ""
    reason = reason.split(": ", 1)[-1] if reason.startswith(("RuntimeError", "Error")) else reason
    # Its paths are of the build folder's pages (hand-written ones with their boxes filled in).
    head = re.sub(r"\[ (\S+\.md:\d+:\d+) \]", rf"[ {BUILD_DIR}/docs/\1 ]", head)
    return f"zensical build failed:\n{head.strip()}\n{reason}".rstrip()


def fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def sync(folder: Path, wanted: dict[str, bytes]) -> None:
    """Make `folder` hold exactly `wanted` (path -> content), writing only what changed: a
    one-word edit rewrites one page, not a thousand (and keeps the others' file times)."""
    have = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} if folder.is_dir() else set()
    for rel in have - wanted.keys():
        (folder / rel).unlink()
    for rel, data in wanted.items():
        target = folder / rel
        if rel in have and target.stat().st_size == len(data) and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def build(config_file: Path, site_dir: Path) -> int:
    with build_folder_lock(config_file.resolve().parent):
        return _build(config_file, site_dir)


@contextlib.contextmanager
def build_folder_lock(root: Path):
    """The project's build folder to this build alone until it ends (another build waits); closing
    the file lets the lock go."""
    with open(root / (BUILD_DIR + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _build(config_file: Path, site_dir: Path) -> int:
    root = config_file.resolve().parent
    try:
        config = read_config(config_file)
    except OSError as exc:
        return fail(f"{config_file}: cannot be read: {exc.strerror}")
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        return fail(f"{config_file}:{mark.line + 1}:{mark.column + 1}: {exc.problem}" if mark
                    else f"{config_file}: {exc.problem}")
    docs = root / config.get("docs_dir", "docs")
    unsafe = pipeline.unsafe_extensions(config.get("markdown_extensions"))
    if unsafe:  # an extension that would turn data into markup (issue 25)
        return fail(unsafe)
    # A folder of its own: each build keeps only what it used, so a shared one would be emptied of
    # the MkDocs build's entries by every Zensical build, and the other way round.
    cache = pipeline.open_cache(root, "exercise-guide-zensical")
    site_url = config.get("site_url") or None

    # 1-2. Check and render: everything checked before anything is written.
    try:
        guide, warnings = pipeline.check(root, docs, _theme_problems(root, config))
        others, translation_warnings = pipeline.editions(root, guide)
        warnings += translation_warnings
        if warnings and config.get("strict"):
            return fail(SourceError(warnings).report())
        for warning in warnings:
            print(f"WARNING - {warning}", file=sys.stderr)
        generated = pipeline.render(guide, site_url, qr_codes=bool(site_url), cache=cache, raw_links="source",
                                    others=others, root=root, docs_dir=docs)
        hand = pipeline.hand_written(docs, guide)
    except SourceError as exc:
        return fail(exc.report())
    except snippets.UnknownSnippet as exc:
        return fail(str(exc))

    # The build folder: docs/ with its boxes filled, the generated pages and files, our settings.
    work = root / BUILD_DIR
    sync(work / "docs", {**hand, **{rel: text.encode("utf-8")
                                    for rel, text in {**generated.pages, **generated.files}.items()}})
    config.pop("hooks", None)
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"  # Zensical writes only inside its project: moved to site_dir after
    theme = config.setdefault("theme", {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = str((root / theme["custom_dir"]).resolve())
    config.setdefault("extra", {})["engine"] = "zensical"
    config["nav"] = generated.nav
    if others:  # the templates' language switch and hreflang links (overrides/)
        config["extra"]["languages"] = list(guide.languages)
    (work / "mkdocs.yml").write_text(yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True),
                                     encoding="utf-8")

    # 3. Zensical's build.
    built = work / "site"
    shutil.rmtree(built, ignore_errors=True)
    zensical = Path(sys.executable).parent / "zensical"
    if not zensical.is_file():
        return fail(f"{zensical} is missing: `make setup` installs Zensical from requirements.txt")
    command = [str(zensical), "build", "--config-file", str(work / "mkdocs.yml")]
    if config.get("strict"):
        command.append("--strict")
    result = subprocess.run(command, cwd=work, capture_output=True, text=True,
                            env={**os.environ, "NO_COLOR": "1", "CLICOLOR": "0"})
    if result.returncode != 0 or not (built / "index.html").is_file():
        return fail(zensical_report(result.stdout + result.stderr))

    # 4-5. Finish, still in the build folder, then swap in: DIR is replaced only by a finished site.
    pages = pipeline.page_sources(docs, generated)
    pipeline.finish(built, guide, pages, generated.nav, cache, styles=theme_styles(built), others=others)
    pipeline.swap_in(built, site_dir)
    cache.save()
    print(f"Built {len(pages)} pages with Zensical into {site_dir}")
    return 0


def _theme_problems(root: Path, config: dict) -> list:
    """The theme's templates we override (overrides/): their syntax, as the hook checks it."""
    custom = config.get("theme", {}).get("custom_dir")
    if not custom:
        return []
    theme_env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(root / custom)))
    theme_env.filters = _AnyFilter(theme_env.filters)  # the theme's own filters (`url`): syntax only
    return template_problems.syntax_problems(theme_env, theme_env.list_templates(extensions=["html"]),
                                             lambda name: f"{Path(custom).as_posix()}/{name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config-file", "-f", default="mkdocs.yml")
    parser.add_argument("--site-dir", "-d", required=True)
    args = parser.parse_args(argv)
    return build(Path(args.config_file), Path(args.site_dir))


if __name__ == "__main__":
    sys.exit(main())
