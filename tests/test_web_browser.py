"""The help-desk page in a real headless Chromium (Debian's chromium + chromedriver, via selenium)."""

from __future__ import annotations

import dataclasses
import re
import shutil

import pytest

from bot.api import create_app
from bot.api.server import ServerThread
from index.ocr_repair import looks_ocr_damaged_snippet
from lang.normalize import collapse_ws
from rag.types import Answer
from tests.conftest import make_settings
from tests.fakes import free_port
from tests.test_answer import EXAMPLE

pytestmark = [pytest.mark.browser, pytest.mark.network, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
KEY = "browser-test-key"


@pytest.fixture
def server(sample_app, tmp_path):
    app = dataclasses.replace(sample_app, settings=make_settings(tmp_path, ask_keys=KEY))
    with ServerThread(create_app(app), free_port()) as running:
        yield running


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    for tool in (CHROMIUM, CHROMEDRIVER):
        assert shutil.which(tool), f"{tool} is missing: run scripts/ci-system-packages.sh"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                f"--user-data-dir={tmp_path / 'chromium-profile'}", "--window-size=1400,1000", "--lang=vi"):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(driver, condition, timeout: float = 20):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def test_help_desk_page_answers_and_opens_the_cited_section(server, browser, tmp_path, sample_texts):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(server.url + "/")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi"
    # no key yet: the plan list is refused, the page asks for the key and puts the focus there
    key_input = wait_for(browser, lambda d: d.find_element(By.ID, "api-key") if
                         d.switch_to.active_element.get_attribute("id") == "api-key" else False)
    assert "khóa API" in browser.find_element(By.ID, "status").text
    key_input.send_keys(KEY, Keys.ENTER)
    plans = wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#plan-list input[type=checkbox]"))
    labels = [p.find_element(By.XPATH, "following-sibling::label").text for p in plans]
    assert "Thừa Thiên Huế 2024" in labels and len(labels) == 4

    # every form control has a label
    for control in browser.find_elements(By.CSS_SELECTOR, "textarea, input"):
        control_id = control.get_attribute("id")
        assert browser.find_elements(By.CSS_SELECTOR, f"label[for='{control_id}']"), control_id

    question = browser.find_element(By.ID, "question")
    assert browser.switch_to.active_element == question  # focus went back to the question box
    question.send_keys(EXAMPLE, Keys.ENTER)
    chip = wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".turn .chip"))[0]
    answer = browser.find_element(By.CSS_SELECTOR, ".turn .answer-text").text
    assert "15/11/2024" in answer
    assert "Sở Thông tin và Truyền thông" in answer
    assert chip.text == "Thừa Thiên Huế 2024 · Mục V.2"

    chip.click()
    wait_for(browser, lambda d: "15/11/2024" in d.find_element(By.ID, "source-text").text)
    panel = browser.find_element(By.ID, "source-panel")
    assert panel.is_displayed()
    assert browser.find_element(By.ID, "source-title").text == "Thừa Thiên Huế 2024 · Mục V, khoản 2"
    # an OCR'd plan: the section is shown repaired (same words, same places), the verbatim OCR
    # text one click away
    shown = browser.find_element(By.ID, "source-text").text
    assert collapse_ws(shown) not in collapse_ws(sample_texts["thua-thien-hue-2024.txt"])
    assert looks_ocr_damaged_snippet(shown) is False and "Truyền thông" in shown
    marked = browser.find_element(By.CSS_SELECTOR, "#source-text mark").text
    assert "15/11/2024" in marked  # the quoted passage is highlighted
    assert "dòng 711" in browser.find_element(By.ID, "source-meta").text.lower()
    shot = tmp_path / "help-desk.png"
    assert browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    toggle = browser.find_element(By.ID, "source-toggle")
    assert toggle.text == "Văn bản gốc (OCR)"
    toggle.click()
    verbatim = browser.find_element(By.ID, "source-text").text
    assert collapse_ws(verbatim) in collapse_ws(sample_texts["thua-thien-hue-2024.txt"])
    assert len(verbatim.split()) == len(shown.split())
    assert "15/11/2024" in browser.find_element(By.CSS_SELECTOR, "#source-text mark").text
    browser.find_element(By.ID, "source-toggle").click()  # back to the repaired text
    assert browser.find_element(By.ID, "source-text").text == shown

    # Escape closes the panel and gives the focus back to the chip
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait_for(browser, lambda d: not d.find_element(By.ID, "source-panel").is_displayed())
    assert browser.switch_to.active_element == chip

    # copy answer with citations
    browser.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": server.url, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    browser.find_element(By.CSS_SELECTOR, ".turn .copy").click()
    wait_for(browser, lambda d: "sao chép" in d.find_element(By.ID, "status").text)
    copied = browser.execute_async_script(
        "const done = arguments[arguments.length - 1]; navigator.clipboard.readText().then(done, e => done(String(e)));")
    assert "15/11/2024" in copied
    assert "Nguồn:" in copied and "[1] Thừa Thiên Huế 2024 · Mục V.2" in copied

    # the conversation is kept: a follow-up resolves "năm 2025" against the previous question
    question = browser.find_element(By.ID, "question")
    question.send_keys("Còn năm 2025 thì sao?", Keys.ENTER)
    wait_for(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, ".turn .chip")) >= 2)
    second = browser.find_elements(By.CSS_SELECTOR, ".turn")[1]
    assert "15/11/2025" in second.find_element(By.CSS_SELECTOR, ".answer-text").text
    assert second.find_element(By.CSS_SELECTOR, ".chip").text == "Thừa Thiên Huế 2025 · Mục V.2"

    # restricting to one plan: the example question then cannot cite Thừa Thiên Huế
    browser.find_element(By.ID, "new-conversation").click()
    vinh_phuc = browser.find_element(By.CSS_SELECTOR, "#plan-list input[value='vinh-phuc-2024.txt']")
    vinh_phuc.click()
    browser.find_element(By.ID, "question").send_keys(EXAMPLE, Keys.ENTER)
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".turn .answer-block[aria-busy=false]"))
    chips = [c.text for c in browser.find_elements(By.CSS_SELECTOR, ".turn .chip")]
    assert all("Thừa Thiên Huế" not in c for c in chips)
    assert len(browser.find_elements(By.CSS_SELECTOR, ".turn")) == 1  # the new conversation started empty



ADMIN_KEY = "browser-admin-key"


def test_admin_key_shows_the_upload_control_and_uploads_a_docx_and_a_scan(browser, tmp_path):
    """An ask key sees no upload control; an admin key uploads a DOCX (indexed at once) and a
    scanned page (an OCR job the page follows), and both plans appear in the plan list."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from tests.fixtures import builders
    from tests.test_api import make_fresh_app

    app = make_fresh_app(tmp_path, ingest=False, ask_keys=KEY, admin_keys=ADMIN_KEY, ocr_dpi=200)
    docx, _ = builders.numbered_docx(tmp_path / "du-thao-2025.docx")
    (page,) = builders.render_pages("ỦY BAN NHÂN DÂN TỈNH CAO BẰNG\nKẾ HOẠCH\nPhòng, chống thiên tai năm 2027\n"
                                    "I. MỤC ĐÍCH\n1. Giảm thiệt hại do lũ quét gây ra.\n",
                                    builders.PageStyle(font=builders.SANS, dpi=200))
    scan = tmp_path / "cao-bang-2027.png"
    page.save(scan, dpi=(200, 200))
    with ServerThread(create_app(app), free_port()) as server:
        browser.get(server.url + "/")
        key_input = wait_for(browser, lambda d: d.find_element(By.ID, "api-key") if
                             d.switch_to.active_element.get_attribute("id") == "api-key" else False)
        key_input.send_keys(KEY, Keys.ENTER)
        wait_for(browser, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-role") == "ask")
        assert not browser.find_element(By.ID, "upload-box").is_displayed()  # an ask key: no upload

        browser.find_element(By.ID, "key-box").click()
        key_input = browser.find_element(By.ID, "api-key")
        key_input.clear()
        key_input.send_keys(ADMIN_KEY, Keys.ENTER)
        wait_for(browser, lambda d: d.find_element(By.ID, "upload-box").is_displayed())
        status = browser.find_element(By.ID, "upload-status")
        for path, words in ((docx, "Đã lập chỉ mục du-thao-2025.docx"), (scan, "Đã lập chỉ mục cao-bang-2027.png")):
            browser.find_element(By.ID, "upload-file").send_keys(str(path))
            browser.find_element(By.ID, "upload-button").click()
            wait_for(browser, lambda d, words=words: words in status.text or "error" in status.get_attribute("class"),
                     timeout=120)
            assert words in status.text, status.text
        listed = "return [...document.querySelectorAll('#plan-list input')].map((box) => box.value).sort();"
        wait_for(browser, lambda d: d.execute_script(listed) == ["cao-bang-2027.png", "du-thao-2025.docx"])

        legacy = tmp_path / "cu.doc"
        legacy.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
        browser.find_element(By.ID, "upload-file").clear()
        browser.find_element(By.ID, "upload-file").send_keys(str(legacy))
        browser.find_element(By.ID, "upload-button").click()
        wait_for(browser, lambda d: "error" in status.get_attribute("class"))
        assert "hãy chuyển sang DOCX/PDF" in status.text


LIST_QUESTION = "Sở Ngoại vụ phải làm gì theo kế hoạch năm 2024 của Thừa Thiên Huế?"
_INLINE_ITEM = re.compile(r"(:|\[\d{1,2}\]|[.;]) - ")


class ListLayout:
    """The assistant with its list answers in the line layout rag/ gives them (an intro line, then
    one "- item [n]" line per item); an answer already in that layout passes unchanged."""

    def __init__(self, assistant):
        self._assistant = assistant

    def __getattr__(self, name):
        return getattr(self._assistant, name)

    @staticmethod
    def _lines(answer: Answer) -> Answer:
        if "\n- " in answer.answer:
            return answer
        return answer.model_copy(update={"answer": _INLINE_ITEM.sub(r"\1\n- ", answer.answer)})

    def ask(self, *args, **kwargs) -> Answer:
        return self._lines(self._assistant.ask(*args, **kwargs))

    def ask_stream(self, *args, **kwargs):
        for piece in self._assistant.ask_stream(*args, **kwargs):
            yield self._lines(piece) if isinstance(piece, Answer) else piece


def test_list_answer_is_a_real_list_with_one_chip_per_section(sample_app, browser, tmp_path):
    """A list answer: an intro paragraph, then a <ul> with one <li> per item (made of text nodes:
    the plan's text is never markup), markers that open the item's passage, one chip per cited
    section however many items cite it, and the copied text is the repaired one."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    app = dataclasses.replace(sample_app, settings=make_settings(tmp_path, ask_keys=KEY),
                              assistant=ListLayout(sample_app.assistant))
    expected = app.assistant.ask(LIST_QUESTION)
    items = [line for line in expected.answer.split("\n") if line.startswith("- ")]
    assert len(items) >= 3
    with ServerThread(create_app(app), free_port()) as server:
        browser.get(server.url + "/")
        key_input = wait_for(browser, lambda d: d.find_element(By.ID, "api-key") if
                             d.switch_to.active_element.get_attribute("id") == "api-key" else False)
        key_input.send_keys(KEY, Keys.ENTER)
        wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#plan-list input"))
        browser.find_element(By.ID, "question").send_keys(LIST_QUESTION, Keys.ENTER)
        wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".turn .answer-block[aria-busy=false]"))

        shown = browser.find_elements(By.CSS_SELECTOR, ".turn .answer-text ul.answer-list > li")
        assert [li.text for li in shown] == [item[2:] for item in items]
        intro = browser.find_element(By.CSS_SELECTOR, ".turn .answer-text > p").text
        assert intro == expected.answer.split("\n")[0] and "nhiệm vụ" in intro
        # each section is cited once (its first item carries the marker): every marker of the
        # answer is a button in its item, not markup from the text
        markers = [m for li in shown for m in li.find_elements(By.CSS_SELECTOR, "button.marker")]
        assert markers and len(markers) == len(re.findall(r"\[\d{1,2}\]", "\n".join(items)))
        assert shown[0].find_elements(By.CSS_SELECTOR, "button.marker")
        sections = {(c.source, c.section) for c in expected.citations}
        chips = [c.text for c in browser.find_elements(By.CSS_SELECTOR, ".turn .chip")]
        assert len(chips) == len(sections) == len(set(chips))
        assert "Thừa Thiên Huế 2024 · Mục IV.4" in chips
        answer_block = browser.find_element(By.CSS_SELECTOR, ".turn .answer-block")
        answer_block.screenshot(str(tmp_path / "list-answer.png"))
        assert (tmp_path / "list-answer.png").stat().st_size > 10_000

        browser.execute_cdp_cmd("Browser.grantPermissions", {
            "origin": server.url, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
        browser.find_element(By.CSS_SELECTOR, ".turn .copy").click()
        wait_for(browser, lambda d: "sao chép" in d.find_element(By.ID, "status").text)
        copied = browser.execute_async_script(
            "const done = arguments[arguments.length - 1]; navigator.clipboard.readText().then(done, e => done(String(e)));")
        assert copied.startswith(expected.answer)  # one item a line
        for citation in expected.citations:
            assert f"“{citation.quote_display}”" in copied
            if citation.quote_display != citation.quote:
                assert f"“{citation.quote}”" not in copied


def test_lich_han_view_lists_an_agencys_deadlines_with_citations_and_a_calendar_link(sample_app, browser, tmp_path):
    import datetime as dt
    from pathlib import Path

    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    app = dataclasses.replace(sample_app, settings=make_settings(tmp_path, ask_keys=KEY))
    with ServerThread(create_app(app, today=lambda: dt.date(2024, 10, 20)), free_port()) as server:
        browser.get(server.url + "/")
        key_input = wait_for(browser, lambda d: d.find_element(By.ID, "api-key") if
                             d.switch_to.active_element.get_attribute("id") == "api-key" else False)
        key_input.send_keys(KEY, Keys.ENTER)
        wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#plan-list input[type=checkbox]"))
        agency = browser.find_element(By.ID, "schedule-agency")
        assert browser.find_elements(By.CSS_SELECTOR, "label[for='schedule-agency']")
        agency.send_keys("Sở TT&TT", Keys.ENTER)
        (item,) = wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#schedule-list li"))
        assert browser.find_element(By.ID, "schedule-status").text == (
            "Các hạn từ 20/10/2024 đến 19/11/2024 của Sở Thông tin và Truyền thông:")
        assert item.text.startswith("15/11/2024 Các cơ quan, đơn vị, địa phương gửi báo cáo về Sở Thông tin")
        chip = item.find_element(By.CSS_SELECTOR, ".chip")
        assert chip.text == "Thừa Thiên Huế 2024 · Mục V.2"
        link = browser.find_element(By.ID, "schedule-subscribe")
        href = link.get_attribute("href")
        assert "/v1/register.ics?agency=" in href and f"key={KEY}" in href
        browser.execute_script("arguments[0].scrollIntoView()", item)
        notes = Path("/work/notes")
        browser.save_screenshot(str((notes if notes.is_dir() else tmp_path) / "lichhan.png"))
        chip.click()
        wait_for(browser, lambda d: "15/11/2024" in d.find_element(By.ID, "source-text").text)

        agency.clear()
        agency.send_keys("Sở Văn hóa", Keys.ENTER)
        wait_for(browser, lambda d: "có thể là nhiều cơ quan" in d.find_element(By.ID, "schedule-status").text)
        assert browser.find_elements(By.CSS_SELECTOR, "#schedule-list li") == []
