import pandas as pd
import pytest

from csqa.calendars import Calendar, CalendarSet, load_calendar
from csqa.errors import CalendarError


def ts(*values, tz="UTC"):
    return pd.Series(pd.to_datetime(list(values)).tz_localize(tz))


def test_weekly_hours_split_shift_and_day_override():
    cal = Calendar.weekly("09:00-12:00,13:00-17:00", days={"thu": "09:00-13:00"}, timezone="UTC")
    # Wed 2026-03-04 08:00 -> Thu 18:00: Wed 3h+4h, Thu 3h+0h
    assert cal.business_seconds(ts("2026-03-04 08:00"), ts("2026-03-05 18:00"))[0] == 11 * 3600


def test_holidays_are_closed():
    cal = Calendar.weekly("09:00-17:00", holidays=["2026-03-04"])
    assert cal.business_seconds(ts("2026-03-03 16:00"), ts("2026-03-05 10:00"))[0] == 2 * 3600


def test_country_holidays_from_the_holidays_package():
    pytest.importorskip("holidays")
    # Iran: Nowruz 2026-03-21..24 are public holidays; Saturday 21 March would be a working day
    cal = Calendar.weekly("09:00-17:00", weekend=("fri",), timezone="Asia/Tehran", country_holidays="IR")
    start, end = ts("2026-03-21 10:00", tz="Asia/Tehran"), ts("2026-03-21 12:00", tz="Asia/Tehran")
    assert cal.business_seconds(start, end)[0] == 0.0
    with pytest.raises(CalendarError, match="not a country"):
        Calendar.weekly(country_holidays="XX").business_seconds(start, end)


def test_missing_values_and_reversed_intervals():
    cal = Calendar.weekly("09:00-17:00")
    out = cal.business_seconds(pd.Series([pd.NaT, pd.Timestamp("2026-03-04 12:00Z")]),
                               ts("2026-03-04 10:00", "2026-03-04 10:00"))
    assert pd.isna(out[0]) and out[1] == -2 * 3600


def test_is_open():
    cal = Calendar.weekly("09:00-17:00", weekend=("fri", "sat"), timezone="Asia/Riyadh")
    open_ = cal.is_open(ts("2026-03-04 08:00", "2026-03-06 08:00", "2026-03-04 14:30"))
    assert open_.tolist() == [True, False, False]  # 11:00 Wed; Fri weekend; 17:30 closed


@pytest.mark.parametrize("kwargs, message", [
    ({"hours": "9-17"}, "not of the form 'HH:MM-HH:MM'"),
    ({"hours": "17:00-09:00"}, "must start before they end"),
    ({"hours": "09:00-12:00,11:00-13:00"}, "overlap"),
    ({"weekend": ("friday", "caturday")}, "'caturday' is not a weekday"),
    ({"timezone": "Nowhere/City"}, "not an IANA time zone"),
    ({"holidays": ["tomorrow"]}, "expected dates like"),
    ({"hours": "closed", "weekend": ()}, "no open hours"),
])
def test_bad_calendars_are_clear_errors(kwargs, message):
    with pytest.raises(CalendarError, match=message):
        Calendar.weekly(**kwargs)


def test_load_calendar_with_queue_sections(tmp_path):
    path = tmp_path / "cal.toml"
    path.write_text(
        'timezone = "Asia/Tehran"\nhours = "08:00-16:00"\nweekend = ["fri"]\nholidays = ["2026-03-21"]\n'
        '[days]\nthu = "08:00-12:00"\n'
        '[queue.gulf]\ntimezone = "Asia/Dubai"\nweekend = ["sat", "sun"]\n', encoding="utf-8")
    cals = load_calendar(path)
    assert isinstance(cals, CalendarSet)
    assert cals.default.hours[3] == ((480, 720),) and cals.default.hours[4] == ()
    gulf = cals.for_queue("gulf")
    assert gulf.timezone == "Asia/Dubai" and gulf.hours[4] == ((480, 960),)  # Friday open there
    assert gulf.hours[5] == () and gulf.hours[3] == ((480, 720),)  # inherits [days]
    assert cals.for_queue("other") is cals.default


def test_load_calendar_errors_name_the_file(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('hours = "09:00-17:00"\nweeknd = ["fri"]\n')
    with pytest.raises(CalendarError, match=r"bad.toml: unknown keys \['weeknd'\]"):
        load_calendar(path)
    with pytest.raises(CalendarError, match="not found"):
        load_calendar(tmp_path / "missing.toml")
