"""One run of the generator: the catalogue, then the dossiers month by month (with their
supplements, ratings and feedback), then the tables drawn from the whole period.

Random draws come from generators seeded from ``seed`` and a fixed key per part: [seed, 0] the
daily volumes, [seed, 1, k] month k, [seed, 2] the feedback's answers, [seed, 3] publications,
[seed, 4] official scores, [seed, 5, k] month k's dossiers never synced to the national portal
(a deliberate gap), [seed, 6] the other provinces of the portal's national ranking. Within a part
the order of the draws is fixed.

Last, the national portal's published evaluation of the province is written into ``portal/``
(``portal.py``: what the files are, and the deliberate gaps between the portal's figures and a
recomputation from the dossiers, which the tests and the site's portal pages rely on).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa

from .calendar import Period
from .catalogue import Catalogue, build_catalogue, epoch
from .dossiers import (
    Dossiers,
    daily_counts,
    draw_flags,
    draw_hand_over,
    draw_intake,
    draw_outcomes,
    draw_status,
    draw_supplement_rounds,
    set_due_dates,
)
from .exports import (
    DayCodes,
    dossier_columns,
    dossier_ids,
    file_order,
    supplement_columns,
    time_style,
)
from .flaws import spoil
from .people import Names
from .portal import PortalCounts, agency_portal_columns, clean_portal, write_portal
from .procedures import procedure_columns
from .publications import draw_publications, publication_columns
from .satisfaction import (
    Feedback,
    Ratings,
    RatingsFile,
    answer_feedback,
    month_feedback,
    month_ratings,
)
from .scores import Counters, score_columns
from .tables import (
    AGENCY_COLUMNS,
    DOSSIER_COLUMNS,
    FEEDBACK_COLUMNS,
    PROCEDURE_COLUMNS,
    PUBLICATION_COLUMNS,
    SCORE_COLUMNS,
    SUPPLEMENT_COLUMNS,
)
from .units import agency_columns
from .writer import Sink, clean, write_marker, write_table

# Bumped whenever the generated data's shape changes, so that cached benchmark data is remade.
SHAPE = 3


@dataclass
class MonthTables:
    """What one month adds to the files."""

    dossiers: list[pa.Array]
    bom: bool  # the dossier file starts with a UTF-8 byte-order mark
    supplements: list[pa.Array]
    ratings: Ratings
    feedback: Feedback


class Generator:
    def __init__(
        self,
        out: Path,
        dossiers: int,
        seed: int,
        scale: str,
        fmt: str,
        as_of: date,
        units: int | None = None,
    ):
        self.out, self.n_total, self.seed, self.scale, self.fmt = out, dossiers, seed, scale, fmt
        self.units = units
        self.period = Period.ending(as_of, 36 if scale == "large" else 26)
        self.cat: Catalogue = build_catalogue(scale, units)
        self.names = Names()
        self.day_codes = DayCodes(self.period)
        self.counters = Counters(self.cat.n_units, self.period)
        self.portal = PortalCounts(self.cat, self.period, seed)

    def run(self) -> dict[str, int]:
        self.out.mkdir(parents=True, exist_ok=True)
        clean(self.out)
        clean_portal(self.out)
        (self.out / "dossiers").mkdir(exist_ok=True)
        cat, period, seed = self.cat, self.period, self.seed
        codes, offers = agency_portal_columns(cat)
        agencies = agency_columns(cat.units) + [
            pa.array(offers, type=pa.string()),
            pa.array(codes, type=pa.string()),
        ]
        counts = {
            "agencies": self._write("agencies", AGENCY_COLUMNS, agencies),
            "procedures": self._write(
                "procedures", PROCEDURE_COLUMNS, procedure_columns(cat.procs)
            ),
        }
        feedback = self._write_months(counts)
        answered = answer_feedback(feedback, seed, cat, period)
        counts["feedback"] = self._write("feedback", FEEDBACK_COLUMNS, answered.columns)
        counts["procedure_publications"] = self._write(
            "procedure_publications",
            PUBLICATION_COLUMNS,
            publication_columns(seed, self.scale, cat, period),
        )
        counts["official_scores"] = self._write(
            "official_scores", SCORE_COLUMNS, score_columns(self.counters, seed, cat, period)
        )
        pubs = draw_publications(seed, self.scale, cat, period)
        counts["portal_files"] = len(write_portal(self.out, self.portal, pubs, answered))
        write_marker(
            self.out,
            seed=seed,
            as_of=period.as_of,
            scale=self.scale,
            dossiers=self.n_total,
            shape=SHAPE,
            units=self.units,
        )
        return counts

    def _write(self, name: str, columns: tuple[str, ...], arrays: list) -> int:
        return write_table(self.out, name, columns, arrays, self.fmt)

    def _write_months(self, counts: dict[str, int]) -> list[Feedback]:
        """Write dossiers/<yyyy-mm>, supplements and ratings month by month; count their rows
        into ``counts``; return the feedback, written once all months are drawn."""
        out, fmt, period = self.out, self.fmt, self.period
        days, day_counts = daily_counts(period, self.n_total, self.seed)
        supplements = Sink(out / f"supplements.{fmt}", SUPPLEMENT_COLUMNS, fmt)
        ratings = RatingsFile(out / f"ratings.{fmt}", fmt, self.cat)
        n_dossiers = 0
        feedback = []
        for k, m in enumerate(period.months):
            sel = (days >= period.month_days[k]) & (days < period.month_days[k + 1])
            if day_counts[sel].sum() == 0:
                continue
            tables = self.month(k, days[sel], day_counts[sel])
            path = out / "dossiers" / f"{m:%Y-%m}.{fmt}"
            sink = Sink(path, DOSSIER_COLUMNS, fmt, bom=tables.bom)
            sink.write(tables.dossiers)
            n_dossiers += sink.close()
            supplements.write(tables.supplements)
            ratings.write(tables.ratings)
            feedback.append(tables.feedback)
        counts["dossiers"] = n_dossiers
        counts["supplements"] = supplements.close()
        counts["ratings"] = ratings.close()
        return feedback

    def month(self, k: int, days: np.ndarray, counts: np.ndarray) -> MonthTables:
        """Month k: ``counts[i]`` dossiers received on ``days[i]``."""
        rng = np.random.default_rng([self.seed, 1, k])
        cat, period, month = self.cat, self.period, self.period.months[k]
        d = Dossiers.start(k, epoch(month), period, days, counts)
        draw_intake(d, rng, cat, month)
        set_due_dates(d, cat)
        draw_outcomes(d, rng, cat)
        draw_supplement_rounds(d, rng, cat)
        draw_hand_over(d, rng)
        draw_status(d, rng, cat, period)
        draw_flags(d, rng, cat)
        self.portal.plant_unsynced(d)
        self.counters.count(d)
        self.portal.count(d)
        spoil(d, rng)
        tables = self._month_tables(d, rng, f"{month:%Y-%m}", days[counts > 0])
        self.portal.count_ratings(tables.ratings)
        return tables

    def _month_tables(
        self, d: Dossiers, rng: np.random.Generator, month_key: str, event_days: np.ndarray
    ) -> MonthTables:
        """The month's rows in file order, then the ratings and feedback they draw."""
        cat, period = self.cat, self.period
        order, inv = file_order(d)
        s = d.take(order)
        ids, src = dossier_ids(s, inv, cat, self.day_codes)
        names = self.names.draw(rng, s.app).take(src)
        style = time_style(month_key)
        return MonthTables(
            dossiers=dossier_columns(s, ids, names, src, rng, cat, style),
            bom=style == "vn",
            supplements=supplement_columns(s, ids, period.as_of_end),
            ratings=month_ratings(s, ids, names, rng, cat, period, event_days),
            feedback=month_feedback(s, ids, names, rng, cat, self.names, event_days),
        )
