"""Write the sample data set: ``python data/make_sample.py``.

Writes ``data/sample/`` (the export CSV, its mapping, a business-hours calendar and
the ground truth) and the bundled copy in ``csqa/data/sample/`` used by
``csqa demo``. Deterministic: the same seed gives byte-identical files.
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

from csqa.sample import SAMPLE_MAPPING, generate_sample

HERE = Path(__file__).resolve().parent
PACKAGE_COPY = HERE.parent / "csqa" / "data" / "sample"

CALENDAR = """\
# Business hours of the sample's support team (see README: business hours)
timezone = "Asia/Tehran"
hours = "08:00-20:00"
weekend = ["fri"]

[queue.orders]
timezone = "Asia/Riyadh"
hours = "09:00-21:00"
weekend = ["fri", "sat"]
"""


def main(n_conversations: int = 2000, seed: int = 7) -> None:
    out = HERE / "sample"
    out.mkdir(exist_ok=True)
    export, truth, repeats = generate_sample(n_conversations, seed=seed)
    export.to_csv(out / "messages.csv", index=False)
    truth.to_csv(out / "truth_conversations.csv", index=False)
    repeats.to_csv(out / "truth_repeats.csv", index=False)
    (out / "mapping.toml").write_text(SAMPLE_MAPPING, encoding="utf-8")
    (out / "calendar.toml").write_text(CALENDAR, encoding="utf-8")

    PACKAGE_COPY.mkdir(parents=True, exist_ok=True)
    with open(out / "messages.csv", "rb") as src, gzip.GzipFile(
        PACKAGE_COPY / "messages.csv.gz", "wb", mtime=0
    ) as dst:
        shutil.copyfileobj(src, dst)
    for name in ("mapping.toml", "calendar.toml"):
        shutil.copyfile(out / name, PACKAGE_COPY / name)
    print(f"wrote {len(export)} rows, {len(truth)} conversations to {out} and {PACKAGE_COPY}")


if __name__ == "__main__":
    main()
