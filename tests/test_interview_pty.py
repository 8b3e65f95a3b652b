"""The real `contractkit interview` in a pseudo-terminal (pexpect), as a lawyer runs it; what the
screen shows is read back through a terminal emulator (pyte) of a set size."""
import io
import os
import re
import subprocess
import sys

import pexpect

from conftest import ENV, docx_xml

PTY_ENV = {**ENV, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm", "LANG": "ja_JP.UTF-8"}


WARMED = set()


def warm_cache() -> str:
    """The test's private library cache (see conftest), with the library and every pack compiled
    into it once, in this process: a spawned interview then starts warm, within its timeouts."""
    cache = os.environ["CONTRACTKIT_CACHE_DIR"]
    if cache not in WARMED:
        from contractkit.library import load_library
        from contractkit.packs import find_packs
        load_library()
        for folder in find_packs().values():
            load_library(packs=[folder])
        WARMED.add(cache)
    return cache


REQUIRED = "入力してください"
WRITTEN = "契約書の案を作成しました"
TEXTS = iter(["本機械の保守及び性能改善", "本機械のセンサーが取得する稼働データ"] + ["テスト"] * 20)


def spawn(tmp_path, *args, dimensions=(40, 120), env=None):
    env = {**PTY_ENV, "CONTRACTKIT_CACHE_DIR": warm_cache(), **(env or {})}
    child = pexpect.spawn(sys.executable, ["-m", "contractkit", "interview", *args], cwd=str(tmp_path),
                          env=env, encoding="utf-8", timeout=20, dimensions=dimensions)
    child.logfile_read = io.StringIO()     # everything the interview wrote to the terminal
    return child


class Screen:
    """What a terminal of the child's size shows, fed with everything the child writes."""

    def __init__(self, child):
        import pyte
        rows, cols = child.getwinsize()
        self.child, self.screen = child, pyte.Screen(cols, rows)
        self.stream = pyte.Stream(self.screen)

    def wait(self, pattern, timeout=20):
        import time
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                self.stream.feed(self.child.read_nonblocking(100000, timeout=0.2))
            except pexpect.TIMEOUT:
                pass
            if re.search(pattern, self.text()):
                self.settle()
                return self.lines()
        raise AssertionError(f"{pattern!r} never shown; the screen:\n{self.text()}")

    def settle(self):
        """Read until the child has drawn everything it is going to draw for now."""
        while True:
            try:
                self.stream.feed(self.child.read_nonblocking(100000, timeout=0.5))
            except pexpect.TIMEOUT:
                return

    def lines(self):
        return [line.rstrip() for line in self.screen.display]

    def text(self):
        return "\n".join(self.lines())


def plain(output: str) -> str:
    """The terminal output without its escape sequences."""
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r", "", output)


def answer_everything(child, until=WRITTEN, budget=500):
    """Accept each question's default (the guideline's usual position); type a text where one is required."""
    for _ in range(budget):
        index = child.expect([REQUIRED, until, pexpect.TIMEOUT, pexpect.EOF, "整数で入力してください"], timeout=0.15)
        if index == 0:
            child.send(next(TEXTS) + "\r")
        elif index == 4:
            child.send("\x15" + "10\r")      # a number is required: clear the line, type one
        elif index == 1:
            return
        elif index == 2:
            child.send("\r")
        else:
            raise AssertionError("the interview ended early:\n" + (child.before or ""))
    raise AssertionError("the interview did not finish")


def answer_up_to_the_providers_address(child):
    """The side (default), the contract date and the provider's name; stops at its address."""
    child.expect("どちらの立場で起案しますか")
    child.send("\r")
    child.expect("契約日")
    child.send("2026-12-01\r")
    child.expect("データ提供者の名称")
    child.send("株式会社サンプル工機\r")
    child.expect("データ提供者の住所")


def packs_for(contract):
    from contractkit.library import load_library
    from contractkit.packs import find_packs
    return [p for p, folder in find_packs().items() if contract in load_library(packs=[folder]).packs[p]["contracts"]]


def choose_no_pack(child, contract):
    """The pack question offers "none" first (the default), then the packs for the contract type."""
    if packs_for(contract):
        child.expect("ユースケース・パック")
        child.expect("使わない")
        child.send("\r")


def stamp(path):
    import re
    return re.search(r'name="contractkit.clauses"><vt:lpwstr>([^<]*)<', docx_xml(path, "docProps/custom.xml")).group(1)


def test_complete_japanese_interview_matches_build(tmp_path):
    child = spawn(tmp_path, "--contract", "data-provision", "--lang", "ja", "--ui", "ja", "-o", "draft.docx")
    choose_no_pack(child, "data-provision")
    answer_everything(child)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    answers = tmp_path / "answers.yaml"
    assert (tmp_path / "draft.docx").exists() and answers.exists()
    rebuilt = tmp_path / "rebuilt.docx"
    proc = subprocess.run([sys.executable, "-m", "contractkit", "build", str(answers), "-o", str(rebuilt)],
                          capture_output=True, text=True, env=ENV, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert stamp(rebuilt) == stamp(tmp_path / "draft.docx")
    # drafted for the provider (the first side offered): the provider's opening position
    assert "derived-data:consent-required" in stamp(rebuilt)
    shown = plain(child.logfile_read.getvalue())
    # the Japanese interview shows no English of questionary's, and no ASCII semicolon in a hint
    for english in ("Use arrow keys", "Description:", "done (", "selections)", "(signature)", "Answer:", "; "):
        assert english not in shown, english
    words = set(re.findall(r"[A-Za-z]{3,}", re.sub(r"[a-z][\w-]*(?:\.[\w-]+)+", "", shown))) - ASCII_IN_JAPANESE
    assert not words, words
    # the counter goes up one question at a time
    numbers = [int(n) for n in dict.fromkeys(re.findall(r"［(\d+)/\d+］", shown))]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) > 10, numbers


ASCII_IN_JAPANESE = {"API", "contractkit", "answers", "yaml", "draft", "docx", "Enter", "Space", "Esc", "Ctrl", "YYYY",
                     "build", "interview", "resume"}


def test_interrupted_interview_resumes(tmp_path):
    child = spawn(tmp_path, "--contract", "data-provision", "--lang", "ja", "--ui", "ja")
    choose_no_pack(child, "data-provision")
    answer_up_to_the_providers_address(child)
    child.sendintr()
    child.expect("--resume")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    text = (tmp_path / "answers.yaml").read_text(encoding="utf-8")
    assert "株式会社サンプル工機" in text and "2026-12-01" in text

    child = spawn(tmp_path, "--resume", "--ui", "ja")
    child.expect("データ提供者の住所")       # continues at the first unanswered question
    answer_everything(child)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert (tmp_path / "answers.docx").exists()


def test_without_a_terminal_it_points_to_build(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "contractkit", "interview"], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, env=ENV, cwd=tmp_path)
    assert proc.returncode == 2
    assert "contractkit build ANSWERS.yaml" in proc.stderr
    assert not list(tmp_path.iterdir())


def pack_titles(contract, lang, extra=()):
    from contractkit.library import load_library
    from contractkit.packs import find_packs
    out = []
    for pack_id, folder in find_packs(extra).items():
        pack = load_library(packs=[folder]).packs[pack_id]
        if contract in pack["contracts"]:
            out.append((pack_id, f"{pack['title'][lang]} — {pack['description'][lang]}"))
    return out


def test_long_option_lines_wrap_with_a_hanging_indent(tmp_path):
    from contractkit.library import build_library, data_root
    templates = build_library(data_root()).templates
    child = spawn(tmp_path, "--ui", "ja", dimensions=(30, 60))
    screen = Screen(child)
    lines = screen.wait("作成する契約の種類")
    first_type = next(iter(templates.values()))
    title = f"{first_type.name['ja'] if first_type.name else first_type.title['ja']} — {first_type.description['ja']}"
    assert len(title) > 30                                  # wider than the 60 columns: it must wrap, not be cut
    first = next(i for i, line in enumerate(lines) if title[:8] in line)
    wrapped = lines[first:first + 6]
    joined = "".join(line.strip() for line in wrapped).replace(" ", "").lstrip("»")    # the pointer is on the first type
    assert joined.startswith(title.replace(" ", "")), screen.text()
    assert wrapped[1].startswith("       ")                 # the continuation indented under the title
    child.sendintr()
    child.expect(pexpect.EOF)


def test_a_pack_is_offered_by_its_title_and_described_under_the_list(tmp_path):
    child = spawn(tmp_path, "--contract", "data-provision", "--ui", "ja", dimensions=(30, 60))
    screen = Screen(child)
    screen.wait("使わない")
    child.send("\x1b[B")
    (_pack, title), = pack_titles("data-provision", "ja")[:1]
    lines = screen.wait("» " + re.escape(title.split(" — ")[0]))
    description = title.split(" — ", 1)[1]
    joined = "".join(line.strip() for line in lines).replace(" ", "")
    assert description.replace(" ", "")[:60] in joined, screen.text()
    child.sendintr()
    child.expect(pexpect.EOF)


def test_a_validation_message_is_right_under_its_prompt_and_english_has_no_japanese(tmp_path):
    child = spawn(tmp_path, "--contract", "data-provision", "--lang", "en", "--ui", "en", dimensions=(50, 100))
    screen = Screen(child)
    if packs_for("data-provision"):
        screen.wait("Industry use-case pack")
        child.send("\r")
    screen.wait("Whose side")
    child.send("\r")
    screen.wait("Contract date")
    child.send("2026-13-01\r")
    lines = screen.wait("Write the date as")
    prompt = next(i for i, line in enumerate(lines) if "Contract date" in line)
    error = next(i for i, line in enumerate(lines) if "Write the date as" in line)
    assert error == prompt + 1, screen.text()
    child.send("\x7f" * 5 + "12-01\r")
    screen.wait("name")
    child.sendintr()
    child.expect(pexpect.EOF)
    shown = plain(child.logfile_read.getvalue())
    assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff（）［］・、。]", shown), shown


def test_review_summary_stays_on_a_100x24_screen(tmp_path):
    from contractkit.library import build_library, data_root
    from conftest import dump_yaml, load_example, resolve_dict
    library = build_library(data_root())
    answers = load_example("data-provision-ja.yaml")
    answers["usecase"] = None
    answers["perspective"] = answers.get("perspective")
    answers["answers"] = resolve_dict(library, answers).values
    (tmp_path / "deal.yaml").write_text(dump_yaml(answers), encoding="utf-8")
    child = spawn(tmp_path, "--answers", "deal.yaml", "--resume", "--ui", "ja", dimensions=(24, 100))
    screen = Screen(child)
    lines = screen.wait("この内容で契約書を作成する")
    assert any("== 回答の確認 ==" in line for line in lines), screen.text()
    assert any(line.startswith("? 回答の確認") for line in lines)
    entries = [line for line in lines if "：" in line and line.startswith("   ")]
    assert len(entries) >= 12, screen.text()             # the summary fills the screen instead of scrolling away
    assert any("契約の種類" in line for line in entries)
    child.send("\x1b[A")                                 # up from the first entry: the last, the list scrolls to it
    lines = screen.wait("» 保存して終了する")
    assert any(line.startswith("? 回答の確認") for line in lines), screen.text()   # the question stays on screen
    child.sendintr()
    child.expect(pexpect.EOF)


def test_resume_keeps_output_ui_and_pack_path(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "contractkit", "packs", "new", "cold-chain", "--contract", "data-provision",
                           "--dir", "my-packs"], capture_output=True, text=True,
                          env={**PTY_ENV, "CONTRACTKIT_CACHE_DIR": warm_cache()}, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    (tmp_path / "out").mkdir()
    ids = [pack_id for pack_id, _t in pack_titles("data-provision", "ja", [tmp_path / "my-packs"])]
    child = spawn(tmp_path, "--contract", "data-provision", "--lang", "ja", "--ui", "ja", "--answers", "deal.yaml",
                  "-o", "out/draft.docx", "--pack-path", "my-packs")
    child.expect("使わない")
    child.send("\x1b[B" * (1 + ids.index("cold-chain")) + "\r")
    answer_up_to_the_providers_address(child)
    child.sendintr()
    child.expect("--resume")
    child.expect(pexpect.EOF)
    hint = plain(child.logfile_read.getvalue())
    assert "-o out/draft.docx --ui ja --pack-path my-packs" in hint
    text = (tmp_path / "deal.yaml").read_text(encoding="utf-8")
    assert text.startswith("# contractkit interview: -o out/draft.docx --ui ja --pack-path my-packs\n")
    assert "usecase: cold-chain" in text

    # resumed with no options, in an English locale: Japanese questions, the team's pack, the same draft path
    child = spawn(tmp_path, "--answers", "deal.yaml", "--resume", env={"LANG": "C.UTF-8"})
    child.expect("データ提供者の住所")
    answer_everything(child)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, plain(child.logfile_read.getvalue())[-2000:]
    assert (tmp_path / "out" / "draft.docx").exists() and not (tmp_path / "deal.docx").exists()


def test_two_records_rows_and_a_text_in_both_languages(tmp_path):
    """A ja+en deal whose purpose and data are still to be given: the purpose typed in Japanese,
    then in English; the data as a list of two rows, each field in both languages (an empty one
    is not known yet); the draft shows both in their columns."""
    from contractkit.library import build_library, data_root
    from conftest import dump_yaml, load_example, resolve_dict
    from test_schedules import _tables_after_signatures
    from ruamel.yaml import YAML
    library = build_library(data_root())
    raw = load_example("data-provision-bilingual.yaml")
    data = {**raw, "usecase": None, "perspective": raw.get("perspective"), "date": raw.get("date")}
    data["answers"] = {k: v for k, v in {**resolve_dict(library, raw).values, **raw["answers"]}.items()
                       if k not in ("purpose", "data-scope")}
    (tmp_path / "deal.yaml").write_text(dump_yaml(data), encoding="utf-8")
    child = spawn(tmp_path, "--answers", "deal.yaml", "--resume", "--ui", "ja", "-o", "draft.docx")
    purpose = library.points["purpose"].question["ja"]
    for prompt, typed in [(purpose + "（日本語）", "交換部品の品質改善"), (purpose + "（英語）", "improving spare parts")]:
        child.expect(re.escape(prompt))
        child.send(typed + "\r")
    child.expect("項目ごとの一覧にする")
    child.send("\r")
    rows = [("主軸負荷", "Spindle load", "CSV"), ("振動", "Vibration", "")]
    for number, (item_ja, item_en, form) in enumerate(rows, 1):
        child.expect(re.escape(f"{number}行目: データ項目（日本語）"))
        child.send(item_ja + "\r")
        child.expect(re.escape(f"{number}行目: データ項目（英語）"))
        child.send(item_en + "\r")
        child.expect(re.escape(f"{number}行目: 粒度（日本語）"))
        child.send("\r")                                      # not known yet: no English asked
        child.expect(re.escape(f"{number}行目: 形式（日本語）"))
        child.send(form + "\r")
        if form:
            child.expect(re.escape(f"{number}行目: 形式（英語）"))
            child.send(form + "\r")
        for label in ("提供の頻度", "対象期間"):
            child.expect(re.escape(f"{number}行目: {label}（日本語）"))
            child.send("\r")
        child.expect(re.escape(f"一覧を確定する（{number}行）"))
        child.send("\x1b[B\r" if number == 1 else "\r")     # add a row; then done
    answer_everything(child)                                  # the rest at its defaults; generate
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, plain(child.logfile_read.getvalue())[-2000:]
    answers = YAML(typ="safe").load((tmp_path / "deal.yaml").read_text(encoding="utf-8"))["answers"]
    assert answers["purpose"] == {"ja": "交換部品の品質改善", "en": "improving spare parts"}
    assert answers["data-scope"] == [
        {"item": {"ja": "主軸負荷", "en": "Spindle load"}, "granularity": None, "format": "CSV",   # one Latin text for both columns
         "frequency": None, "period": None},
        {"item": {"ja": "振動", "en": "Vibration"}, "granularity": None, "format": None, "frequency": None, "period": None}]
    schedules = _tables_after_signatures(tmp_path / "draft.docx")
    assert [rows[1:] for _h, rows in schedules] == [[["主軸負荷", "●", "CSV", "●", "●"], ["振動", "●", "●", "●", "●"]],
                                                    [["Spindle load", "[●]", "CSV", "[●]", "[●]"],
                                                     ["Vibration", "[●]", "[●]", "[●]", "[●]"]]]
    import docx
    first = docx.Document(str(tmp_path / "draft.docx")).tables[0]
    assert any("improving spare parts" in r.cells[1].text for r in first.rows)
    assert any("交換部品の品質改善" in r.cells[0].text for r in first.rows)
