"""Localized leaflet -> large-print, tagged PDF (PDF/UA-1 as far as a machine can check).

Every piece of text is set by `layout` (never parsed as ReportLab markup), drawn inside marked content that
`tagging` turns into the structure tree, and page furniture is an artifact. Sizes follow
../shared/STANDARDS.md: body 18 pt by default and nothing smaller, H1 +4, H2 +2, leading 1.5, blank line
between blocks, 25 mm margins, one column, ragged edge on the reading side.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Flowable, Frame, LayoutError, PageTemplate

import leaflet

from .. import wording
from ..config import Config
from ..errors import RenderError
from ..localize import WARNING, Localized, version_stamp
from .flowables import WARNING_LINE, Boxed, Context, Figure, Text, draw_line
from .fonts import FontSet, locale_territory
from .layout import Line, isolate, register
from .logo import read_logo
from .tagging import Element, Tagger, finish

MARGIN = 25 * mm
# CLDR/Unicode: the countries that use US Letter paper.
LETTER_TERRITORIES = {"US", "CA", "MX", "PH", "CL", "CO", "CR", "GT", "PA", "PR", "SV", "VE", "DO", "NI", "BZ", "HN", "BO"}
BULLET = "\u2022"


def paper_for(locale: str, choice: str = "auto") -> tuple[float, float]:
    if choice == "a4":
        return A4
    if choice == "letter":
        return LETTER
    return LETTER if locale_territory(locale) in LETTER_TERRITORIES else A4


@dataclass(frozen=True)
class PdfOptions:
    font_size: float = 18.0
    paper: str = "auto"


def render(doc: Localized, config: Config, options: PdfOptions | None = None, *, where: str = "") -> bytes:
    """The finished PDF as bytes."""
    return render_counted(doc, config, options, where=where)[0]


def render_counted(doc: Localized, config: Config, options: PdfOptions | None = None, *,
                   where: str = "") -> tuple[bytes, int]:
    """The finished PDF as bytes, and its number of pages: the layout knows it, so no one need read the file
    again to count them.

    The leaflet is laid out twice. The first pass only counts the pages for "Page X of Y": it draws nothing
    and writes no file, and the lines it sets are kept for the second pass, which draws."""
    options = options or PdfOptions(config.font_size, config.paper)
    fonts = FontSet(doc.locale, config.fonts)
    passes = _Passes(doc, config, fonts, options.font_size, paper_for(doc.locale, options.paper),
                     where or doc.domain, version_stamp(doc, keep_date_together=True))
    try:
        _, _, count = passes.build(0, draw=False)
        data, tagger, pages = passes.build(count, draw=True)
        if pages != count:  # the page count's width changed the layout: one more pass settles it
            data, tagger, pages = passes.build(pages, draw=True)
    except LayoutError:  # something taller than a page: never an internal error, and ReportLab's text names objects
        raise RenderError(f"the leaflet cannot be laid out at {options.font_size:g} pt: a part of it does not fit on"
                          " a page", where=where or doc.domain, hint="try a smaller --font-size") from None
    subject = doc.lead[0].text if doc.lead else ""
    return finish(data, tagger, title=doc.title, lang=doc.lang, subject=subject), pages


@dataclass
class _Passes:
    """What the layout passes of one render share; `shapers` keeps the text they set (see `Shaper`)."""

    doc: Localized
    config: Config
    fonts: FontSet
    size: float
    pagesize: tuple[float, float]
    where: str
    stamp: str
    shapers: dict = field(default_factory=dict)

    def build(self, total_pages: int, *, draw: bool) -> tuple[bytes, Tagger, int]:
        """Lay out (and draw, when `draw`) the leaflet with "Page X of Y" for this total: the file's bytes (none
        when not drawn), its marked content and its number of pages."""
        doc, size, pagesize = self.doc, self.size, self.pagesize
        tagger = Tagger()
        ctx = Context(tagger, self.fonts, size, self.fonts.rtl, self.where, self.shapers, drawing=draw)
        stamp_lines = ctx.shaper(size).lines(self.stamp, pagesize[0] - 2 * MARGIN)  # set once, drawn on every page
        in_footer = len(stamp_lines) <= MAX_STAMP_LINES
        footer_stamp = stamp_lines if in_footer else []
        footer_lines = footer_stamp + _page_lines(ctx, doc, pagesize, total_pages)
        footer_height = len(footer_lines) * ctx.leading + ctx.leading  # one line of space above
        story = _story(ctx, doc, self.config, pagesize)
        if not in_footer:
            story.append(Text(ctx, self.stamp, tagger.root.child("P")))
        buffer = io.BytesIO()
        template = self._template(buffer, footer_height)
        template._doSave = draw  # as ReportLab's own multiBuild does for a pass whose file is not wanted
        ctx.frame_height = pagesize[1] - 2 * MARGIN - footer_height
        pages = [0]

        def on_page(canvas, _doc):
            pages[0] += 1
            if draw:
                lines = footer_stamp + _page_lines(ctx, doc, pagesize, total_pages, canvas.getPageNumber())
                _draw_footer(canvas, ctx, lines, pagesize)

        frame = Frame(MARGIN, MARGIN + footer_height, pagesize[0] - 2 * MARGIN, ctx.frame_height, leftPadding=0,
                      rightPadding=0, topPadding=0, bottomPadding=0, id="body")
        template.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page)])
        template.build(story)
        return buffer.getvalue(), tagger, pages[0]

    def _template(self, buffer: io.BytesIO, footer_height: float) -> BaseDocTemplate:
        doc = self.doc
        return BaseDocTemplate(
            buffer,
            pagesize=self.pagesize,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN + footer_height,
            title=doc.title,
            author=self.config.clinic,
            subject=doc.lead[0].text if doc.lead else "",
            lang=doc.lang,
            invariant=1,
            initialFontName=register(self.fonts.main.regular),
            initialFontSize=self.size,
            creator=f"leaflet {leaflet.__version__}",
        )


def _draw_footer(canvas, ctx: Context, lines: list[Line], pagesize) -> None:
    """The stamp and "Page X of Y" at the foot of a page, as a pagination artifact."""
    Tagger.begin_artifact(canvas, "Pagination", "Footer")
    # the last line's baseline leaves room for deep descenders (Arabic) above the bottom margin
    y = MARGIN + (len(lines) - 1) * ctx.leading + ctx.size * 0.8
    for line in lines:
        x = pagesize[0] - MARGIN - line.width if ctx.rtl else MARGIN
        draw_line(canvas, ctx.tagger, line, x, y)
        y -= ctx.leading
    Tagger.end(canvas)


# The stamp stays in every page's footer while it takes at most this many lines; in very large print it would
# fill the page, and is printed once, at the end, instead.
MAX_STAMP_LINES = 2


# "Page X of Y" takes at most this many lines: more would leave a line or two of the page for the leaflet.
MAX_PAGE_LINES = 2


def _page_lines(ctx: Context, doc: Localized, pagesize, total: int, page: int | None = None) -> list[Line]:
    """ "Page X of Y", in the locale's words and digits (the widest number when the page is not known yet)."""
    shown_total = max(total, 1)
    page_text = wording.page_of(doc.words, doc.number(page or shown_total), doc.number(shown_total))
    lines = ctx.shaper(ctx.size).lines(page_text, pagesize[0] - 2 * MARGIN)
    if len(lines) > MAX_PAGE_LINES:
        raise RenderError(
            f"the translation of {wording.PAGE_OF!r} takes {len(lines)} lines at {ctx.size:g} pt; the page"
            f" number in every page's footer must fit in {MAX_PAGE_LINES}",
            where=doc.words.places.get(wording.PAGE_OF) or ctx.where, hint="shorten it (leaflet check finds it too)",
        )
    return lines


def _story(ctx: Context, doc: Localized, config: Config, pagesize) -> list[Flowable]:
    t = doc.words
    root = ctx.tagger.root
    size = ctx.size
    story: list[Flowable] = []
    if config.logo is not None:
        alt = wording.fill(t.gettext(wording.LOGO_ALT), clinic=config.clinic)
        logo = Figure(ctx, root.child("Figure", alt=alt), width=22 * mm, height=22 * mm,
                      image=read_logo(config.logo, RenderError), align_end=ctx.rtl)
        story.append(logo)
    story.append(Text(ctx, doc.title, root.child("H1"), size=size + 4, bold=True, space_after=ctx.leading * 0.5,
                      outline=(doc.title, 0)))
    if doc.draft:
        story.append(_draft_notice(ctx, t, root))
    story.extend(_entries(ctx, doc, root, doc.lead))
    width = pagesize[0] - 2 * MARGIN
    for part in doc.parts:
        if part.key == WARNING:
            story.append(_warning(ctx, doc, part))
            continue
        heading = Text(ctx, part.heading, root.child("H2", lang=part.heading_lang), size=size + 2, bold=True,
                       space_before=ctx.leading * 0.5, space_after=ctx.leading * 0.5, outline=(part.heading, 1))
        entries = _entries(ctx, doc, root, part.entries)
        story.extend(_kept_with_start_of(heading, entries[0] if entries else None, width))
        story.extend(entries)
    story.extend(_contact(ctx, doc, config))
    link = config.audio_link(doc.domain, doc.locale)
    if link:
        story.extend(_qr(ctx, doc, link))
    if doc.staff:
        staff_heading, staff_lang = _say(doc, wording.STAFF_HEADING)
        heading = Text(ctx, staff_heading, root.child("H2", lang=staff_lang), size=size + 2, bold=True, space_before=ctx.leading * 0.5,
                       space_after=ctx.leading * 0.5, outline=(staff_heading, 1))
        entries = [Text(ctx, _label_value(doc, label, value), root.child("P")) for label, value in doc.staff]
        story.extend(_kept_with_start_of(heading, entries[0], width))
        story.extend(entries)
    return story


def _kept_with_start_of(heading: Text, first: Flowable | None, width: float) -> list[Flowable]:
    """A heading never ends a page: it goes to the next page unless the first two lines of what follows it (all
    of it, when that cannot be split) fit under it. Keeping the whole next block with it would leave half a
    page empty before every long paragraph."""
    _, own = heading.wrap(width, 10_000)
    need = own + heading.spaceBefore + heading.spaceAfter
    if first is not None:
        _, height = first.wrap(width, 10_000)
        lines = len(first.lines) if isinstance(first, Text) else 0
        need += 2 * first.leading if lines >= 4 else height
    return [CondPageBreak(need), heading]


def _label_value(doc: Localized, label: str, value: str) -> str:
    colon = "\uff1a" if doc.locale.startswith(("zh", "ja")) else ": "
    return f"{label}{colon}{value}"


def _draft_notice(ctx: Context, t, root: Element) -> Flowable:
    """The draft notice in a box: in the locale's words, then in English tagged lang="en" (a screen reader reads
    it in an English voice), unless the locale's words are the English ones. Where the English stands in for a
    missing translation it is said once, and tagged lang="en" as any other stand-in."""
    notice_local = t.gettext(wording.DRAFT_NOTICE)
    stand_in = "en" if t.is_fallback(wording.DRAFT_NOTICE) else None
    children = [Text(ctx, notice_local, root.child("P", lang=stand_in), bold=True, space_after=ctx.leading * 0.5)]
    if notice_local != wording.DRAFT_NOTICE:
        children.append(Text(ctx, wording.DRAFT_NOTICE, root.child("P", lang="en"), rtl=False, space_after=0))
    else:
        children[0].spaceAfter = 0
    return Boxed(ctx, children)


def _entries(ctx: Context, doc: Localized, root: Element, entries) -> list[Flowable]:
    """Paragraphs and lists: consecutive items become one list (L > LI > Lbl + LBody), nested items a list inside."""
    out: list[Flowable] = []
    lists: list[Element] = []  # open lists by level
    counters: list[int] = []
    kinds: list[bool] = []  # whether the open top-level list is numbered
    last_item: Element | None = None
    indent_step = ctx.size * 1.2
    for entry in entries:
        if entry.kind != "item":
            lists, counters, last_item, kinds = [], [], None, []
            out.append(Text(ctx, entry.text, root.child("P", lang=entry.lang)))
            continue
        level = min(entry.level, 1)
        if entry.section_start or (level == 0 and lists and kinds and kinds[0] != entry.ordered):
            # another section's list, or numbered steps after bullets (or the other way round): a new list
            lists, counters, last_item, kinds = [], [], None, []
        if level == 0 and not lists:
            kinds = [entry.ordered]
        while len(lists) > level + 1:
            lists.pop()
            counters.pop()
        if len(lists) < level + 1:
            if level == 0 or last_item is None:
                parent = root
            else:
                parent = last_item.actual[-1] if last_item.actual and isinstance(last_item.actual[-1], Element) else last_item
            lists.append(parent.child("L"))
            counters.append(0)
        counters[-1] += 1
        item = lists[-1].child("LI")
        label = f"{doc.number(counters[-1])}." if entry.ordered else BULLET
        if entry.ordered and level:
            label = f"{chr(96 + counters[-1])}." if counters[-1] <= 26 else f"{counters[-1]}."
        label_element = item.child("Lbl")
        body = item.child("LBody", lang=entry.lang)
        if level == 0:
            last_item = item
        out.append(Text(ctx, entry.text, body, label=label, label_element=label_element, indent=indent_step * level))
    return out


def _say(doc: Localized, msgid: str) -> tuple[str, str | None]:
    """A message of the leaflet domain, and "en" when the English stands in for a missing translation."""
    text = doc.words.gettext(msgid)
    return text, ("en" if doc.words.is_fallback(msgid) else None)


def _warning(ctx: Context, doc: Localized, part) -> Flowable:
    """When to get help: the part in a box with a heavier frame than the contact box's, which follows it. Its
    heading is an H2 and its paragraphs and lists are tagged as any part's; the frame is an artifact."""
    root = ctx.tagger.root
    heading = Text(ctx, part.heading, root.child("H2", lang=part.heading_lang), size=ctx.size + 2, bold=True,
                   space_after=ctx.leading * 0.5, outline=(part.heading, 1))
    return Boxed(ctx, [heading, *_entries(ctx, doc, root, part.entries)], line_width=WARNING_LINE)


def _contact(ctx: Context, doc: Localized, config: Config) -> list[Flowable]:
    root = ctx.tagger.root
    clinic, phone = isolate(config.clinic), isolate(config.phone, ltr=True)
    heading_text, heading_lang = _say(doc, wording.CONTACT_HEADING)
    phone_text, phone_lang = _say(doc, wording.CONTACT_PHONE)
    formats_text, formats_lang = _say(doc, wording.OTHER_FORMATS)
    heading = Text(ctx, heading_text, root.child("H2", lang=heading_lang), size=ctx.size + 2, bold=True,
                   space_after=ctx.leading * 0.5, outline=(heading_text, 1))
    children: list[Flowable] = [
        heading,
        Text(ctx, clinic, root.child("P"), bold=True, space_after=0),
        Text(ctx, wording.fill(phone_text, phone=phone), root.child("P", lang=phone_lang)),
        Text(ctx, wording.fill(formats_text, clinic=clinic, phone=phone), root.child("P", lang=formats_lang),
             space_after=0),
    ]
    return [Boxed(ctx, children)]


def _qr(ctx: Context, doc: Localized, link: str) -> list[Flowable]:
    """A QR code to the locale's audio guide, drawn as squares (ReportLab's drawing renderer would put an
    unembedded Helvetica in the page's resources)."""
    root = ctx.tagger.root
    # here, not at the top: importing ReportLab's barcode package took 0.06-0.13 s, and few leaflets have a link
    from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel

    caption, caption_lang = _say(doc, wording.QR_CAPTION)
    code = QRCode(None, QRErrorCorrectLevel.M)
    try:
        code.addData(link)
        code.make()
    except Exception:  # the encoder raises plain Exceptions for data it cannot hold
        raise RenderError(f"audio_url is too long for a QR code ({len(link)} characters; keep it under 1,000)") from None
    count = code.getModuleCount()
    modules = [[bool(code.isDark(row, column)) for column in range(count)] for row in range(count)]
    side = 40 * mm
    figure = Figure(ctx, root.child("Figure", alt=f"{caption}: {link}"), width=side, height=side, modules=modules,
                    align_end=ctx.rtl)
    figure.keepWithNext = True
    return [figure, Text(ctx, caption, root.child("P", lang=caption_lang))]
