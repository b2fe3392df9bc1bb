"""Pages 1 and 2: the Board note. Purpose, presenter and the action asked for; the key messages,
most serious first; what the Board is asked to do; the figures at a glance."""

from __future__ import annotations

from datetime import date

from hrgov.briefing.data import Facts, KeyMessage, long_date, short_date, visible
from hrgov.briefing.ooxml import Column, Run, Table
from hrgov.briefing.wording import say
from hrgov.model import HEALTH_RULE

NAMED = 3  # records named in one key message; the rest are counted


def write(w, facts: Facts, values: dict[str, str], figures: list) -> None:
    """The note, right after the cover block on page 1; page 2 starts at "The Board is asked
    to"."""
    asks = facts.board_asks
    action = say("note", "for_decision" if asks else "for_noting")
    rows = (
        ("purpose_label", say("note", "purpose", organisation=values["organisation"],
                              period=facts.period.label)),
        ("presenter_label", values.get("presenter") or say("note", "presenter_default")),
        ("action_label", Run(action, bold=True)),
        ("status_label", say("note", "status", day=long_date(facts.day),
                             commit=values["commit"])),
    )
    if values.get("problems"):  # first, where no reader can miss it
        w.para(Run(say("note", "warning", problems=values["problems"]), bold=True,
                   color="9C0006"), style="Key Message")
    for label, content in rows:
        w.para([Run(say("note", label) + ": ", bold=True), content], style="Key Message")
    w.heading(say("note", "key_messages"), 2, numbered=False, in_toc=False)
    w.note(say("note", "key_messages_intro"))
    for n, message in enumerate(facts.key_messages(), start=1):
        w.para([Run(f"{n}.  ", bold=True), message_text(facts, message)], style="Key Message")
    w.heading(say("note", "asked"), 2, numbered=False, in_toc=False, page_break=True)
    shown = [d for d in asks if visible(d)]
    items = [say("note", "asked_note")]
    items += [say("note", "asked_decision", title=d["title"], date=long_date(d["date"]),
                  ref=d["id"]) for d in shown]
    hidden = len(asks) - len(shown)
    if hidden:
        items.append(say("note", "asked_restricted", n=hidden))
    w.bullets(items)
    if not asks:
        w.note(say("note", "asked_none"))
    w.heading(say("note", "glance"), 2, numbered=False, in_toc=False)
    w.note(say("note", "glance_intro"))
    glance = Table([Column("", 10.0), Column("Number", 2.6, "right"),
                    Column("Of which restricted", 4.0, "right")])
    for figure in figures:
        glance.add(figure.label, Run(f"{figure.value:,}", bold=True),
                   f"{figure.restricted:,}" if figure.restricted else "\u2013")
    w.table(glance)
    w.note([Run(say("note", "health_rule") + " ", bold=True),
            HEALTH_RULE + f" Evaluated as at {long_date(facts.day)}."])


def message_text(facts: Facts, message: KeyMessage) -> str:
    """A key message in the Board's words (``templates/board-wording.toml``, ``[messages]``)."""
    records = message.records
    n = len(records)
    restricted = (say("messages", "restricted", n=message.restricted)
                  if message.restricted else "")
    kind = message.kind
    if kind in ("off_track", "at_risk"):
        names = [f"\u201c{c['title']}\u201d ({facts.why(c['id'])})"
                 for c in records if visible(c)][:NAMED]
        return say("messages", kind, n=n, names=_names(names, n)) + restricted
    if kind == "overdue":
        shown = [m for m in records if visible(m)]
        longest = "restricted"
        if shown:
            m = shown[0]
            longest = say("messages", "longest", title=m["title"],
                          owner=facts.department_name(m.get("owner")),
                          due=short_date(m["due"]),
                          days=(facts.day - date.fromisoformat(m["due"])).days)
        return say("messages", "overdue", n=n, day=long_date(facts.day),
                   longest=longest) + restricted
    if kind == "salient":
        worst = records[0]
        described = say("messages", "salient_worst",
                        category=facts.category_name(worst["category"]),
                        impact=worst.get("impact") or "\u2013",
                        likelihood=worst.get("likelihood") or "\u2013")
        return say("messages", "salient", n=n, worst=described,
                   trend=trend_sentence(facts)).rstrip() + restricted
    if kind == "grievances":
        still_open = sum(1 for g in records if g.get("stage") != "closed")
        tracked = facts.remedies_tracked
        pending = sum(1 for r in tracked if not r.get("delivered_on"))
        remedies = (say("messages", "remedies_pending", pending=pending, total=len(tracked))
                    if pending else "")
        return say("messages", "grievances", n=n, open=still_open,
                   day=long_date(facts.day), remedies=remedies) + restricted
    if kind == "assessments":
        findings = sum(1 for a in records for f in a.get("findings") or ()
                       if not f.get("milestones"))
        return say("messages", "assessments", findings=findings)
    if kind == "slips":
        twice = sum(1 for m in records if len(m.get("slips") or ()) >= 2)
        return say("messages", "slips", n=n, twice=say("messages", "slips_twice", twice=twice)
                   if twice else "") + restricted
    if kind == "no_plan":
        return say("messages", "no_plan", n=n, total=len(facts.active_commitments))
    return say("messages", "activity", meetings=len(facts.meetings_held),
               decisions=len(facts.decisions_taken), done=len(facts.milestones_done))


def trend_sentence(facts: Facts) -> str:
    """All issues of the period against the previous period, only where the register covered
    it; else when the register began."""
    now = len(facts.issues_reported)
    previous = facts.comparable_period
    if previous is None:
        began = facts.register_began
        return say("messages", "issues_trend_partial", now=now,
                   began=long_date(began) if began else "\u2013")
    return say("messages", "issues_trend", now=now, before=len(facts.issues_before),
               previous=previous.label)


def _names(named: list[str], total: int) -> str:
    rest = total - len(named)
    parts = list(named)
    if rest:
        parts.append(say("messages", "more", n=rest))
    if len(parts) == 1:
        return parts[0]
    return "; ".join(parts[:-1]) + " and " + parts[-1]
